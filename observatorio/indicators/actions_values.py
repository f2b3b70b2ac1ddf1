"""Entering, sending, approving and unlocking indicator values, with their history.

Each function is one transaction that asks the policy (``permissions.can``) once and raises
:class:`~.actions.ValuesRefused` with a Spanish message when refused, with nothing changed.
Every change of a value writes a :class:`~.models.ValueRevision`. After a value changes,
the indicators computed from it (numerator / denominator × factor) are computed again for
the same cell (:func:`recompute`): their review follows their inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from observatorio.catalog.countries import countries
from observatorio.catalog.models import PopulationGroup, State

from . import notifying, permissions
from .actions import ValuesRefused
from .models import AGE_GROUPS, CELL, OBJECTIVES, SEXES, Indicator, Value, ValueRevision

#: The fields of a value that say which cell it is.
CELL_FIELDS = CELL
#: Dimension name (as in the catalogue) -> field of Value.
DIMENSION_FIELDS = {
    "entidad": "state",
    "sexo": "sex",
    "grupo_edad": "age_group",
    "nacionalidad": "nationality",
    "pais_nacimiento": "country_of_birth",
    "poblacion": "population",
    "objetivo": "objective",
}
MAX_VALUE = Decimal("1e15")
MAX_COMMENT = 2000
TWO_PLACES = Decimal("0.01")
Action = ValueRevision.Action
Review = Value.Review


def _refuse(decision) -> None:
    if not decision:
        raise ValuesRefused(
            decision.reason, forbidden=not decision.conflict, conflict=decision.conflict
        )


def _field_label(field: str) -> str:
    return str(Value._meta.get_field(field).verbose_name)


@dataclass(frozen=True)
class Known:
    """The members a cell may name, read once (an import checks many rows)."""

    states: frozenset[str]
    populations: frozenset[str]

    @classmethod
    def load(cls) -> Known:
        return cls(
            frozenset(State.objects.values_list("inegi_code", flat=True)),
            frozenset(PopulationGroup.objects.values_list("code", flat=True)),
        )


def clean_cell(indicator: Indicator, cell: dict, known: Known | None = None) -> dict:
    """The cell (the fields of :data:`CELL_FIELDS`) checked against *indicator*: only its
    dimensions may be broken down, each member must exist. Raises ValuesRefused."""
    known = known or Known.load()
    unknown = set(cell) - set(CELL_FIELDS)
    if unknown:
        raise ValuesRefused(_("Campos desconocidos: %(names)s.") % {"names": ", ".join(unknown)})
    clean = {field: str(cell.get(field) or "").strip() for field in CELL_FIELDS[1:]}
    try:
        period = int(str(cell.get("period", "")).strip())
    except ValueError:
        raise ValuesRefused(_("El periodo debe ser un año, p. ej. 2024.")) from None
    last = dt.date.today().year + 1
    if not 1900 <= period <= last:
        raise ValuesRefused(_("El periodo debe estar entre 1900 y %(last)s.") % {"last": last})
    if len(clean["period_label"]) > 60:
        raise ValuesRefused(_("La parte del año tiene como máximo 60 caracteres."))
    allowed = {DIMENSION_FIELDS[d] for d in indicator.dimensions or [] if d in DIMENSION_FIELDS}
    for field in DIMENSION_FIELDS.values():
        if clean[field] and field not in allowed:
            raise ValuesRefused(
                _("El indicador «%(code)s» no se desagrega por %(field)s.")
                % {"code": indicator.code, "field": _field_label(field)}
            )
    problems = {
        "state": lambda v: v not in known.states,
        "sex": lambda v: v not in SEXES,
        "age_group": lambda v: v not in AGE_GROUPS,
        "nationality": lambda v: v not in country_codes(),
        "country_of_birth": lambda v: v not in country_codes(),
        "population": lambda v: v not in known.populations,
        "objective": lambda v: v not in OBJECTIVES,
    }
    for field, wrong in problems.items():
        if clean[field] and wrong(clean[field]):
            raise ValuesRefused(
                _("«%(member)s» no es un valor válido de %(field)s.")
                % {"member": clean[field][:60], "field": _field_label(field)}
            )
    return {"period": period, **clean}


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_3 for country in countries())


def clean_number(indicator: Indicator, value) -> Decimal:
    """The value checked against the indicator's kind. Raises ValuesRefused."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValuesRefused(_("El valor debe ser un número, p. ej. 1250 o 12.5.")) from None
    if not number.is_finite():
        raise ValuesRefused(_("El valor debe ser un número, p. ej. 1250 o 12.5."))
    if number < 0:
        raise ValuesRefused(_("El valor no puede ser negativo."))
    if number >= MAX_VALUE:
        raise ValuesRefused(_("El valor es demasiado grande."))
    if indicator.kind == Indicator.Kind.COUNT and number != number.to_integral_value():
        raise ValuesRefused(_("Un conteo es un número entero."))
    if indicator.kind == Indicator.Kind.PERCENTAGE and number > 100:
        raise ValuesRefused(_("Un porcentaje no puede ser mayor que 100."))
    if number.as_tuple().exponent < -4:
        raise ValuesRefused(_("El valor tiene como máximo cuatro decimales."))
    return number


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValuesRefused(
            _("El comentario tiene como máximo %(max)s caracteres.") % {"max": MAX_COMMENT}
        )
    return comment


