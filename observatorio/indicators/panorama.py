"""The panorama figures of the good-practice study as indicator values.

The study's regional and state panoramas print figures that the catalogue's indicators
define (``"panorama"``: the printed names of each). A figure becomes a value when its
name is the indicator's, alone or with a breakdown the values can hold (", mujeres",
", hombres", ", originaria de Venezuela"), when it is a count (not a percentage), of a
state or the country (not a region), and of a period with a year. Its period as printed
is kept when it is not one whole year ("enero a junio de 2021"; a figure printed with no
period takes the year of the census it cites, with an alert); its source is the line
of the study, with the source the study cites and the importer's alerts. The same cell
printed twice keeps the first figure, and a different second figure is an alert on it,
never a silent choice. Loading again replaces the panorama's values (idempotent).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from observatorio.catalog.countries import countries
from observatorio.lib.text import fold
from observatorio.practices.models import PanoramaFigure

from .catalogue import entries
from .models import Indicator, Value

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_BORN_IN = re.compile(r"^,? *originari[ao]s? de (?P<country>.+)$")
_MONTH_YEAR = re.compile(
    r"\b(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre) ((?:19|20)\d{2})$"
)
_SEXES = {", mujeres": "mujer", ", hombres": "hombre"}
#: Printed country names the ISO list spells otherwise.
_COUNTRY_ALIASES = {"estados unidos de america": "USA"}


@dataclass
class Loaded:
    written: int = 0
    skipped: Counter = field(default_factory=Counter)


def _country(name: str) -> str | None:
    folded = fold(name).strip(" .")
    if folded in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[folded]
    return next((c.alpha_3 for c in countries() if fold(c.name_es) == folded), None)


def breakdown(printed: str, base: str) -> dict | None:
    """The dimension members of a figure named *printed* for an indicator printed *base*:
    ``{}`` for the total, None when the name is another figure or a breakdown values
    cannot hold."""
    if fold(printed) == fold(base):
        return {}
    if not fold(printed).startswith(fold(base)):
        return None
    rest = printed[len(base) :]
    if rest.lower() in _SEXES:
        return {"sex": _SEXES[rest.lower()]}
    born = _BORN_IN.match(rest.strip())
    if born:
        code = _country(born.group("country"))
        return {"country_of_birth": code} if code else None
    return None


def period_of(printed: str) -> tuple[int, str] | None:
    """(year, label) of a printed period: the label is empty for one whole year."""
    years = [int(m.group()) for m in _YEAR.finditer(printed)]
    if not years:
        return None
    text = " ".join(printed.split())
    if text == str(years[-1]):
        return years[-1], ""
    # "enero a junio 2021" and "enero a junio de 2021" are one period.
    return years[-1], _MONTH_YEAR.sub(r"\1 de \2", text)


@transaction.atomic
def load() -> Loaded:
    """Replace the values that come from the panoramas with those the figures give now."""
    result = Loaded()
    Value.objects.filter(origin=Value.Origin.PANORAMA).delete()
    indicators = {i.code: i for i in Indicator.objects.all()}
    bases = [
        (indicators[item["code"]], base)
        for item in entries()
        if item["code"] in indicators
        for base in item.get("panorama", ())
    ]
    figures = PanoramaFigure.objects.select_related("state", "source").order_by("source_line", "id")
    cells: dict[tuple, Value] = {}
    for figure in figures:
        match = next(
            (
                (indicator, members)
                for indicator, base in bases
                if (members := breakdown(figure.indicator, base)) is not None
            ),
            None,
        )
        if match is None:
            result.skipped[_("no es un indicador del catálogo o su desagregación")] += 1
            continue
        indicator, members = match
        if figure.unit == "%" or figure.value is None:
            result.skipped[_("porcentaje o sin valor")] += 1
            continue
        if figure.scope_kind == PanoramaFigure.ScopeKind.REGION:
            result.skipped[_("cifra regional")] += 1
            continue
        period = period_of(figure.period)
        flags = list(figure.flags)
        if period is None and len(set(_YEAR.findall(figure.source_cited))) == 1:
            # The census the figure cites gives its year ("Censo … 2020").
            period = (int(_YEAR.search(figure.source_cited).group()), "")
            flags.append(_("Año tomado de la fuente citada."))
        if period is None:
            result.skipped[_("periodo sin año")] += 1
            continue
        year, label = period
        state = figure.state.inegi_code if figure.state_id else ""
        key = (indicator.pk, year, label, state, tuple(sorted(members.items())))
        seen = cells.get(key)
        if seen is not None:
            if seen.value != figure.value:
                seen.flags.append(
                    _("La línea %(line)d imprime otra cifra para el mismo dato: %(value)s.")
                    % {"line": figure.source_line, "value": figure.value_as_printed}
                )
            continue
        cells[key] = Value(
            indicator=indicator,
            period=year,
            period_label=label,
            state=state,
            value=figure.value,
            status=Value.Status.FINAL,
            review=Value.Review.APPROVED,
            origin=Value.Origin.PANORAMA,
            source_cited=figure.source_cited,
            source=figure.source,
            source_lines=str(figure.source_line),
            flags=flags,
            **members,
        )
    Value.objects.bulk_create(cells.values())
    result.written = len(cells)
    return result
