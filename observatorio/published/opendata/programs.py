"""The programs dataset (also the search download) and the coverage matrix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, State
from observatorio.programs import report
from observatorio.programs.models import BlockStatus, Program, ReportingCycle, ResultFigure
from observatorio.published.filters import ProgramFilter

from ..coverage import coverage
from .schema import (
    INEGI,
    Column,
    Dataset,
    ForeignKey,
    enum,
    format_description,
    joined,
    key,
    required,
    source_columns,
)

#: Programs are read from the database this many at a time while a download streams.
CHUNK = 500


def published_program_ids() -> list[int]:
    """Every published program, in the search page's order without a query."""
    filterset = ProgramFilter({}, queryset=Program.objects.published())
    filterset.is_valid()
    return filterset.ordered_ids()


#: What a program row reads from the database (``values()`` lookups; no model instances,
#: which would make a 50,000-row download several times slower).
FIELDS = (
    "pk",
    "cycle__edition",
    "section",
    "objective__number",
    "objective__title_es",
    "number",
    "title",
    "actor",
    "state__inegi_code",
    "state__name",
    "populations_inferred",
    "description",
    "results",
    "results_status",
    "challenges",
    "challenges_status",
    "has_quantitative_results",
    *report.TERMS,
    "previous_id",
    "previous__status",
    "source__slug",
    "source_first_line",
    "source_last_line",
)

#: The related rows of a program, read for a chunk at a time: key → (through model, the
#: lookups of each related row, the first of them the code and the order).
RELATED = {
    "institutions": (
        Program.institutions.through,
        ("institution__acronym", "institution__name"),
    ),
    "populations": (
        Program.populations.through,
        ("populationgroup__code", "populationgroup__name_es"),
    ),
    "secondary_objectives": (
        Program.secondary_objectives.through,
        ("gcmobjective__number", "gcmobjective__title_es"),
    ),
}


def _related(through, chunk: list[int], lookups: tuple[str, ...]) -> dict[int, list[tuple]]:
    """Program id → its related rows (code, name), in the order of the codes."""
    related: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        through.objects.filter(program_id__in=chunk)
        .order_by("program_id", lookups[0])
        .values_list("program_id", *lookups)
    )
    for program_id, *values in rows:
        related[program_id].append(tuple(values))
    return related


def _figure_counts(chunk: list[int]) -> dict[int, int]:
    rows = (
        ResultFigure.objects.filter(program_id__in=chunk)
        .values("program_id")
        .annotate(n=Count("id"))
        .values_list("program_id", "n")
    )
    return dict(rows)


def program_objects(ids: list[int]) -> Iterator[dict]:
    """The published programs with these ids, in this order, as dicts, a chunk at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = Program.objects.published().filter(pk__in=chunk).values(*FIELDS)
        by_pk = {row["pk"]: row for row in rows}
        related = {
            name: _related(through, chunk, lookups) for name, (through, lookups) in RELATED.items()
        }
        figures = _figure_counts(chunk)
        for pk in chunk:
            row = by_pk.get(pk)
            if row is None:
                continue  # withdrawn since the ids were read
            for name in RELATED:
                row[name] = related[name].get(pk, [])
            row["figures"] = figures.get(pk, 0)
            yield row


def codes(name: str):
    """The codes of a program's related rows, joined by ``"; "``."""
    return lambda p, _c: joined(code for code, _name in p[name])


def names(name: str):
    """The names of a program's related rows, in the order of their codes."""
    return lambda p, _c: joined(label for _code, label in p[name])


def _previous(row: dict, _context) -> int | None:
    if row["previous_id"] is None or row["previous__status"] != Program.Status.PUBLISHED:
        return None
    return row["previous_id"]


def _links(row: dict, _context) -> str | None:
    return joined(row["links"] or [])


BLOCK_STATUS = _(
    "«reportado», «ninguno» (el reporte dice expresamente que no hubo) o «sin_bloque» "
    "(la fuente no tiene ese apartado)"
)


def _block(name: str, field: str, description, section) -> tuple[Column, Column]:
    """A block of the report as reported and, beside it, ``<name>_estado``: whether the
    report has it, says there was none, or its source has no such block."""
    return (
        Column(name, "string", description, key(field)),
        Column(
            f"{name}_estado",
            "string",
            format_description(section, BLOCK_STATUS),
            key(f"{field}_status"),
            enum(BlockStatus.choices),
        ),
    )


