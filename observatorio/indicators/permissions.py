"""Who may do what with indicator values: the one policy the capture pages, the import and
the API ask.

Approved values are public (published through ``published.py``, with small cells
protected). The others are work: an institution's reporter enters and sends the values of
the indicators their institution produces, a state's enlace those of their own state for
indicators broken down by state (``entidad``), and UPM reviewers and administrators any
value. Only reviewers and administrators approve a period's values (which locks them) and
unlock them again.

``can(user, action, obj)``: *obj* is a :class:`~.models.Value` (saved or about to be) for
``view``, ``edit`` and ``history``; an :class:`~.models.Indicator` (or a value) for
``submit``; an indicator or nothing for ``approve`` and ``unlock``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.catalog.models import State
from observatorio.lib.policy import ALLOW, Decision, deny, only, require

from .models import Indicator, Value

SIGN_IN = _("Inicie sesión para continuar.")
STATE_DIMENSION = "entidad"


def _liaison_codes(scope: Scope) -> frozenset[str]:
    """The INEGI codes of the states the scope is enlace of."""
    ids = scope.states_for(Role.LIAISON)
    if not ids:
        return frozenset()
    return frozenset(State.objects.filter(pk__in=ids).values_list("inegi_code", flat=True))


def _by_state(indicator: Indicator) -> bool:
    return STATE_DIMENSION in (indicator.dimensions or [])


def _may_enter(scope: Scope, indicator: Indicator, state: str | None) -> bool:
    """Whether the scope enters values of *indicator* (for *state*; None: for any state)."""
    if scope.has(*REVIEW_ROLES):
        return True
    institution = indicator.source_institution_id
    if institution and institution in scope.institutions_for(Role.REPORTER):
        return True
    if not _by_state(indicator):
        return False
    codes = _liaison_codes(scope)
    if state is None:
        return bool(codes)
    return state in codes


def _view(scope: Scope, value: Value) -> Decision:
    if value.review == Value.Review.APPROVED:
        return ALLOW
    if _may_enter(scope, value.indicator, value.state):
        return ALLOW
    return deny(_("Este valor no está aprobado y no pertenece a su ámbito."))


def _submit(scope: Scope, obj: Indicator | Value) -> Decision:
    if isinstance(obj, Value):
        indicator, state = obj.indicator, obj.state
    else:
        indicator, state = obj, None
    if not _may_enter(scope, indicator, state):
        if state is not None and _by_state(indicator) and _liaison_codes(scope):
            return deny(_("Solo puede capturar valores de su propia entidad federativa."))
        return deny(_("Su cuenta no captura valores de este indicador."))
    return ALLOW


def _edit(scope: Scope, value: Value) -> Decision:
    decision = _submit(scope, value)
    if not decision:
        return decision
    if value.pk and value.review == Value.Review.APPROVED:
        return deny(
            _("El valor está aprobado: un revisor debe desbloquearlo antes de corregirlo."),
            conflict=True,
        )
    return ALLOW


def _history(scope: Scope, value: Value) -> Decision:
    if scope.has(*REVIEW_ROLES) or _may_enter(scope, value.indicator, value.state):
        return ALLOW
    return deny(_("El historial de un valor es visible para quien lo captura y para la UPM."))


def _review(scope: Scope, obj) -> Decision:
    return only(
        scope,
        REVIEW_ROLES,
        _("Solo el personal revisor de la UPM y la administración pueden hacerlo."),
    )


RULES = {
    "view": _view,
    "submit": _submit,
    "edit": _edit,
    "history": _history,
    "approve": _review,
    "unlock": _review,
}

#: Actions granted without signing in (approved values are public).
PUBLIC_ACTIONS = frozenset({"view"})


def can(user, action: str, obj: Value | Indicator | None = None) -> Decision:
    """Decide whether *user* may do *action* (see the module's docstring) with *obj*."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if action not in PUBLIC_ACTIONS and not getattr(user, "is_authenticated", False):
        return deny(SIGN_IN)
    return RULES[action](Scope.of(user), obj)


def _work(scope: Scope) -> Q:
    """The values that are the scope's work, in any review status."""
    if scope.has(*REVIEW_ROLES):
        return Q()
    rule = Q(pk__in=[])
    institutions = scope.institutions_for(Role.REPORTER)
    if institutions:
        rule |= Q(indicator__source_institution__in=institutions)
    codes = _liaison_codes(scope)
    if codes:
        ids = [i.pk for i in Indicator.objects.only("pk", "dimensions") if _by_state(i)]
        rule |= Q(indicator__in=ids, state__in=codes)
    return rule


def visible(user, queryset: QuerySet | None = None) -> QuerySet:
    """Narrow *queryset* (values by default) to what *user* may see: approved values, and
    the values the user enters."""
    qs = Value.objects.all() if queryset is None else queryset
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return qs
    return qs.filter(Q(review=Value.Review.APPROVED) | _work(scope))


def workable(user, queryset: QuerySet | None = None) -> QuerySet:
    """Narrow *queryset* to the values *user* enters (any review status): a subset of
    :func:`visible`, the capture list and the values a user sends to review."""
    qs = Value.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(_work(Scope.of(user)))


def submittable(user, queryset: QuerySet | None = None) -> QuerySet:
    """The indicators whose values *user* may enter (the capture form's pick-list)."""
    qs = Indicator.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = Scope.of(user)
    return qs.filter(pk__in=[i.pk for i in qs if _may_enter(scope, i, None)])


def get_or_404(user, pk, action: str = "view") -> Value:
    """The value *pk* for *user*; one the user may not see is a 404 like a missing one.

    A value the user sees but may not *action* because of who they are is a 403 with the
    policy's reason; a refusal because of the value's state (approved: locked) is left to
    the caller."""
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    value = Value.objects.select_related("indicator").filter(pk=int(text)).first()
    if value is None or not can(user, "view", value):
        raise Http404
    if action != "view":
        require(can(user, action, value))
    return value
