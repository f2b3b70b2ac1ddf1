"""Who may generate and download documents (compendium, state factsheets): the one policy
/publicaciones/, the state pages and the release pages ask. Every action has a rule here.

A generated document holds published data only: once it is done, anybody may download it,
without an account. Generating one stays with the UPM: reviewers and administrators may
request any document, a state's enlace the factsheet of their own state only. While a
document is queued or being generated, whoever may request a document of that kind (and
state) may follow it — that is how a cached document is shared — and the person who
requested it may always see it. Everybody else is refused, with the reason in Spanish.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.catalog.models import State
from observatorio.lib.policy import ALLOW, Decision, deny

from .models import GeneratedDocument


def _request_any(scope: Scope, user, document: None) -> Decision:
    if scope.has(*REVIEW_ROLES) or scope.states_for(Role.LIAISON):
        return ALLOW
    return deny(_("Solo la UPM y los enlaces estatales generan documentos."))


def _request(scope: Scope, user, document: GeneratedDocument) -> Decision:
    if scope.has(*REVIEW_ROLES):
        return ALLOW
    if document.kind == GeneratedDocument.Kind.COMPENDIUM:
        return deny(_("Solo el personal revisor de la UPM genera el compendio."))
    if not scope.has(Role.LIAISON):
        return deny(_("Solo la UPM y los enlaces estatales generan fichas estatales."))
    if document.state_id not in scope.states_for(Role.LIAISON):
        return deny(_("Solo puede generar la ficha de su propia entidad federativa."))
    return ALLOW


def _view(scope: Scope, user, document: GeneratedDocument) -> Decision:
    if document.status == GeneratedDocument.Status.DONE:
        return ALLOW
    if not _signed_in(user):
        return deny(SIGN_IN)
    if document.requested_by_id is not None and document.requested_by_id == user.pk:
        return ALLOW
    if _request(scope, user, document):
        return ALLOW
    return deny(_("Este documento no pertenece a su ámbito."))


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


SIGN_IN = _("Inicie sesión para continuar.")

RULES = {
    # *obj* is None: whether the user may request some document (the menu, the form).
    "request_any": _request_any,
    "request": _request,
    "view": _view,
    "download": _view,
}

#: Actions decided for anonymous visitors too (a done document is public).
PUBLIC_ACTIONS = frozenset({"view", "download"})


def can(user, action: str, obj: GeneratedDocument | None = None) -> Decision:
    """Decide whether *user* may do *action* (``request_any``, ``request``, ``view``,
    ``download``) with a document (*obj*; a probe, unsaved, to ask about a request)."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if action not in PUBLIC_ACTIONS and not _signed_in(user):
        return deny(SIGN_IN)
    return RULES[action](Scope.of(user), user, obj)


def visible(
    user, queryset: QuerySet[GeneratedDocument] | None = None
) -> QuerySet[GeneratedDocument]:
    """Narrow *queryset* to the documents *user* may see (the same rule as ``can(view)``)."""
    qs = GeneratedDocument.objects.all() if queryset is None else queryset
    done = Q(status=GeneratedDocument.Status.DONE)
    if not _signed_in(user):
        return qs.filter(done)
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return qs
    return qs.filter(
        done
        | Q(requested_by=user)
        | Q(kind=GeneratedDocument.Kind.FACTSHEET, state__in=scope.states_for(Role.LIAISON))
    )


def requestable_kinds(user) -> list[str]:
    """The kinds of document *user* may request (reviewers every kind; enlaces factsheets)."""
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return list(GeneratedDocument.Kind.values)
    if scope.states_for(Role.LIAISON):
        return [GeneratedDocument.Kind.FACTSHEET]
    return []


def factsheet_states(user, queryset: QuerySet[State] | None = None) -> QuerySet[State]:
    """Narrow *queryset* to the states whose factsheet *user* may request."""
    qs = State.objects.all() if queryset is None else queryset
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return qs
    return qs.filter(pk__in=scope.states_for(Role.LIAISON))