PROGRAM_COLUMNS = (
    Column(
        "id",
        "integer",
        _("Identificador del programa en el Observatorio."),
        key("pk"),
        required(unique=True),
    ),
    Column(
        "ciclo",
        "integer",
        _("Ciclo de reporte (año de la edición)."),
        key("cycle__edition"),
        required(),
    ),
    Column(
        "parte",
        "string",
        _("Parte del compendio: «federal» o «estatal»."),
        key("section"),
        required(**enum(Program.Section.choices)),
    ),
    Column(
        "objetivo",
        "integer",
        _("Número del objetivo principal del Pacto Mundial (1–23)."),
        key("objective__number"),
        required(minimum=1, maximum=23),
    ),
    Column(
        "objetivo_nombre",
        "string",
        _("Título del objetivo principal en español."),
        key("objective__title_es"),
    ),
    Column(
        "objetivos_secundarios",
        "string",
        _("Números de los objetivos secundarios del Pacto Mundial, separados por «; »."),
        codes("secondary_objectives"),
    ),
    Column(
        "objetivos_secundarios_nombres",
        "string",
        _("Títulos de los objetivos secundarios, en el mismo orden, separados por «; »."),
        names("secondary_objectives"),
    ),
    Column(
        "numero",
        "integer",
        _("Número del programa dentro de su ciclo, parte y objetivo."),
        key("number"),
    ),
    Column("titulo", "string", _("Título del programa o acción."), key("title"), required()),
    Column("actor", "string", _("Quién reporta, como se imprime en el compendio."), key("actor")),
    Column(
        "entidad_clave",
        "string",
        _("Clave INEGI de la entidad federativa (vacía en los programas federales)."),
        key("state__inegi_code"),
        INEGI,
    ),
    Column("entidad", "string", _("Nombre de la entidad federativa."), key("state__name")),
    Column(
        "instituciones",
        "string",
        _("Siglas de las instituciones que reportan, separadas por «; »."),
        codes("institutions"),
    ),
    Column(
        "instituciones_nombres",
        "string",
        _("Nombres de esas instituciones, en el mismo orden, separados por «; »."),
        names("institutions"),
    ),
    Column(
        "poblaciones",
        "string",
        _("Claves de los grupos de población atendidos, separadas por «; »."),
        codes("populations"),
    ),
    Column(
        "poblaciones_nombres",
        "string",
        _("Nombres de esos grupos de población, en el mismo orden, separados por «; »."),
        names("populations"),
    ),
    Column(
        "poblaciones_inferidas",
        "boolean",
        _("«sí» si los grupos de población se dedujeron de las palabras del reporte."),
        key("populations_inferred"),
    ),
    Column("descripcion", "string", _("Descripción."), key("description")),
    *_block(
        "resultados", "results", _("Resultados, como se reportaron."), _("Apartado de resultados")
    ),
    *_block("retos", "challenges", _("Retos, como se reportaron."), _("Apartado de retos")),
    Column(
        "sin_retos",
        "boolean",
        _("«sí» si el reporte dice expresamente que no hubo retos."),
        lambda p, _c: p["challenges_status"] == BlockStatus.NONE,
    ),
    Column(
        "con_resultados_cuantitativos",
        "boolean",
        _(
            "«sí» si el programa tiene cifras o sus resultados reportan alguna cantidad (no "
            "años, fechas ni artículos)."
        ),
        key("has_quantitative_results"),
    ),
    Column(
        "cifras",
        "integer",
        _("Cuántas cifras de resultados tiene el programa (recurso «cifras»)."),
        key("figures"),
        required(minimum=0),
    ),
    Column("fecha_inicio", "date", _("Fecha de inicio."), key("start_date")),
    Column("fecha_termino", "date", _("Fecha de término."), key("end_date")),
    Column("permanente", "boolean", _("«sí» si el programa es permanente."), key("permanent")),
    Column(
        "presupuesto_mxn",
        "number",
        _("Presupuesto ejercido o asignado, en pesos mexicanos (vacío si no se reportó)."),
        key("budget"),
        {"minimum": 0},
    ),
    Column(
        "situacion",
        "string",
        _("Situación del programa: «vigente», «concluido» o «suspendido» (vacía si no se dijo)."),
        key("execution"),
        enum(Program.Execution.choices),
    ),
    Column(
        "enlaces",
        "string",
        _("Direcciones de internet del programa que dio quien reporta, separadas por «; »."),
        _links,
    ),
    Column(
        "programa_anterior_id",
        "integer",
        _("El mismo programa en el ciclo anterior (columna id), si está publicado."),
        _previous,
    ),
    *source_columns(
        _("Pasaje del documento fuente"),
        key("source__slug"),
        key("source_first_line"),
        key("source_last_line"),
    ),
    Column(
        "url",
        "string",
        _("Dirección de la página pública del programa."),
        lambda p, c: c.url("portal:program", p["pk"]),
        format="uri",
    ),
)

