"""Lists in a state's panorama: an introducing line, then one figure per item.

A line no statement rule recognised may introduce a list (``list_intro``: "por
país de origen", "principales causas"…) or be one of its items (``list_item``:
residence cards, people presented or returned, countries, causes, municipalities).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from observatorio.lib.text import fold

from .figures import Span, period_between
from .numbers import NUM, NUM_BODY, PCT

if TYPE_CHECKING:
    from .state_panorama import StatePanorama

_RESIDENCE_ITEM = re.compile(
    r"^(?P<label>(?:Tarjetas de )?[Rr]esiden(?:te|cia)s?\s+(?:[Tt]emporal|[Pp]ermanente)s?"
    r"(?:\s+\w+)?)\s*:?\s*(?P<raw>\d[\d\s,.l]*?)(?:\s+en\s+la\s+(?:CDMX|entidad)\S*)?\s*\.?$"
)
_RESIDENCE_NUMBER_FIRST = re.compile(r"^(?P<raw>" + NUM_BODY + r")\s+(?P<label>residencias\s+\w+)")
_IRREGULAR_ITEM = re.compile(
    r"^(?P<label>[^:]*?(?:presentad|deportaci|retorno asistido)[^:]*?)\s*:\s*"
    r"(?P<raw>\d{1,3}(?:(?:,\s?|\s)\d{3})+|\d+)(?P<tail>\D.*)?$",
    re.IGNORECASE,
)
_NAME_VALUE = re.compile(
    r"^(?P<name>[A-ZÁÉÍÓÚÑ][^:]*?)\s*:\s*(?P<raw>\d[\d\s,.]*?)(?:\s*personas)?\s*\.?$"
)
_CAUSE_ITEM = re.compile(r"^(?P<label>[A-ZÁÉÍÓÚÑ][^,:%\d]*?)\s*[,:]?\s+" + PCT + r"\s*$")


# Indicators of list items, by a word of their (folded) label; the first that matches wins.
_RESIDENCE_CARDS = (
    ("temporal", "Tarjetas de residente temporal emitidas"),
    ("renov", "Tarjetas de residente permanente renovadas"),
    ("", "Tarjetas de residente permanente emitidas"),
)
_RETURNS = (
    ("menor", "Menores de 18 años devueltos por retorno asistido"),
    ("deportacion y retorno", "Extranjeros devueltos por deportación y retorno asistido"),
    ("presentad", "Extranjeros presentados ante la autoridad migratoria"),
    ("deportacion", "Extranjeros devueltos por deportación"),
    ("", "Extranjeros devueltos por retorno asistido"),
)


def _indicator(label: str, choices: tuple[tuple[str, str], ...]) -> str:
    folded = fold(label)
    return next(indicator for word, indicator in choices if word in folded)


def list_intro(state: StatePanorama, body: str) -> bool:
    folded = fold(body)
    intros = (
        ("inmigrantes internacionales por pais de origen", "country_causes"),
        ("demarcaciones territoriales con mayor porcentaje", "demarcation"),
        ("con mas personas nacidas en otro pais", "municipality"),
        ("principal causa de migracion", "main_cause"),
        ("principales causas", "causes"),
        ("no documentada", "irregular"),
        ("acciones de proteccion", "beta"),
        ("condiciones de estancia", "residence"),
    )
    for phrase, kind in intros:
        if phrase in folded:
            state.list_kind = kind
            state.list_group = state.group("partial" if kind == "causes" else "count")
            return True
    return False


def list_item(state: StatePanorama, span: Span) -> None:
    span = Span(span.line, span.offset, span.text.strip())
    residence = _RESIDENCE_ITEM.match(span.text) or _RESIDENCE_NUMBER_FIRST.match(span.text)
    if residence:
        figure = state.add(
            span,
            residence.start("raw"),
            _indicator(residence.group("label"), _RESIDENCE_CARDS),
            residence.group("raw").strip(),
            "tarjetas",
        )
        if state.list_kind == "residence" and state.list_group is not None:
            state.list_group.parts.append(figure)
        return
    irregular = _IRREGULAR_ITEM.match(span.text)
    if irregular:
        label = f"{irregular.group('label')} {irregular.group('tail') or ''}"
        period = period_between(irregular.group("label"))
        if not period and re.search(r"entre enero y (\w+)\s*$", irregular.group("label")):
            month = re.search(r"entre enero y (\w+)\s*$", irregular.group("label")).group(1)
            period = f"enero a {month}"
        flags = ()
        months = re.compile(r"enero|febrero|marzo|abril|mayo|junio|julio|agosto")
        if (
            period
            and state.row_period
            and months.findall(fold(period)) != months.findall(fold(state.row_period))
        ):
            flags = ("period_differs_from_section",)
        unit = "eventos" if "evento" in fold(label) else "personas"
        state.number(
            span,
            irregular,
            "raw",
            _indicator(label, _RETURNS),
            unit,
            period=period or None,
            flags=flags,
        )
        return
    if state.list_kind == "beta":
        beta = re.match(
            NUM + r"\s+(orientaciones|rescates|acciones de asistencia social)", span.text
        )
        if beta:
            state.number(
                span,
                beta,
                1,
                f"Acciones de protección de los Grupos Beta: {beta.group(2)}",
                "acciones",
            )
        return
    if state.list_kind == "demarcation":
        _demarcations(state, span)
        return
    if state.list_kind == "country_causes":
        _country_cause(state, span)
        return
    cause = _CAUSE_ITEM.match(span.text)
    if cause and (state.list_kind in ("causes", "main_cause") or state.row == "causas"):
        prefix = (
            "Principal causa de la migración"
            if state.list_kind == "main_cause"
            else ("Causa de la migración")
        )
        figure = state.pct(span, cause, 2, f"{prefix}: {cause.group('label').strip()}")
        if state.list_kind != "main_cause":
            if state.list_group is None or state.list_group.kind != "partial":
                state.list_group = state.group("partial")
            state.list_group.parts.append(figure)
        return
    item = _NAME_VALUE.match(span.text)
    if not item:
        return
    name = item.group("name").strip().rstrip(".")
    if name.count("(") > name.count(")"):
        name += ")"
    if fold(name) == "otros paises":
        name = "otros países"
    if state.list_kind == "born":
        indicator, unit = f"Población nacida en otro país, originaria de {name}", "personas"
    elif state.list_kind == "entries":
        indicator, unit = f"Entradas registradas, {name}", "entradas"
    elif state.list_kind == "municipality":
        indicator, unit = f"Población nacida en otro país, municipio de {name}", "personas"
    else:
        return
    figure = state.number(span, item, "raw", indicator, unit)
    if state.list_group is not None and state.list_kind in ("born", "entries"):
        state.list_group.parts.append(figure)


def _demarcations(state: StatePanorama, span: Span) -> None:
    for piece in re.finditer(r"[^%]+%", span.text):
        text = piece.group(0)
        start = piece.start() + len(text) - len(text.lstrip())
        text = text.strip()
        if ":" in text:
            municipality = text.split(":", 1)[0]
            rest_start = len(municipality) + 1
        else:
            head = re.match(r"((?:[A-ZÁÉÍÓÚ][\wáéíóúñ.]*\s+)+)", text)
            if not head:
                continue
            municipality, rest_start = head.group(1), head.end()
        rest = span.tail(start + rest_start, start + len(text))
        value = re.search(PCT + r"\s*$", rest.text)
        if not value:
            continue
        cause = rest.text[: value.start()].strip().rstrip(",")
        flags = () if cause else ("label_missing",)
        state.pct(
            rest,
            value,
            1,
            "Demarcación con mayor porcentaje por causa de inmigración "
            f"({cause or 'causa no impresa'}): {municipality.strip()}",
            flags=flags,
        )


def _country_cause(state: StatePanorama, span: Span) -> None:
    cause = re.match(r"^Causa(?: de la migración)?:\s*(?P<label>[^\d%]+?),?\s*" + PCT, span.text)
    if cause:
        state.pct(
            span,
            cause,
            2,
            f"Inmigrantes internacionales originarios de {state.country}: principal causa "
            f"({cause.group('label').strip()})",
        )
        return
    count = re.match(r"^(?P<name>[A-ZÁÉÍÓÚ][\w ]*?):\s*(?P<raw>\d[\d\s,.]*)?$", span.text)
    if count:
        state.country = count.group("name").strip()
        raw = (count.group("raw") or "").strip()
        state.add(
            span,
            (count.start("raw") if raw else count.end()),
            f"Inmigrantes internacionales, originarios de {state.country}",
            raw,
            "personas",
            flags=() if raw else ("value_missing",),
        )