def _entered(indicator: Indicator) -> None:
    """Refuse an indicator that is not entered by hand."""
    if indicator.is_computed:
        raise ValuesRefused(
            _("«%(code)s» se calcula con una fórmula a partir de otros indicadores.")
            % {"code": indicator.code}
        )
    if indicator.measure:
        raise ValuesRefused(
            _("«%(code)s» se calcula a partir de registros administrativos.")
            % {"code": indicator.code}
        )


@transaction.atomic
def save_value(
    by,
    indicator: Indicator,
    *,
    value,
    status: str = Value.Status.PRELIMINARY,
    comment: str = "",
    origin: str = Value.Origin.FORM,
    **cell,
) -> Value:
    """Enter or correct the value of one cell of *indicator*; a corrected value goes back
    to draft. Approved values are locked."""
    _entered(indicator)
    cell = clean_cell(indicator, cell)
    number = clean_number(indicator, value)
    comment = _clean_comment(comment)
    if status not in Value.Status.values:
        raise ValuesRefused(_("El estado del dato debe ser preliminar o definitivo."))
    # One writer of an indicator at a time: two first entries of one cell cannot collide.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    current = Value.objects.select_for_update().filter(indicator=indicator, **cell).first()
    candidate = current or Value(indicator=indicator, **cell)
    _refuse(permissions.can(by, "edit", candidate))
    if current is not None and current.value == number and current.status == status:
        return current
    previous = current.value if current is not None else None
    candidate.value = number
    candidate.status = status
    candidate.review = Review.DRAFT
    candidate.origin = origin
    candidate.save()
    if origin == Value.Origin.FILE:
        action = Action.IMPORTED
    else:
        action = Action.CREATED if current is None else Action.CHANGED
    ValueRevision.objects.create(
        value=candidate,
        by=by,
        action=action,
        previous=previous,
        new=number,
        review=candidate.review,
        comment=comment,
    )
    recompute(by, indicator, [candidate])
    return candidate


def _period(period) -> int:
    try:
        return int(period)
    except (TypeError, ValueError):
        raise ValuesRefused(_("El periodo debe ser un año, p. ej. 2024.")) from None


def _move(by, values: list[Value], review: str, action: str, comment: str) -> None:
    Value.objects.filter(pk__in=[v.pk for v in values]).update(review=review)
    ValueRevision.objects.bulk_create(
        ValueRevision(
            value=v,
            by=by,
            action=action,
            previous=v.value,
            new=v.value,
            review=review,
            comment=comment,
        )
        for v in values
    )
    for v in values:
        v.review = review


@transaction.atomic
def submit_values(by, indicator: Indicator, period) -> int:
    """Send the user's draft values of *indicator* and *period* to review; how many."""
    _refuse(permissions.can(by, "submit", indicator))
    period = _period(period)
    drafts = permissions.workable(by, indicator.values.filter(period=period, review=Review.DRAFT))
    none = _("No hay valores en borrador de «%(code)s» en %(period)s para enviar.")
    return _move_period(by, indicator, period, drafts, none, Review.SUBMITTED, Action.SUBMITTED, "")


@transaction.atomic
def approve_values(by, indicator: Indicator, period, comment: str = "") -> int:
    """Approve (and lock) every value of *indicator* and *period*; how many."""
    _refuse(permissions.can(by, "approve", indicator))
    period = _period(period)
    comment = _clean_comment(comment)
    if indicator.is_computed:
        raise ValuesRefused(
            _("«%(code)s» se calcula: apruebe los indicadores de los que se calcula.")
            % {"code": indicator.code}
        )
    pending = indicator.values.filter(period=period).exclude(review=Review.APPROVED)
    none = _("No hay valores de «%(code)s» en %(period)s por aprobar.")
    return _move_period(
        by, indicator, period, pending, none, Review.APPROVED, Action.APPROVED, comment
    )


