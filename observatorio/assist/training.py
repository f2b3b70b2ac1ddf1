"""Training the suggestion model from the published programs, and finding the current one.

:func:`train_and_store` reads every published program (any cycle) and the objectives'
catalogue, trains (:func:`classifier.train`), and stores the model file with the data
version and a fingerprint of what it learned from. When the fingerprint equals the current
model's, nothing is trained (``force`` trains anyway). ``train_suggestions`` runs it; so
do ``bootstrap`` and, after a publication, the task in :mod:`.tasks`.

:func:`current` gives the newest model, loaded once per process and model.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from django.db import transaction

from observatorio.catalog.models import GcmObjective
from observatorio.programs.models import Program
from observatorio.published import version

from . import classifier, evaluation
from . import text as program_text
from .models import SuggestionModel


def examples() -> list[classifier.Example]:
    """Every published program as a training example, in id order."""
    rows = (
        Program.objects.published()
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "description",
            "results",
            "objective__number",
            "section",
            "cycle__edition",
        )
    )
    return [
        classifier.Example(
            tokens=program_text.tokens(
                program_text.program_text({"title": t, "description": d, "results": r})
            ),
            objective=objective,
            key=pk,
            section=section,
            cycle=edition,
        )
        for pk, t, d, r, objective, section, edition in rows
    ]


def objective_examples() -> list[classifier.Example]:
    """One example per objective: its title and every printed variant of it."""
    out = []
    for objective in GcmObjective.objects.prefetch_related("aliases").order_by("number"):
        words = [objective.title_es, objective.short_es, *(a.text for a in objective.aliases.all())]
        out.append(
            classifier.Example(
                tokens=program_text.tokens(" ".join(w for w in words if w)),
                objective=objective.number,
                key=f"objetivo-{objective.number}",
            )
        )
    return out


def fingerprint() -> str:
    """What the model learns from, cheaply: every published program's id, objective and last
    change, and every objective's printed variants (one query each, no text read)."""
    digest = hashlib.sha256()
    rows = (
        Program.objects.published().order_by("pk").values_list("pk", "objective_id", "updated_at")
    )
    for pk, objective, updated in rows.iterator(chunk_size=5000):
        digest.update(f"{pk}\x1f{objective}\x1f{updated.isoformat()}\x1e".encode())
    for number, text in GcmObjective.objects.order_by("number", "aliases__pk").values_list(
        "number", "aliases__text"
    ):
        digest.update(f"o{number}\x1f{text}\x1e".encode())
    return digest.hexdigest()


@dataclass
class Outcome:
    model: SuggestionModel | None
    trained: bool
    seconds: float
    message: str


def train_and_store(*, force: bool = False, reason: str = "") -> Outcome:
    """Train on the published programs unless the current model already learned them."""
    started = time.perf_counter()
    print_ = fingerprint()
    latest = SuggestionModel.objects.current()
    if latest is not None and latest.fingerprint == print_ and not force:
        return Outcome(latest, False, time.perf_counter() - started, "sin cambios")
    items = examples()
    extra = objective_examples()
    if len({e.objective for e in items}) < 2:
        return Outcome(latest, False, time.perf_counter() - started, "sin programas publicados")
    suggester = classifier.train(items, extra)
    payload = suggester.dumps()
    metrics = {}
    train_part, test_part = evaluation.held_out(items)
    if test_part:
        p, classes = evaluation.model_probabilities(train_part, extra, test_part)
        metrics["held_out"] = evaluation.score(
            p, classes, [e.objective for e in test_part]
        ).as_dict()
    metrics["temperature"] = suggester.temperature
    metrics["mix"] = suggester.mix
    metrics["features"] = len(suggester.features)
    with transaction.atomic():
        model = SuggestionModel.objects.create(
            data_version=version.current(),
            fingerprint=print_,
            programs=len(items),
            cycles=sorted({e.cycle for e in items}),
            payload=payload,
            sha256=classifier.Suggester.digest(payload),
            metrics=metrics,
            reason=reason[:100],
        )
    _LOADED.forget()
    return Outcome(model, True, time.perf_counter() - started, "entrenado")


class _Loaded:
    """The current model, loaded once per process (and again when a newer one exists)."""

    def __init__(self):
        self.key: int | None = None
        self.value: tuple[SuggestionModel, classifier.Suggester] | None = None
        self.lock = threading.Lock()

    def forget(self) -> None:
        with self.lock:
            self.key, self.value = None, None

    def get(self) -> tuple[SuggestionModel, classifier.Suggester] | None:
        newest = SuggestionModel.objects.order_by("-pk").values_list("pk", flat=True).first()
        if newest is None:
            return None
        if self.key != newest:
            with self.lock:
                if self.key != newest:
                    row = SuggestionModel.objects.get(pk=newest)
                    payload = bytes(row.payload)
                    if classifier.Suggester.digest(payload) != row.sha256:
                        raise RuntimeError("El archivo del modelo de sugerencias está dañado.")
                    row.payload = b""  # loaded: the bytes are not kept twice
                    self.value = (row, classifier.Suggester.loads(payload))
                    self.key = newest
        return self.value


_LOADED = _Loaded()


def current() -> tuple[SuggestionModel, classifier.Suggester] | None:
    """The newest stored model and its loaded classifier, or None before any training."""
    return _LOADED.get()
