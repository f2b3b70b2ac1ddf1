"""Statements about flows in a state's panorama: entries, residence, returns, remittances.

Entries registered, residence cards, people presented to the migration authority
and returned, encounters at the United States border, repatriations and
remittances. Like ``rules_people.py``: each rule returns whether it recognised
the statement; :data:`RULES` lists them in order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .figures import Span, period_between
from .layout import state_from_heading
from .numbers import NUM, PCT

if TYPE_CHECKING:
    from .state_panorama import StatePanorama


def entries(state: StatePanorama, span: Span) -> bool:
    match = re.search(r"un total de\s+" + NUM + r"\s+(?:entradas|registros de entrada)", span.text)
    if not match:
        return False
    period = period_between(span.text) or state.row_period
    total = state.number(span, match, 1, "Entradas registradas", "entradas", period=period)
    state.entries_total = total
    share = re.search(PCT + r"\s+del\s+total\s+de\s+(?:registros|entradas)", span.text)
    if share:
        figure = state.pct(
            span, share, 1, "Entradas registradas, porcentaje del total nacional", period=period
        )
        state.owner.share_checks.append((figure, total))
    state.list_kind = "entries"
    state.list_group = state.group("count", total)
    return True


def residence_total(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"Un total de\s+" + NUM + r"\s+personas extranjeras(?:\s+en\s+(?P<a>[^,]+?))?\s+"
        r"obtuvieron un tipo de residencia(?:\s+en\s+(?P<b>[A-ZÁÉÍÓÚ][\wáéíóú ]+?))?"
        r"(?:\s+en\s+\d{4})?\s*:",
        span.text,
    )
    if not match:
        return False
    flags: tuple[str, ...] = ()
    for printed in (match.group("a"), match.group("b")):
        named = state_from_heading(printed) if printed else None
        if printed and named != state.name:
            flags = ("wrong_state_in_text",)
            state.owner.warnings.append(
                (
                    span.line_at(match.start()),
                    f"{state.name}: el panorama atribuye sus residencias a «{printed}»",
                )
            )
    total = state.number(
        span, match, 1, "Personas extranjeras que obtuvieron residencia", "personas", flags=flags
    )
    state.list_kind = "residence"
    state.list_group = state.group("count", total)
    return True


def events(state: StatePanorama, span: Span) -> bool:
    found = False
    presented = re.search(
        r"se registraron\s+"
        + NUM
        + r"\s+eventos\s+de\s+(?:presentación de extranjeros|extranjeros presentados)",
        span.text,
        re.IGNORECASE,
    )
    if presented:
        state.number(
            span, presented, 1, "Extranjeros presentados ante la autoridad migratoria", "eventos"
        )
        found = True
    returned = re.search(
        r"Se ha(?:n)? realizado\s+"
        + NUM
        + r"\s+eventos?\s+de\s+deportación,\s+"
        + NUM
        + r"\s+retornos asistidos\s+y\s+(\d+)\s*retornos asistidos de menores de edad",
        span.text,
    )
    if returned:
        for index, indicator in (
            (1, "Extranjeros devueltos por deportación"),
            (2, "Extranjeros devueltos por retorno asistido"),
            (3, "Menores de 18 años devueltos por retorno asistido"),
        ):
            state.number(span, returned, index, indicator, "eventos")
        found = True
    cards = re.search(r"se emitieron\s+" + NUM + r"\s+tarjetas de residencia temporal", span.text)
    if cards:
        state.number(span, cards, 1, "Tarjetas de residente temporal emitidas", "tarjetas")
        found = True
    permanent = re.search(
        r"se emitieron\s+"
        + NUM
        + r"\s+Tarjetas de Residente Permanente\S*\s+y\s+renovaron\s+"
        + NUM,
        span.text,
    )
    if permanent:
        state.number(span, permanent, 1, "Tarjetas de residente permanente emitidas", "tarjetas")
        state.number(span, permanent, 2, "Tarjetas de residente permanente renovadas", "tarjetas")
        found = True
    return found


# What the Chihuahua panorama adds up after its border sectors: their encounters (the
# sectors' totals, part 0) and the people expelled into Mexico (their expulsions, part 1).
_SECTOR_TOTALS = (
    (
        r"se ha registrado un total de\s+" + NUM + r"\s+encuentros",
        "Encuentros con la Patrulla Fronteriza, sectores El Paso y Big Bend: total",
        "encuentros",
        0,
    ),
    (
        r"un total de\s+" + NUM + r"\s+internaciones",
        "Internaciones probables por la frontera de Chihuahua (expulsiones por Título 42)",
        "internaciones",
        1,
    ),
)


def border_encounters(state: StatePanorama, span: Span) -> bool:
    sector = re.search(
        r"Sector de ([\w ]+?), Texas, del año fiscal \d{4} \((.+?)\): "
        r"Expulsiones por Título 42, "
        + NUM
        + r"(?: personas)?; Aprehensiones por Título 8, "
        + NUM
        + r"(?: personas)?\. Total,? "
        + NUM
        + r" encuentros",
        span.text,
    )
    if sector:
        name, period = sector.group(1), sector.group(2)
        prefix = f"Encuentros con la Patrulla Fronteriza, sector {name}"
        total = state.number(span, sector, 5, f"{prefix}: total", "encuentros", period=period)
        parts = [
            (3, f"{prefix}: expulsiones por Título 42"),
            (4, f"{prefix}: aprehensiones por Título 8"),
        ]
        group = state.count_parts(total, span, sector, parts, "personas", period=period)
        state.cbp_sectors.append((total, group.parts[0]))
        return True
    for pattern, indicator, unit, part in _SECTOR_TOTALS:
        found = re.search(pattern, span.text)
        if found and state.cbp_sectors:
            first = state.cbp_sectors[0][0]
            kw = {"period": first.period, "source": first.source_cited}
            total = state.number(span, found, 1, indicator, unit, **kw)
            state.group("count", total).parts.extend(pair[part] for pair in state.cbp_sectors)
            return True
    return False


def repatriated(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"Un total de\s+" + NUM + r"\s+personas originarias de\s+.+?,\s+fueron repatriadas desde "
        r"Estados Unidos,\s+entre ellas\s+"
        + NUM
        + r"\s+[Hh]ombres,\s+"
        + NUM
        + r"\s+[Mm]ujeres:?\s+y\s+"
        + NUM
        + r"\s+(?:personas?\s+)?menor(?:es)?\s+de\s+18\s+años",
        span.text,
    )
    if not match:
        return False
    indicator = "Personas repatriadas desde Estados Unidos"
    total = state.number(span, match, 1, indicator, "personas")
    by_sex = [(2, f"{indicator}, hombres"), (3, f"{indicator}, mujeres")]
    state.count_parts(total, span, match, by_sex, "personas")
    state.number(span, match, 4, f"{indicator}, menores de 18 años", "personas")
    return True


def remittances(state: StatePanorama, span: Span) -> bool:
    match = re.search(r"remesas con\s+" + NUM + r"\s+millones de dólares", span.text)
    if not match:
        return False
    source = state.owner.inline_source(span.text)
    state.number(
        span, match, 1, "Remesas recibidas", "millones de dólares", period="", source=source
    )
    return True


RULES = (entries, residence_total, events, border_encounters, repatriated, remittances)
