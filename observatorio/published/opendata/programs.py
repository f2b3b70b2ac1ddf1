"""The programs dataset (also the search download) and the coverage matrix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, State
from observatorio.programs.models import BlockStatus, Program, ReportingCycle
from observatorio.published.filters import ProgramFilter

from ..coverage import coverage
from .schema import INEGI, Column, Dataset, ForeignKey, enum, joined, key, required, source_columns

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
    "description",
    "results",
    "challenges",
    "challenges_status",
    "has_quantitative_results",
    "start_date",
    "end_date",
    "permanent",
    "source__slug",
    "source_first_line",
    "source_last_line",
)


def _related(through, chunk: list[int], target: str) -> dict[int, list[str]]:
    """Program id → the codes of its related rows (institutions, populations), sorted."""
    related: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(program_id__in=chunk)
        .order_by("program_id", target)
        .values_list("program_id", target)
    )
    for program_id, code in rows:
        related[program_id].append(code)
    return related


def program_objects(ids: list[int]) -> Iterator[dict]:
    """The published programs with these ids, in this order, as dicts, a chunk at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = Program.objects.published().filter(pk__in=chunk).values(*FIELDS)
        by_pk = {row["pk"]: row for row in rows}
        institutions = _related(Program.institutions.through, chunk, "institution__acronym")
        populations = _related(Program.populations.through, chunk, "populationgroup__code")
        for pk in chunk:
            row = by_pk.get(pk)
            if row is None:
                continue  # withdrawn since the ids were read
            row["institutions"] = institutions.get(pk, [])
            row["populations"] = populations.get(pk, [])
            yield row


PROGRAM_COLUMNS = (
    Column(
        "id",
        "integer",
        _("Identificador del programa en el Observatorio."),
        key("pk"),
        required(unique=True),
    ),
    Column(
        "cycle",
        "integer",
        _("Ciclo de reporte (año de la edición)."),
        key("cycle__edition"),
        required(),
    ),
    Column(
        "section",
        "string",
        _("Parte del compendio: «federal» o «estatal»."),
        key("section"),
        required(**enum(Program.Section.choices)),
    ),
    Column(
        "objective",
        "integer",
        _("Número del objetivo principal del Pacto Mundial (1–23)."),
        key("objective__number"),
        required(minimum=1, maximum=23),
    ),
    Column(
        "objective_title",
        "string",
        _("Título del objetivo en español."),
        key("objective__title_es"),
    ),
    Column(
        "number",
        "integer",
        _("Número del programa dentro de su ciclo, parte y objetivo."),
        key("number"),
    ),
    Column("title", "string", _("Título del programa o acción."), key("title"), required()),
    Column("actor", "string", _("Quién reporta, como se imprime en el compendio."), key("actor")),
    Column(
        "state_code",
        "string",
        _("Clave INEGI de la entidad federativa (vacía en los programas federales)."),
        key("state__inegi_code"),
        INEGI,
    ),
    Column("state", "string", _("Nombre de la entidad federativa."), key("state__name")),
    Column(
        "institutions",
        "string",
        _("Siglas de las instituciones que reportan, separadas por «; »."),
        lambda p, _c: joined(p["institutions"]),
    ),
    Column(
        "populations",
        "string",
        _("Claves de los grupos de población atendidos, separadas por «; »."),
        lambda p, _c: joined(p["populations"]),
    ),
    Column("description", "string", _("Descripción."), key("description")),
    Column("results", "string", _("Resultados, como se reportaron."), key("results")),
    Column("challenges", "string", _("Retos, como se reportaron."), key("challenges")),
    Column(
        "challenges_none",
        "boolean",
        _("Verdadero si el reporte dice expresamente que no hubo retos."),
        lambda p, _c: p["challenges_status"] == BlockStatus.NONE,
    ),
    Column(
        "has_quantitative_results",
        "boolean",
        _("Verdadero si los resultados reportan alguna cantidad (no años, fechas ni artículos)."),
        key("has_quantitative_results"),
    ),
    Column("start_date", "date", _("Fecha de inicio."), key("start_date")),
    Column("end_date", "date", _("Fecha de término."), key("end_date")),
    Column("permanent", "boolean", _("Verdadero si el programa es permanente."), key("permanent")),
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
        "para la Migración."
    ),
    columns=PROGRAM_COLUMNS,
    primary_key=("id",),
    foreign_keys=(
        ForeignKey(("objective",), "objectives", ("number",)),
        ForeignKey(("state_code",), "states", ("inegi_code",)),
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
                yield (cycle.edition, row.state, objective.number, count)


COVERAGE = Dataset(
    name="coverage",
    slug="cobertura",
    title=_("Cobertura: programas estatales por entidad y objetivo"),
    description=_(
        "La matriz de 32 entidades × 23 objetivos de cada ciclo en formato largo: un renglón por "
        "celda con el número de programas estatales publicados (0 es un hueco)."
    ),
    columns=(
        Column("cycle", "integer", _("Ciclo de reporte."), lambda c, _x: c[0], required()),
        Column(
            "state_code",
            "string",
            _("Clave INEGI de la entidad."),
            lambda c, _x: c[1].inegi_code,
            required(**INEGI),
        ),
        Column("state", "string", _("Nombre de la entidad."), lambda c, _x: c[1].name),
        Column(
            "objective",
            "integer",
            _("Número del objetivo del Pacto Mundial."),
            lambda c, _x: c[2],
            required(minimum=1, maximum=23),
        ),
        Column(
            "programs",
            "integer",
            _("Programas estatales publicados."),
            lambda c, _x: c[3],
            required(minimum=0),
        ),
    ),
    primary_key=("cycle", "state_code", "objective"),
    foreign_keys=(
        ForeignKey(("state_code",), "states", ("inegi_code",)),
        ForeignKey(("objective",), "objectives", ("number",)),
    ),
    objects=_coverage_cells,
    count=lambda context, params: (
        len(coverage_cycles(params)) * State.objects.count() * GcmObjective.objects.count()
    ),
    source="compendium",
)