@transaction.atomic
def unlock_values(by, indicator: Indicator, period, reason: str) -> int:
    """Unlock the approved values of *indicator* and *period* (back to draft); a reason is
    required. How many."""
    _refuse(permissions.can(by, "unlock", indicator))
    period = _period(period)
    reason = _clean_comment(reason)
    if not reason:
        raise ValuesRefused(_("Escriba el motivo del desbloqueo."))
    if indicator.is_computed:
        raise ValuesRefused(
            _("«%(code)s» se calcula: desbloquee los indicadores de los que se calcula.")
            % {"code": indicator.code}
        )
    approved = indicator.values.filter(period=period, review=Review.APPROVED)
    none = _("No hay valores aprobados de «%(code)s» en %(period)s.")
    return _move_period(
        by, indicator, period, approved, none, Review.DRAFT, Action.UNLOCKED, reason
    )


def _move_period(by, indicator, period, queryset, none, review, action, comment) -> int:
    """Move the values of *queryset* (one indicator and period) to *review*, recording
    *action*, and compute again what depends on them; refused with *none* when there is
    nothing to move. How many moved."""
    values = list(queryset.select_for_update())
    if not values:
        raise ValuesRefused(none % {"code": indicator.code, "period": period})
    _move(by, values, review, action, comment)
    recompute(by, indicator, values)
    notifying.values_moved(by, indicator, period, values, action, comment)
    return len(values)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _key(value: Value) -> tuple:
    return tuple(getattr(value, field) for field in CELL_FIELDS)


def _follow(numerator: Value, denominator: Value) -> tuple[str, str]:
    """The review and status of a computed value: approved only when both inputs are."""
    reviews = {numerator.review, denominator.review}
    if reviews == {Review.APPROVED}:
        review = Review.APPROVED
    elif reviews <= {Review.APPROVED, Review.SUBMITTED}:
        review = Review.SUBMITTED
    else:
        review = Review.DRAFT
    final = numerator.status == denominator.status == Value.Status.FINAL
    return review, Value.Status.FINAL if final else Value.Status.PRELIMINARY


def recompute(by, indicator: Indicator, changed: Iterable[Value]) -> int:
    """Compute again, for the cells of *changed*, every indicator whose numerator or
    denominator is *indicator*; a cell with no numerator, or a denominator missing or 0,
    loses its computed value. Runs inside the caller's transaction; how many changed."""
    keys = {_key(v) for v in changed}
    if not keys:
        return 0
    formulas = Indicator.objects.filter(
        Q(numerator=indicator) | Q(denominator=indicator)
    ).select_related("numerator", "denominator")
    count = 0
    periods = {key[0] for key in keys}
    for formula in formulas:
        allowed = {DIMENSION_FIELDS[d] for d in formula.dimensions or [] if d in DIMENSION_FIELDS}

        def values_of(ind, periods=periods):
            qs = ind.values.filter(period__in=periods)
            return {_key(v): v for v in qs if _key(v) in keys}

        numerators = values_of(formula.numerator)
        denominators = values_of(formula.denominator)
        computed = {
            _key(v): v
            for v in formula.values.filter(period__in=periods).select_for_update()
            if _key(v) in keys
        }
        for key in keys:
            cell = dict(zip(CELL_FIELDS, key, strict=True))
            if any(cell[f] for f in DIMENSION_FIELDS.values() if f not in allowed):
                continue
            num, den = numerators.get(key), denominators.get(key)
            current = computed.get(key)
            if num is None or den is None or not den.value or num.value is None:
                if current is not None:
                    current.delete()
                    count += 1
                continue
            result = (num.value / den.value * formula.factor).quantize(
                TWO_PLACES, rounding=ROUND_HALF_UP
            )
            review, status = _follow(num, den)
            if current is not None and (current.value, current.review, current.status) == (
                result,
                review,
                status,
            ):
                continue
            previous = current.value if current is not None else None
            target = current or Value(indicator=formula, **cell)
            target.value, target.review, target.status = result, review, status
            target.origin = Value.Origin.FORMULA
            target.save()
            ValueRevision.objects.create(
                value=target,
                by=by,
                action=Action.COMPUTED,
                previous=previous,
                new=result,
                review=review,
                comment=_("%(num)s ÷ %(den)s × %(factor)s")
                % {
                    "num": _plain(num.value),
                    "den": _plain(den.value),
                    "factor": _plain(formula.factor),
                },
            )
            count += 1
    return count
