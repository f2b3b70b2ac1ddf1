"""Statements about people in a state's panorama: population, emigration, the foreign-born.

Each rule reads one kind of statement in a logical line's *body* (from *offset*)
and adds its figures to the state's panorama; it returns whether it recognised
the statement. :data:`RULES` lists them in the order they are tried.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .figures import Span
from .numbers import NUM, PCT

if TYPE_CHECKING:
    from .state_panorama import StatePanorama


def population(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"(?:un total de|una población total de)\s+" + NUM + r"\s+personas(\s+habitantes)?",
        span.text,
    )
    if not match or not (match.group(2) or "población total" in match.group(0)):
        return False
    total = state.number(span, match, 1, "Población total", "personas")
    sexes = re.search(
        r"el\s+"
        + PCT
        + r"\s+son\s+(mujeres|hombres)\s+y\s+el\s+"
        + PCT
        + r"\s+(?:son\s+)?(hombres|mujeres)",
        span.text,
    )
    if sexes:
        group = state.group("partition", total)
        for value_group, sex_group in ((1, 2), (3, 4)):
            group.parts.append(
                state.pct(span, sexes, value_group, f"Población total, {sexes.group(sex_group)}")
            )
    return True


def emigration(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"[Ee]ntre\s+(.+?),\s+"
        + NUM
        + r"\s+personas\s+e?migraron\s+del?\s+.+?\s+a\s+otros\s+países",
        span.text,
    )
    jalisco = re.search(
        r"emigrantes, se registró un total de\s+"
        + NUM
        + r"\s+personas,\s+de las cuales\s+"
        + NUM
        + r"\s+eran hombres y\s+"
        + NUM
        + r"\s+mujeres",
        span.text,
    )
    emigrated = "Personas que emigraron a otros países"
    if jalisco:
        kw = {"about": "emigracion", "period": ""}
        total = state.number(span, jalisco, 1, emigrated, "personas", **kw)
        by_sex = [(2, f"{emigrated}, hombres"), (3, f"{emigrated}, mujeres")]
        state.count_parts(total, span, jalisco, by_sex, "personas", **kw)
        return True
    if not match:
        return False
    period = re.sub(r"\s+y\s+", " a ", match.group(1).strip())
    kw = {"about": "emigracion", "period": period}
    source = state.owner.inline_source(span.text)
    total = state.number(span, match, 2, emigrated, "personas", source=source, **kw)
    rest = span.tail(match.end())
    counts = re.search(NUM + r"\s+hombres\s+y\s+" + NUM + r"\s+mujeres", rest.text)
    if counts:
        by_sex = [(1, f"{emigrated}, hombres"), (2, f"{emigrated}, mujeres")]
        state.count_parts(total, rest, counts, by_sex, "personas", **kw)
    shares = re.search(
        r"(?:[Ee]l\s+)?" + PCT + r"\s+fueron\s+(hombres|mujeres)\s+y\s+(?:el\s+)?"
        r"(\d+(?:\.\d+)?)(\s*%)?\s+(hombres|mujeres)",
        rest.text,
    )
    if shares:
        group = state.group("partition", total)
        group.parts.append(state.pct(rest, shares, 1, f"{emigrated}, {shares.group(2)}", **kw))
        # The second share may be printed without its "%" sign.
        printed = shares.group(3) + (shares.group(4) or "")
        missing = () if shares.group(4) else ("percent_sign_missing",)
        indicator = f"{emigrated}, {shares.group(5)}"
        group.parts.append(
            state.add(
                rest,
                shares.start(3),
                indicator,
                printed,
                "%",
                number_text=shares.group(3),
                flags=missing,
                **kw,
            )
        )
    return True


_BORN = "Población nacida en otro país"


def born(state: StatePanorama, span: Span) -> bool:
    match = re.search(NUM + r"\s+personas\s+nacieron\s+en\s+otro\s+país", span.text)
    if not match:
        return False
    total = state.number(span, match, 1, _BORN, "personas", about="inmigracion")
    rest = span.tail(match.end())
    shares = list(
        re.finditer(
            PCT + r"\s+(?:de\s+ellas\s+)?en\s+(otros países|[A-ZÁÉÍÓÚ]\w*(?:\s+[A-ZÁÉÍÓÚ]\w*)*)",
            rest.text,
        )
    )
    if shares:
        group = state.group("partition", total)
        for share in shares:
            indicator = f"{_BORN}, originaria de {share.group(2)}"
            group.parts.append(state.pct(rest, share, 1, indicator, about="inmigracion"))
    else:
        state.list_kind = "born"
        state.list_group = state.group("count", total)
    return True


def registered_born(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"tiene registradas\s+" + NUM + r"\s+personas nacidas en otros países", span.text
    )
    if match:
        year = re.search(r"Para (\d{4})", span.text)
        kw = {"about": "inmigracion", "period": year.group(1) if year else ""}
        state.number(span, match, 1, _BORN, "personas", **kw)
        rest = span.tail(match.end())
        share = re.search(
            r"^;\s*(?:de estas\s+)?" + PCT + r"\s+(?:nacidas\s+)?en\s+(Estados Unidos de América)",
            rest.text,
        )
        if share:
            state.pct(rest, share, 1, f"{_BORN}, originaria de {share.group(2)}", **kw)
        return True
    listed = re.match(r"^Población nacida en otros países:\s*(?:" + NUM + r")?\s*$", span.text)
    if not listed:
        return False
    if listed.group(1):
        total = state.number(span, listed, 1, _BORN, "personas", about="inmigracion")
        if state.list_kind == "born" and state.list_group and state.list_group.total is None:
            state.list_group.total = total
            return True
        state.list_group = state.group("count", total)
    else:
        state.list_group = state.group("count", None)
    state.list_kind = "born"
    return True


def municipal_shares(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"Municipios de\s+(.+?)\s+concentran el\s+(.+?),\s+respectivamente", span.text
    )
    if not match:
        return False
    names = [name.strip() for name in re.split(r",\s*|\s+y\s+", match.group(1)) if name.strip()]
    values = list(re.finditer(PCT, match.group(2)))
    if len(names) != len(values):
        state.owner.warnings.append(
            (span.line_at(match.start()), f"{state.name}: porcentajes municipales sin pareja")
        )
        return True
    group = state.group("partial")
    shares = span.tail(match.start(2), match.end(2))
    for name, value in zip(names, values, strict=True):
        group.parts.append(
            state.pct(
                shares,
                value,
                1,
                f"{_BORN}, municipio de {name}",
                about="inmigracion",
                period=_last_registered_period(state),
            )
        )
    return True


def top_municipality(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"[Mm]unicipio\b[^.]*?\bes\s+(.+?),\s+con\s+" + NUM + r"\s+personas", span.text
    )
    if not match:
        return False
    indicator = f"{_BORN}, municipio de {match.group(1).strip()}"
    state.number(span, match, 2, indicator, "personas", about="inmigracion")
    return True


def _last_registered_period(state: StatePanorama) -> str:
    for figure in reversed(state.owner.figures):
        if figure.scope == state.name and figure.indicator == _BORN:
            return figure.period
    return ""


def immigrants(state: StatePanorama, span: Span) -> bool:
    match = re.search(
        r"registró en (\d{4}) un total de\s+" + NUM + r"\s+inmigrantes internacionales", span.text
    )
    if not match:
        return False
    kw = {"about": "inmigracion", "period": match.group(1)}
    state.number(span, match, 2, "Inmigrantes internacionales", "personas", **kw)
    share = re.search(
        r"el\s+" + PCT + r"\s+corresponden a\s+(Estados Unidos de América)", span.text
    )
    if share:
        indicator = f"Inmigrantes internacionales, originarios de {share.group(2)}"
        state.pct(span, share, 1, indicator, **kw)
    return True


RULES = (
    population,
    emigration,
    born,
    registered_born,
    municipal_shares,
    top_municipality,
    immigrants,
)