PROGRAMS = Dataset(
    name="programs",
    slug="programas",
    title=_("Programas y acciones publicados"),
    description=_(
        "Un renglón por programa o acción publicado, alineado a un objetivo del Pacto Mundial "
        "para la Migración, con todos los campos del reporte; sus cifras de resultados están "
        "en el recurso «cifras»."
    ),
    columns=PROGRAM_COLUMNS,
    primary_key=("id",),
    foreign_keys=(
        ForeignKey(("objetivo",), "objectives", ("numero",)),
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
        ForeignKey(("programa_anterior_id",), "", ("id",)),
    ),
    objects=lambda context, params: program_objects(published_program_ids()),
    count=lambda context, params: Program.objects.published().count(),
    source="compendium",
)


# --- coverage -----------------------------------------------------------------


def coverage_cycles(params: dict) -> list[ReportingCycle]:
    cycles = ReportingCycle.objects.filter(programs__status=Program.Status.PUBLISHED).distinct()
    if params.get("ciclo"):
        cycles = cycles.filter(edition=params["ciclo"])
    return list(cycles.order_by("edition"))


def coverage_params(query) -> dict:
    """``ciclo`` (optional): one cycle with published programs; anything else is a 404."""
    edition = str(query.get("ciclo") or "").strip()
    if not edition:
        return {}
    if not edition.isdigit() or not 1900 <= int(edition) <= 2999:
        raise Http404(_("Ese ciclo no existe."))
    if not coverage_cycles({"ciclo": int(edition)}):
        raise Http404(_("Ese ciclo no existe."))
    return {"ciclo": int(edition)}


def _coverage_cells(context, params) -> Iterator[tuple]:
    for cycle in coverage_cycles(params):
        data = coverage(cycle)
        for row in data.rows:
            for objective, count in zip(data.objectives, row.counts, strict=True):
                yield (cycle.edition, row.state, objective, count)


COVERAGE = Dataset(
    name="coverage",
    slug="cobertura",
    title=_("Cobertura: programas estatales por entidad y objetivo"),
    description=_(
        "La matriz de 32 entidades × 23 objetivos de cada ciclo en formato largo: un renglón por "
        "celda con el número de programas estatales publicados (0 es un hueco)."
    ),
    columns=(
        Column("ciclo", "integer", _("Ciclo de reporte."), lambda c, _x: c[0], required()),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de la entidad."),
            lambda c, _x: c[1].inegi_code,
            required(**INEGI),
        ),
        Column("entidad", "string", _("Nombre de la entidad."), lambda c, _x: c[1].name),
        Column(
            "objetivo",
            "integer",
            _("Número del objetivo del Pacto Mundial."),
            lambda c, _x: c[2].number,
            required(minimum=1, maximum=23),
        ),
        Column(
            "objetivo_nombre",
            "string",
            _("Título del objetivo en español."),
            lambda c, _x: c[2].title_es,
        ),
        Column(
            "programas",
            "integer",
            _("Programas estatales publicados."),
            lambda c, _x: c[3],
            required(minimum=0),
        ),
    ),
    primary_key=("ciclo", "entidad_clave", "objetivo"),
    foreign_keys=(
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
        ForeignKey(("objetivo",), "objectives", ("numero",)),
    ),
    objects=_coverage_cells,
    count=lambda context, params: (
        len(coverage_cycles(params)) * State.objects.count() * GcmObjective.objects.count()
    ),
    source="compendium",
)
