"""What assistance does, as small functions the pages, the API and the signals call.

* :func:`suggest` — ranked objectives for a text, with the model they came from;
* :func:`similar` — the closest published programs (and, for reviewers, the reports of the
  same cycle in review), with their shared passages and the links already decided;
* :func:`record` — the suggestion for a report when it is sent and when it is published,
  with the objective chosen;
* :func:`decide` — a reviewer links a report to its previous edition, marks a joint
  program, dismisses a pair, or undoes it;
* :func:`history` and :func:`joint_partners` — a program across cycles;
* :func:`count_once` — programs counted with every joint program once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from observatorio.catalog.models import GcmObjective
from observatorio.programs.models import Program

from . import permissions, similarity, training
from . import text as program_text
from .classifier import TOP
from .models import ProgramLink, SuggestionRecord

#: Previous editions followed at most (a cycle a year: far more than will ever exist).
MAX_EDITIONS = 50


@dataclass
class Suggested:
    results: list[dict]
    notice: str = ""
    model: dict | None = None


def _objectives() -> dict[int, GcmObjective]:
    return {o.number: o for o in GcmObjective.objects.all()}


def _percent(score: float) -> str:
    """A score as the form shows it: never 0 % or 100 %, which a model cannot know."""
    if score < 0.005:
        return "<1"
    if score >= 0.995:
        return ">99"
    return str(round(score * 100))


def suggest(text, top: int = TOP) -> Suggested:
    """Ranked objectives for *text*; a ValidationError (Spanish) for what is not a text."""
    text = program_text.check(text)
    loaded = training.current()
    if loaded is None:
        return Suggested([], _("Todavía no hay un modelo entrenado (train_suggestions)."))
    row, suggester = loaded
    outcome = suggester.suggest(text, top)
    objectives = _objectives()
    return Suggested(
        [
            {
                "objective": r.objective,
                "score": r.score,
                "percent": _percent(r.score),
                "title": objectives[r.objective].title if r.objective in objectives else "",
                # The pick-list's value (the form's «Elegir» sets it), not the number.
                "pk": objectives[r.objective].pk if r.objective in objectives else None,
                "terms": r.terms,
            }
            for r in outcome.results
        ],
        outcome.notice,
        {
            "version": row.pk,
            "data_version": row.data_version,
            "trained_at": row.trained_at,
            "programs": row.programs,
        },
    )


@dataclass
class Similar:
    program: Program
    score: float
    passages: list[str] = field(default_factory=list)
    relation: str = ""  # "", "anterior", "siguiente", "conjunto"
    published: bool = True

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def likely_same(self) -> bool:
        return self.score >= similarity.LIKELY_SAME


def _programs(ids) -> dict[int, Program]:
    return {
        p.pk: p
        for p in Program.objects.filter(pk__in=list(ids))
        .select_related("cycle", "objective", "state")
        .prefetch_related("institutions")
    }


def similar(
    *,
    text: str | None = None,
    program: Program | None = None,
    limit: int = 10,
    user=None,
    with_passages: bool = True,
) -> list[Similar]:
    """Programs closest to *text* or to *program*, best first.

    For a *user* who reviews (the report's panel), pairs they dismissed are left out and the
    reports of the same cycle still in review are compared too; otherwise (the public API)
    only published programs are.
    """
    limit = max(1, min(limit, similarity.MAX_LIMIT))
    exclude: set[int] = set()
    if program is not None and program.pk:
        exclude |= dismissed(program)
        matches = similarity.similar_to_program(program, limit, exclude)
        source = program_text.program_text(program)
    else:
        source = program_text.check(text)
        matches = similarity.similar_to_text(source, limit)
    found = [(m.program_id, m.score, True) for m in matches]
    if user is not None and program is not None and program.pk:
        found += _in_review(program, user, exclude)
        found.sort(key=lambda f: (-f[1], f[0]))
        found = found[:limit]
    by_id = _programs(pk for pk, _s, _p in found)
    relations = _relations(program) if program is not None and program.pk else {}
    out = []
    for pk, score, published in found:
        other = by_id.get(pk)
        if other is None:
            continue
        passages = (
            similarity.passages(source, program_text.program_text(other)) if with_passages else []
        )
        out.append(Similar(other, score, passages, relations.get(pk, ""), published))
    return out


def _in_review(program: Program, user, exclude: set[int]) -> list[tuple[int, float, bool]]:
    """Reports of the program's cycle in review or approved (not yet published), by cosine."""
    candidates = list(
        permissions.visible(
            user,
            Program.objects.filter(cycle_id=program.cycle_id)
            .exclude(pk=program.pk)
            .exclude(pk__in=exclude)
            .filter(
                status__in=[*Program.IN_REVIEW, Program.Status.APPROVED, Program.Status.RETURNED]
            ),
        ).only("pk", "version", "title", "description", "results")[:MAX_IN_REVIEW]
    )
    if not candidates:
        return []
    idx = similarity.index()
    mine = idx.vector(_report_tokens(program))
    others = idx.vectorizer.transform([_report_tokens(other) for other in candidates])
    scores = (others @ mine.T).toarray().ravel()
    return [
        (other.pk, round(float(score), 4), False)
        for other, score in zip(candidates, scores, strict=True)
        if score >= similarity.MIN_SCORE
    ]


#: Reports of a cycle compared with one in review at most (a cycle has a few hundred).
MAX_IN_REVIEW = 5000
_TOKENS: OrderedDict[tuple[int, int], str] = OrderedDict()
_TOKENS_MAX = 20_000


def _report_tokens(program: Program) -> str:
    """A report's normalised words, kept per process by (id, version): a report's version
    changes with every edit, so the panel normalises each report of the cycle once."""
    key = (program.pk, program.version)
    found = _TOKENS.get(key)
    if found is None:
        found = program_text.tokens(program_text.program_text(program))
        _TOKENS[key] = found
        if len(_TOKENS) > _TOKENS_MAX:
            _TOKENS.popitem(last=False)
    else:
        _TOKENS.move_to_end(key)
    return found


def dismissed(program: Program) -> set[int]:
    links = ProgramLink.objects.filter(
        Q(first=program) | Q(second=program), kind=ProgramLink.Kind.DISMISSED
    ).values_list("first_id", "second_id")
    return {b if a == program.pk else a for a, b in links}


def joint_partners(program: Program) -> list[Program]:
    links = ProgramLink.objects.filter(
        Q(first=program) | Q(second=program), kind=ProgramLink.Kind.JOINT
    ).values_list("first_id", "second_id")
    ids = {b if a == program.pk else a for a, b in links}
    return list(
        Program.objects.filter(pk__in=ids)
        .select_related("cycle", "objective", "state")
        .order_by("pk")
    )


def _relations(program: Program) -> dict[int, str]:
    out = {p.pk: "conjunto" for p in joint_partners(program)}
    if program.previous_id:
        out[program.previous_id] = "anterior"
    for pk in Program.objects.filter(previous=program).values_list("pk", flat=True):
        out[pk] = "siguiente"
    return out


# --- reviewers' decisions -----------------------------------------------------------------

DECISIONS = ("continuacion", "conjunto", "descartado", "quitar")


@transaction.atomic
def decide(program: Program, other: Program, decision: str, by) -> str:
    """Apply a reviewer's *decision* about *program* and *other*; the message to show."""
    if decision not in DECISIONS:
        raise ValidationError(_("Decisión desconocida."))
    if program.pk == other.pk:
        raise ValidationError(_("Un programa no se vincula consigo mismo."))
    decision_ok = permissions.can(by, "link", (program, other))
    if not decision_ok:
        raise ValidationError(decision_ok.reason)
    first, second = ProgramLink.pair(program.pk, other.pk)
    if decision == "continuacion":
        if other.cycle.edition >= program.cycle.edition:
            raise ValidationError(
                _("La edición anterior debe ser de un ciclo anterior (%(cycle)s).")
                % {"cycle": program.cycle.name}
            )
        taken = Program.objects.filter(previous=other).exclude(pk=program.pk).first()
        if taken is not None:
            raise ValidationError(
                _("«%(title)s» ya es la edición anterior de otro reporte (%(id)s).")
                % {"title": other.title[:80], "id": taken.pk}
            )
        Program.objects.filter(pk=program.pk).update(previous=other)
        program.previous = other
        ProgramLink.objects.filter(first_id=first, second_id=second).delete()
        return _("Se registró como continuación de «%(title)s».") % {"title": other.title[:80]}
    if decision == "quitar":
        removed = ProgramLink.objects.filter(first_id=first, second_id=second).delete()[0]
        if program.previous_id == other.pk:
            Program.objects.filter(pk=program.pk).update(previous=None)
            program.previous = None
            removed += 1
        elif other.previous_id == program.pk:
            Program.objects.filter(pk=other.pk).update(previous=None)
            removed += 1
        if not removed:
            raise ValidationError(_("Esos programas no tienen vínculo."))
        return _("Se quitó el vínculo.")
    if program.previous_id == other.pk or other.previous_id == program.pk:
        raise ValidationError(_("Uno es la edición anterior del otro; quite primero ese vínculo."))
    kind = ProgramLink.Kind.JOINT if decision == "conjunto" else ProgramLink.Kind.DISMISSED
    if kind == ProgramLink.Kind.JOINT and program.cycle_id != other.cycle_id:
        raise ValidationError(
            _(
                "Un programa conjunto se reporta en el mismo ciclo; "
                "para otro ciclo use «continuación de»."
            )
        )
    ProgramLink.objects.update_or_create(
        first_id=first, second_id=second, defaults={"kind": kind, "by": by}
    )
    if kind == ProgramLink.Kind.JOINT:
        return _("Se marcó como programa conjunto con «%(title)s».") % {"title": other.title[:80]}
    return _("No se volverá a sugerir «%(title)s» para este reporte.") % {"title": other.title[:80]}


# --- history -----------------------------------------------------------------------------


def history(program: Program, published_only: bool = True) -> list[Program]:
    """Every edition of *program* across cycles, oldest first (itself included)."""
    qs = Program.objects.select_related("cycle", "objective", "state")
    if published_only:
        qs = qs.published()
    chain = [program]
    seen = {program.pk}
    current = program
    while current.previous_id and len(chain) < MAX_EDITIONS:
        earlier = qs.filter(pk=current.previous_id).first()
        if earlier is None or earlier.pk in seen:
            break
        chain.insert(0, earlier)
        seen.add(earlier.pk)
        current = earlier
    current = program
    while len(chain) < MAX_EDITIONS:
        later = (
            qs.filter(previous=current)
            .exclude(pk__in=seen)
            .order_by("cycle__edition", "pk")
            .first()
        )
        if later is None:
            break
        chain.append(later)
        seen.add(later.pk)
        current = later
    return chain


def count_once(program_ids) -> int:
    """How many programs *program_ids* are when each joint program counts once."""
    ids = set(program_ids)
    parent = {pk: pk for pk in ids}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    links = ProgramLink.objects.filter(
        kind=ProgramLink.Kind.JOINT, first_id__in=ids, second_id__in=ids
    ).values_list("first_id", "second_id")
    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return len({root(pk) for pk in ids})


# --- what was suggested and chosen ----------------------------------------------------------


def record(program: Program, event: str) -> SuggestionRecord | None:
    """Store the suggestion for *program*'s text now and the objective it carries."""
    loaded = training.current()
    if loaded is None:
        return None
    row, suggester = loaded
    try:
        text = program_text.check(program_text.program_text(program))
    except ValidationError:
        return None
    outcome = suggester.suggest(text, TOP)
    ranked = [r.objective for r in outcome.results]
    chosen = program.objective.number
    return SuggestionRecord.objects.create(
        program=program,
        cycle_id=program.cycle_id,
        event=event,
        model=row,
        suggested=[{"objective": r.objective, "score": r.score} for r in outcome.results],
        chosen_id=program.objective_id,
        rank=ranked.index(chosen) + 1 if chosen in ranked else None,
    )
