"""Who may do what with good practices: the one policy pages, exports and the API ask.

Practices are public; their ratings (every rater's marks and the panel's agreement) are
review material for raters, reviewers and administrators. A rater never rates a practice
of their own state or institution.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.catalog.models import Institution
from observatorio.lib.policy import ALLOW, Decision, deny

from .models import GoodPractice, PracticeRating

# Roles whose members may rate practices: council members and observers
# (academia, civil society, international organisations) and UPM reviewers.
RATER_ROLES = (Role.COUNCIL, Role.REVIEWER)


def _view(scope: Scope, practice: GoodPractice | None) -> Decision:
    return ALLOW


def _view_ratings(scope: Scope, practice: GoodPractice | None) -> Decision:
    """Raters, reviewers and administrators see the ratings and their agreement."""
    if scope.has(*RATER_ROLES, *REVIEW_ROLES):
        return ALLOW
    return deny(_("Solo las personas evaluadoras y revisoras ven las evaluaciones."))


def _rate(scope: Scope, practice: GoodPractice) -> Decision:
    """A rater may rate a practice unless it belongs to their own state or institution."""
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


RULES = {
    "view": _view,
    "view_ratings": _view_ratings,
    "rate": _rate,
}


def can(user, action: str, obj: GoodPractice | None = None) -> Decision:
    """Decide whether *user* may do *action* (``view``, ``view_ratings``, ``rate``) with a
    practice (*obj*)."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    return RULES[action](Scope.of(user), obj)


def visible(user, queryset: QuerySet | None = None) -> QuerySet:
    """Narrow *queryset* (practices by default, or ratings) to what *user* may see: every
    practice; the ratings only for those who may see them (``can(view_ratings)``)."""
    qs = GoodPractice.objects.all() if queryset is None else queryset
    if qs.model is PracticeRating and not _view_ratings(Scope.of(user), None):
        return qs.none()
    return qs
