"""Workflow actions: the one way a report changes status.

Pages, bulk review and the API all call :func:`transition` (or its named shortcuts).
It asks the policy once, locks the row, checks the current status, writes the change
with its :class:`~observatorio.programs.models.Transition` (audit) and
:class:`~observatorio.programs.models.Revision` (snapshot) in one transaction, and
sends :data:`~observatorio.programs.signals.transitioned` (and ``program_published``
or ``program_withdrawn``) inside it, so that whatever listens — the public search
index — changes in the same transaction.

Refusals, in the order they are checked:

* ``PermissionDenied`` — who asks may not do this to this report (their role or scope);
* :class:`StatusConflict` — the report's status does not allow it (it was already
  submitted, or someone else moved it first); the API answers 409;
* ``ValidationError`` — what is missing: a comment, or the fields a report needs
  before it is submitted (409 in the API too: the report is not ready).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import derived, permissions, signals
from .models import CouncilComment, Program, ReportingCycle, Revision
from .models import Transition as TransitionRecord

S = Program.Status


class StatusConflict(ValidationError):
    """The report's current status does not allow the action."""


@dataclass(frozen=True)
class Action:
    """One workflow transition: where it may start, where it ends, what it needs."""

    name: str
    verb: Promise  # infinitive, for messages: «enviar»
    url: str  # the Spanish word in the page's address
    allowed_from: tuple[str, ...]
    done: Promise  # the message once done
    comment_required: Promise | None = None  # the message when the comment is missing

    def target(self, current: str) -> str:
        if self.name == "submit":
            return S.RESUBMITTED if current == S.RETURNED else S.SUBMITTED
        return TARGETS[self.name]


TARGETS = {
    "return": S.RETURNED,
    "approve": S.APPROVED,
    "publish": S.PUBLISHED,
    "withdraw": S.WITHDRAWN,
}

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "submit",
            _("enviar"),
            "enviar",
            Program.EDITABLE,
            _("Se envió el reporte a revisión."),
        ),
        Action(
            "return",
            _("devolver"),
            "devolver",
            Program.IN_REVIEW,
            _("Se devolvió el reporte con sus comentarios."),
            comment_required=_("Escriba los comentarios para quien reporta."),
        ),
        Action(
            "approve",
            _("aprobar"),
            "aprobar",
            Program.IN_REVIEW,
            _("Se aprobó el reporte."),
        ),
        Action(
            "publish",
            _("publicar"),
            "publicar",
            (S.APPROVED,),
            _("Se publicó el reporte."),
        ),
        Action(
            "withdraw",
            _("retirar"),
            "retirar",
            (S.APPROVED, S.PUBLISHED),
            _("Se retiró el reporte."),
            comment_required=_("Escriba el motivo del retiro."),
        ),
    )
}
#: What a council comment without text is told.
COMMENT_REQUIRED = _("Escriba un comentario.")
#: The Spanish word in a page's address → the action.
BY_URL = {a.url: a for a in ACTIONS.values()}


def _allowed(by, action: str, program: Program) -> None:
    """Ask the policy once; raise what its refusal means."""
    decision = permissions.can(by, action, program)
    if not decision:
        if decision.conflict:
            raise StatusConflict(decision.reason)
        raise PermissionDenied(decision.reason)


def transition(program: Program, action: str, by, comment: str = "") -> Program:
    """Move *program* by *action* on behalf of *by*; return it, updated.

    See the module's docstring for what is checked and what is raised.
    """
    spec = ACTIONS[action]
    comment = (comment or "").strip()
    _allowed(by, action, program)
    if spec.comment_required and not comment:
        raise ValidationError(spec.comment_required)
    with transaction.atomic():
        if action == "publish":
            # Numbers are given per cycle: publications of one cycle take turns, so two
            # reports published at once cannot both take the next number.
            ReportingCycle.objects.select_for_update().filter(pk=program.cycle_id).first()
        # Lock the row so two people cannot act on stale copies.
        current = Program.objects.select_for_update().get(pk=program.pk)
        if current.status not in spec.allowed_from:
            raise StatusConflict(
                _("No se puede %(action)s un reporte en estado «%(status)s».")
                % {"action": spec.verb, "status": current.get_status_display()}
            )
        if action == "submit":
            missing = current.missing_for_submission()
            if missing:
                raise ValidationError(missing)
        before = current.status
        program.status = spec.target(before)
        program.version = current.version + 1
        fields = ["status", "version", "updated_at"]
        if action == "submit" and current.submitted_at is None:
            program.submitted_at = timezone.now()
            fields.append("submitted_at")
        if action == "publish":
            if current.number is None:
                program.number = _next_number(program)
                fields.append("number")
            # Figures are saved after the program, so the flag is settled here.
            program.has_quantitative_results = derived.has_quantitative_results(
                current.results, current.figures.count()
            )
            fields.append("has_quantitative_results")
        if action == "withdraw":
            program.withdrawn_reason = comment
            fields.append("withdrawn_reason")
        program.save(update_fields=fields)
        TransitionRecord.objects.create(
            program=program, actor=by, from_status=before, to_status=program.status, comment=comment
        )
        Revision.capture(program, by, note=program.get_status_display())
        signals.transitioned.send(
            Program, program=program, action=action, by=by, comment=comment, before=before
        )
        if action == "publish":
            signals.program_published.send(Program, program=program, by=by)
        elif action == "withdraw":
            signals.program_withdrawn.send(Program, program=program, by=by)
    return program


def _next_number(program: Program) -> int:
    siblings = Program.objects.filter(
        cycle=program.cycle_id, section=program.section, objective=program.objective_id
    )
    return (siblings.aggregate(n=Max("number"))["n"] or 0) + 1


def submit(program: Program, by) -> Program:
    """Send the report to review (again, after it was returned)."""
    return transition(program, "submit", by)


def return_for_changes(program: Program, by, comment: str) -> Program:
    """Send the report back to its authors with the reviewer's comments."""
    return transition(program, "return", by, comment)


def approve(program: Program, by, comment: str = "") -> Program:
    return transition(program, "approve", by, comment)


def publish(program: Program, by) -> Program:
    return transition(program, "publish", by)


def withdraw(program: Program, by, reason: str) -> Program:
    """Take an approved or published report out of publication, saying why."""
    return transition(program, "withdraw", by, reason)


def comment(program: Program, by, text: str) -> CouncilComment:
    """A council member's comment on their state's report while it is in review."""
    text = (text or "").strip()
    _allowed(by, "comment", program)
    if not text:
        raise ValidationError(COMMENT_REQUIRED)
    with transaction.atomic():
        note = CouncilComment.objects.create(program=program, author=by, text=text)
        signals.commented.send(Program, program=program, by=by, comment=note)
    return note
