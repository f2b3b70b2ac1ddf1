"""What changes indicator values: small functions, each one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Indicator, Value


class ValuesRefused(Exception):
    """A change of values that cannot be made; ``message`` says why, in Spanish."""

    def __init__(self, message: str, *, forbidden: bool = False, conflict: bool = False):
        super().__init__(message)
        self.message = message
        #: Refused because of who asks (403 in the API) or the values' state (409).
        self.forbidden = forbidden
        self.conflict = conflict


@dataclass(frozen=True)
class Replaced:
    periods: tuple[int, ...]
    removed: int
    written: int


def _periods_text(periods: Iterable[int]) -> str:
    return ", ".join(str(p) for p in sorted(set(periods)))


@transaction.atomic
def replace_record_counts(
    indicator: Indicator, periods: Sequence[int], cells: Iterable, source_cited: str = ""
) -> Replaced:
    """The counts of *indicator* for *periods* become *cells* (``records.Cell``): the
    counts a file of records gave before for those periods are removed, never added to.

    Refused, with nothing changed, when the indicator is not counted from records, when a
    value of those periods is approved (unlock it first) or was entered another way.
    """
    if not indicator.from_records:
        raise ValuesRefused(
            _("El indicador «%(code)s» no se calcula a partir de registros.")
            % {"code": indicator.code}
        )
    # One replacement of an indicator at a time: the second waits for the first.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    mine = indicator.values.filter(period__in=periods)
    approved = sorted(
        set(mine.filter(review=Value.Review.APPROVED).values_list("period", flat=True))
    )
    if approved:
        raise ValuesRefused(
            _(
                "Los valores de %(periods)s de «%(code)s» están aprobados: un revisor debe "
                "desbloquearlos antes de reemplazarlos."
            )
            % {"periods": _periods_text(approved), "code": indicator.code}
        )
    other = sorted(set(mine.exclude(origin=Value.Origin.RECORDS).values_list("period", flat=True)))
    if other:
        raise ValuesRefused(
            _(
                "«%(code)s» tiene valores de %(periods)s que no vienen de registros; "
                "bórrelos antes de cargar un archivo para esos periodos."
            )
            % {"periods": _periods_text(other), "code": indicator.code}
        )
    removed, _by_model = mine.delete()
    written = Value.objects.bulk_create(
        (
            Value(
                indicator=indicator,
                period=cell.period,
                state=cell.state,
                sex=cell.sex,
                age_group=cell.age_group,
                nationality=cell.nationality,
                country_of_birth=cell.country_of_birth,
                population=cell.population,
                value=cell.value,
                origin=Value.Origin.RECORDS,
                source_cited=source_cited,
            )
            for cell in cells
        ),
        batch_size=2000,
    )
    return Replaced(tuple(sorted(set(periods))), removed, len(written))
