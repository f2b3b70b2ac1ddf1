"""Tell people what happened to reports: the workflow's signals become notices.

Connected in :meth:`ProgramsConfig.ready`. Who is told:

* a report sent to review (or sent again) → the reviewers;
* returned (with the reviewer's comment), approved, published (with the address of its
  public page), withdrawn (with the reason) → whoever reports it (its state's enlace or
  its institutions' reporters);
* a council comment → the reviewers and whoever reports it.

Whoever acted is not told of their own action.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from observatorio.notifications.models import Kind
from observatorio.notifications.sending import notify

from . import permissions, signals
from .models import Program

#: Action → (kind of notice, who is told).
TOLD = {
    "submit": (Kind.SUBMITTED, "reviewers"),
    "return": (Kind.RETURNED, "reporters"),
    "approve": (Kind.APPROVED, "reporters"),
    "publish": (Kind.PUBLISHED, "reporters"),
    "withdraw": (Kind.WITHDRAWN, "reporters"),
}


def _others(users, by):
    return [u for u in users if getattr(by, "pk", None) != u.pk]


def _owner(program: Program) -> str:
    return program.state.name if program.state_id else program.owner_label


def _on_transition(sender, program: Program, action: str, by, comment: str = "", **kwargs):
    kind, audience = TOLD[action]
    # Notices are written in Spanish, the site's language, whatever the actor's.
    with translation.override("es-mx"):
        title, body, url = _describe(program, action, comment)
    users = (
        permissions.reviewers() if audience == "reviewers" else permissions.reporters_of(program)
    )
    notify(_others(users, by), kind, title, body, url)


def _describe(program: Program, action: str, comment: str) -> tuple[str, str, str]:
    name = f"«{program.title[:120]}»"
    detail = reverse("reports:detail", args=[program.pk])
    cycle = program.cycle.name
    if action == "submit":
        return (
            _("%(owner)s envió a revisión %(name)s") % {"owner": _owner(program), "name": name},
            _("Ciclo: %(cycle)s. Estado: %(status)s.")
            % {"cycle": cycle, "status": program.get_status_display()},
            detail,
        )
    if action == "return":
        return (
            _("La UPM devolvió %(name)s con comentarios") % {"name": name},
            _("Comentarios de la UPM:\n%(comment)s\n\nCorrija el reporte y vuelva a enviarlo.")
            % {"comment": comment},
            detail,
        )
    if action == "approve":
        body = _("Ciclo: %(cycle)s.") % {"cycle": cycle}
        if comment:
            body += "\n\n" + _("Comentario de la UPM: %(comment)s") % {"comment": comment}
        return _("La UPM aprobó %(name)s") % {"name": name}, body, detail
    if action == "publish":
        return (
            _("Se publicó %(name)s") % {"name": name},
            _("Ya es público en el portal del Observatorio (número %(code)s).")
            % {"code": f"{program.objective.number}.{program.number}"},
            reverse("portal:program", args=[program.pk]),
        )
    return (
        _("Se retiró %(name)s de la publicación") % {"name": name},
        _("Motivo: %(reason)s") % {"reason": comment},
        detail,
    )


def _on_comment(sender, program: Program, by, comment, **kwargs):
    with translation.override("es-mx"):
        title = _("El consejo estatal comentó «%(title)s»") % {"title": program.title[:120]}
        body = comment.text
    users = list(permissions.reviewers()) + list(permissions.reporters_of(program))
    notify(
        _others(users, by),
        Kind.COMMENTED,
        title,
        body,
        reverse("reports:detail", args=[program.pk]),
    )


def connect() -> None:
    signals.transitioned.connect(_on_transition, dispatch_uid="programs.notify.transition")
    signals.commented.connect(_on_comment, dispatch_uid="programs.notify.comment")
