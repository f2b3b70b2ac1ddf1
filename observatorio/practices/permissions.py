"""Who may do what with good practices: the one policy pages, exports and the API ask."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.catalog.models import Institution
from observatorio.lib.policy import ALLOW, Decision, deny

# Roles whose members may rate practices: council members and observers
# (academia, civil society, international organisations) and UPM reviewers.
RATER_ROLES = (Role.COUNCIL, Role.REVIEWER)


def can_view_ratings(user) -> Decision:
    """Raters, reviewers and administrators see the ratings and their agreement."""
    scope = Scope.of(user)
    if scope.has(*RATER_ROLES, Role.ADMIN):
        return ALLOW
    return deny(_("Solo las personas evaluadoras y revisoras ven las evaluaciones."))


def can_rate(user, practice) -> Decision:
    """A rater may rate a practice unless it belongs to their own state or institution."""
    scope = Scope.of(user)
    if not scope.has(*RATER_ROLES):
        return deny(_("Su cuenta no tiene la función de persona evaluadora."))
    own_states = set(scope.states) | set(
        Institution.objects.filter(pk__in=scope.institutions, state__isnull=False).values_list(
            "state_id", flat=True
        )
    )
    if practice.state_id in own_states:
        return deny(_("No puede evaluar una práctica de su propia entidad federativa."))
    own_institutions = scope.institutions & {i.pk for i in practice.institutions.all()}
    if own_institutions:
        return deny(_("No puede evaluar una práctica de su propia institución."))
    return ALLOW
