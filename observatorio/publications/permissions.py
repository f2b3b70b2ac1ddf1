"""Who may generate and download documents (compendium, state factsheets): the one policy
the generation pages ask. Every action has a rule here.

Reviewers (UPM) and administrators may request any document; a state's enlace may request
the factsheet of their own state only. A generated document holds published data only, so
whoever may request a document of that kind (and state) may also follow and download one
someone else requested — that is how a cached document is shared. The person who requested
a document may always see it. Everybody else is refused, with the reason in Spanish.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.lib.policy import ALLOW, Decision, deny

from .models import GeneratedDocument

REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)


def may_request_anything(scope: Scope) -> bool:
    return scope.has(*REVIEW_ROLES) or bool(scope.states_for(Role.LIAISON))


def _request(scope: Scope, document: GeneratedDocument) -> Decision:
    if scope.has(*REVIEW_ROLES):
        return ALLOW
    if document.kind == GeneratedDocument.Kind.COMPENDIUM:
        return deny(_("Solo el personal revisor de la UPM genera el compendio."))
    if not scope.has(Role.LIAISON):
        return deny(_("Solo la UPM y los enlaces estatales generan fichas estatales."))
    if document.state_id not in scope.states_for(Role.LIAISON):
        return deny(_("Solo puede generar la ficha de su propia entidad federativa."))
    return ALLOW


def _view(scope: Scope, document: GeneratedDocument, user) -> Decision:
    if document.requested_by_id is not None and document.requested_by_id == user.pk:
        return ALLOW
    if _request(scope, document):
        return ALLOW
    return deny(_("Este documento no pertenece a su ámbito."))


RULES = {
    "request": lambda scope, document, user: _request(scope, document),
    "view": _view,
    "download": _view,
}


def can(user, action: str, document: GeneratedDocument) -> Decision:
    """Decide whether *user* may do *action* (``request``, ``view``, ``download``)."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return deny(_("Inicie sesión para continuar."))
    return RULES[action](Scope.of(user), document, user)
