"""The indicators as open data: their definitions and their published cells.

The cells are those of every public output (:mod:`observatorio.indicators.published`):
approved values, small cells protected over every table of a period; a suppressed cell
has an empty ``valor`` and ``reservada`` «sí», never a 0.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from observatorio.indicators import published
from observatorio.indicators.models import AGE_GROUPS, SEXES, Indicator, Value

from .schema import INEGI, Column, Dataset, ForeignKey, enum, key, required


def indicator_rows() -> Iterator[dict]:
    indicators = Indicator.objects.order_by("code").select_related("source_institution")
    for indicator in indicators.prefetch_related("objectives"):
        yield {
            "code": indicator.code,
            "name_es": indicator.name_es,
            "name_en": indicator.name_en,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "theme": indicator.theme,
            "frequency": indicator.frequency,
            "dimensions": "; ".join(indicator.dimensions),
            "objectives": "; ".join(str(o.number) for o in indicator.objectives.all()),
            "sdg_targets": "; ".join(indicator.sdg_targets),
            "institution": indicator.source_institution.acronym
            if indicator.source_institution
            else "",
            "source_note": indicator.source_note,
            "min_cell": indicator.min_cell,
        }


def cell_rows() -> Iterator[dict]:
    for indicator in Indicator.objects.order_by("code"):
        for cell in published.cells(indicator):
            yield {"indicator": indicator.code, **vars(cell), "flags": "; ".join(cell.flags)}


def cell_count() -> int:
    return sum(1 for _row in cell_rows())


INDICATORS = Dataset(
    name="indicators",
    slug="indicadores",
    title=_("Indicadores"),
    description=_(
        "La definición de cada indicador: unidad, tipo, periodicidad, desagregaciones, "
        "objetivos del Pacto Mundial, metas ODS, fuente y celda mínima publicable."
    ),
    columns=(
        Column("clave", "string", _("Clave del indicador."), key("code"), required()),
        Column("nombre", "string", _("Nombre en español."), key("name_es"), required()),
        Column("nombre_en", "string", _("Nombre en inglés."), key("name_en")),
        Column("unidad", "string", _("Unidad de medida."), key("unit")),
        Column(
            "tipo",
            "string",
            _("Conteo, razón, porcentaje o tasa."),
            key("kind"),
            enum(Indicator.Kind.choices),
        ),
        Column(
            "tema", "string", _("Tema del indicador."), key("theme"), enum(Indicator.Theme.choices)
        ),
        Column(
            "periodicidad",
            "string",
            _("Cada cuánto se mide."),
            key("frequency"),
            enum(Indicator.Frequency.choices),
        ),
        Column(
            "desagregaciones",
            "string",
            _("Desagregaciones, separadas por «; »."),
            key("dimensions"),
        ),
        Column(
            "objetivos",
            "string",
            _("Objetivos del Pacto Mundial que sigue (números, separados por «; »)."),
            key("objectives"),
        ),
        Column("metas_ods", "string", _("Metas o indicadores ODS."), key("sdg_targets")),
        Column(
            "institucion_fuente",
            "string",
            _("Siglas de la institución que produce el dato."),
            key("institution"),
        ),
        Column("fuente", "string", _("Fuente del dato."), key("source_note")),
        Column(
            "celda_minima",
            "integer",
            _("Los conteos menores que este número no se publican."),
            key("min_cell"),
            required(minimum=1),
        ),
    ),
    primary_key=("clave",),
    objects=lambda context, params: indicator_rows(),
    count=lambda context, params: Indicator.objects.count(),
    source="indicators",
)

INDICATOR_VALUES = Dataset(
    name="indicator_values",
    slug="valores-indicadores",
    title=_("Valores de los indicadores"),
    description=_(
        "Un renglón por celda publicada: indicador, periodo, entidad (vacía: nacional) y cada "
        "desagregación (vacía: todas). Solo valores aprobados; las celdas pequeñas, y las que "
        "permitirían deducirlas, están reservadas: «valor» vacío y «reservada» «sí»."
    ),
    columns=(
        Column(
            "indicador",
            "string",
            _("Clave del indicador (columna clave de indicadores)."),
            key("indicator"),
            required(),
        ),
        Column("periodo", "integer", _("Año."), key("period"), required()),
        Column(
            "parte_del_ano",
            "string",
            _("Vacía: el año completo; si no, los meses publicados."),
            key("period_label"),
        ),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de la entidad; vacía: nacional."),
            key("state"),
            INEGI,
        ),
        Column("sexo", "string", _("Vacío: todos."), key("sex"), enum([(s, s) for s in SEXES])),
        Column(
            "grupo_edad",
            "string",
            _("Vacío: todos."),
            key("age_group"),
            enum([(g, g) for g in AGE_GROUPS]),
        ),
        Column(
            "nacionalidad",
            "string",
            _("ISO 3166-1 alfa-3; vacía: todas."),
            key("nationality"),
            {"pattern": "[A-Z]{3}"},
        ),
        Column(
            "pais_nacimiento",
            "string",
            _("ISO 3166-1 alfa-3; vacío: todos."),
            key("country_of_birth"),
            {"pattern": "[A-Z]{3}"},
        ),
        Column("poblacion", "string", _("Grupo de población; vacío: todos."), key("population")),
        Column(
            "objetivo",
            "integer",
            _("Objetivo del Pacto Mundial (1 a 23); vacío: todos."),
            lambda row, _context: int(row["objective"]) if row["objective"] else None,
            {"minimum": 1, "maximum": 23},
        ),
        Column("valor", "number", _("Valor; vacío cuando la celda está reservada."), key("value")),
        Column(
            "reservada",
            "boolean",
            _("Reservada por ser pequeña o porque permitiría deducir otra."),
            key("suppressed"),
            required(),
        ),
        Column(
            "estado",
            "string",
            _("Preliminar o definitivo."),
            key("status"),
            enum(Value.Status.choices),
        ),
        Column(
            "fuente_citada",
            "string",
            _("La fuente que cita el documento de donde se tomó el valor."),
            key("source_cited"),
        ),
        Column(
            "alertas",
            "string",
            _("Alertas sobre el valor, separadas por «; » (vacía en una celda reservada)."),
            key("flags"),
        ),
    ),
    primary_key=(
        "indicador",
        "periodo",
        "parte_del_ano",
        "entidad_clave",
        "sexo",
        "grupo_edad",
        "nacionalidad",
        "pais_nacimiento",
        "poblacion",
        "objetivo",
    ),
    foreign_keys=(
        ForeignKey(("indicador",), "indicators", ("clave",)),
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
    ),
    objects=lambda context, params: cell_rows(),
    count=lambda context, params: cell_count(),
    source="indicators",
)
