"""Who may do what with accounts' own records (API tokens), and the roles the other
policies share.

Every app's ``permissions.py`` has the same shape: ``can(user, action, obj) -> Decision``
and ``visible(user, queryset)``; ``observatorio/tests/test_policy_shape.py`` checks it, and
that no module outside these files tests a role. ``REVIEW_ROLES`` is declared here once:
the programs, publications and practices policies read it from this module.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from observatorio.lib.policy import ALLOW, Decision, deny

from .models import ApiToken, Role, Scope

#: The roles that review reports and run the reporting year for the UPM.
REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)


def reviews(user) -> bool:
    """Whether *user* is UPM review staff or an administrator today."""
    return Scope.of(user).has(*REVIEW_ROLES)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _issue(user, token) -> Decision:
    # Anybody signed in may hold keys; each key acts with its user's own scope.
    return ALLOW


def _own(user, token) -> Decision:
    if token is not None and token.user_id == user.pk:
        return ALLOW
    return deny(_("Este token es de otra persona."))


RULES = {
    "issue": _issue,
    "view": _own,
    "revoke": _own,
}


def can(user, action: str, obj: ApiToken | None = None) -> Decision:
    """Decide whether *user* may do *action* (``issue``, ``view``, ``revoke``) with a token."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if not _signed_in(user):
        return deny(_("Inicie sesión para continuar."))
    return RULES[action](user, obj)


def visible(user, queryset: QuerySet[ApiToken] | None = None) -> QuerySet[ApiToken]:
    """Narrow *queryset* to *user*'s own tokens: nobody sees another's, not even reviewers."""
    qs = ApiToken.objects.all() if queryset is None else queryset
    if not _signed_in(user):
        return qs.none()
    return qs.filter(user=user)
