"""The compendium of a reporting cycle as a document model, built once from the data.

``build_compendium(cycle)`` reads the published programs of the cycle and
returns plain dataclasses (cover and edition metadata, introduction, the two
parts grouped by PMM objective, charts, annexes). Every renderer consumes this
model and nothing else, so the PDF and the DOCX cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio import charts
from observatorio.assist.actions import count_once
from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.charts import maps
from observatorio.programs.models import BlockStatus, Program, ReportingCycle, ResultFigure

from . import wording
from .indicator_lines import IndicatorLine, indicator_lines

_LINES = re.compile(r"\s*\n\s*")
# Control characters cannot be written to XML (DOCX) and print as nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PublicationError(Exception):
    """The publication cannot be generated; the message is in Spanish."""


@dataclass
class Block:
    """A ``Resultados`` or ``Retos`` block: its paragraphs."""

    paragraphs: list[str]


@dataclass
class ProgramEntry:
    number: int
    title: str
    actor: str
    description: list[str]
    results: Block | None  # None: the report has no such block
    challenges: Block | None
    combined_none: str = ""  # "No se reportaron resultados ni retos." printed on its own

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title} ({self.actor})"


@dataclass
class ObjectiveSection:
    number: int
    title: str
    programs: list[ProgramEntry]
    anchor: str

    @property
    def heading(self) -> str:
        return wording.OBJECTIVE_HEADING.format(number=self.number, title=self.title)

    @classmethod
    def of(cls, objective, programs, anchor: str) -> ObjectiveSection:
        """The section of *objective* with its *programs*, numbered from 1 in this order."""
        return cls(
            number=objective.number,
            title=objective.title_es,
            programs=[program_entry(p, i) for i, p in enumerate(programs, start=1)],
            anchor=anchor,
        )


@dataclass
class Part:
    section: str
    heading: str
    anchor: str
    objectives: list[ObjectiveSection]

    @property
    def program_count(self) -> int:
        return sum(len(o.programs) for o in self.objectives)


@dataclass
class Chart:
    """A figure: a Vega-Lite spec, or a ready SVG (the map), with its caption."""

    key: str
    title: str
    caption: str
    spec: dict | None = None
    svg: str | None = None
    width_cm: float = 16.0


@dataclass
class Compendium:
    edition: int
    title: str
    subtitle: str
    cycle_name: str
    period: str
    published_on: str
    generated_on: str
    generated_date: dt.date
    publisher: str
    metadata: list[tuple[str, str]]
    introduction: list[str]
    parts: list[Part]
    charts: list[Chart]
    participating_states: list[str]
    glossary: list[tuple[str, str]]
    closing: list[str]
    indicators: list[IndicatorLine] = field(default_factory=list)  # national, protected
    sections: dict[str, str] = field(default_factory=lambda: dict(wording.SECTIONS))

    @property
    def program_count(self) -> int:
        return sum(part.program_count for part in self.parts)


PUBLISHER = (
    "Unidad de Política Migratoria, Registro e Identidad de Personas, Secretaría de Gobernación"
)
LICENCE = (
    "Se permite la reproducción total o parcial sin fines comerciales del presente documento "
    "con la debida mención de la fuente."
)
PART_HEADINGS = {
    Program.Section.FEDERAL: wording.SECTIONS["federal"],
    Program.Section.STATE: wording.SECTIONS["estatal"],
}


def clean(text: str) -> str:
    """*text* on one line: control characters dropped, runs of spaces squashed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def paragraphs(text: str) -> list[str]:
    """Every non-empty line of *text* is a paragraph (imported text has one per paragraph)."""
    return [clean(line) for line in _LINES.split(text.strip()) if clean(line)]


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _figure_line(figure: ResultFigure) -> str:
    details = []
    if figure.sex != ResultFigure.Sex.TOTAL:
        details.append(str(figure.get_sex_display()))
    if figure.age_group != ResultFigure.AgeGroup.ALL:
        details.append(str(figure.get_age_group_display()))
    if figure.nationality:
        details.append(figure.nationality)
    suffix = f" ({', '.join(details)})" if details else ""
    return f"• {figure.label}: {_number(figure.value)} {figure.unit}{suffix}"


def _block(text: str, status: str, none_text: str, figures: list[str]) -> Block | None:
    if status == BlockStatus.MISSING and not figures:
        return None
    if status == BlockStatus.NONE:
        return Block(paragraphs(text) or [none_text])
    return Block(paragraphs(text) + figures)


def program_entry(program: Program, position: int) -> ProgramEntry:
    figures = [_figure_line(f) for f in program.figures.all()]
    combined = ""
    if (
        program.results_status == BlockStatus.NONE
        and program.challenges_status == BlockStatus.NONE
        and program.results.strip()
        and program.results.strip() == program.challenges.strip()
        and not figures
    ):
        combined = program.results.strip()  # "No se reportaron resultados ni retos."
    return ProgramEntry(
        number=program.number or position,
        title=clean(program.title),
        actor=clean(program.actor or program.owner_label),
        description=paragraphs(program.description),
        results=None
        if combined
        else _block(program.results, program.results_status, wording.NO_RESULTS, figures),
        challenges=None
        if combined
        else _block(program.challenges, program.challenges_status, wording.NO_CHALLENGES, []),
        combined_none=combined,
    )


def _period(cycle: ReportingCycle) -> str:
    return f"{wording.month_year(cycle.period_start)} – {wording.month_year(cycle.period_end)}"


def build_compendium(cycle: ReportingCycle, *, today: dt.date | None = None) -> Compendium:
    """Read the published programs of *cycle* into the document model.

    Raise :class:`PublicationError` when the cycle has no published program.
    """
    published = Program.objects.published().filter(cycle=cycle)
    programs = list(
        published.select_related("objective", "state")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("acronym")),
            Prefetch("figures", queryset=ResultFigure.objects.order_by("id")),
        )
        .order_by("objective__number", "number", "id")
    )
    if not programs:
        raise PublicationError(
            _("El ciclo %(edition)s no tiene programas publicados: no hay compendio que generar.")
            % {"edition": cycle.edition}
        )
    objectives = list(GcmObjective.objects.order_by("number"))
    parts = []
    for section in (Program.Section.FEDERAL, Program.Section.STATE):
        sections = []
        for objective in objectives:
            mine = [p for p in programs if p.section == section and p.objective_id == objective.pk]
            anchor = f"{section}-objetivo-{objective.number}"
            sections.append(ObjectiveSection.of(objective, mine, anchor))
        parts.append(Part(section, PART_HEADINGS[section], f"parte-{section}", sections))
    federal, state = parts

    states = list(
        State.objects.filter(pk__in={p.state_id for p in programs if p.section == state.section})
        .order_by("name")
        .values_list("name", flat=True)
    )
    institution_ids = {
        i.pk for p in programs if p.section == federal.section for i in p.institutions.all()
    }
    glossary = list(
        Institution.objects.filter(pk__in=institution_ids)
        .order_by("name")
        .values_list("name", "acronym")
    )
    today = today or timezone.localdate()
    title = wording.TITLE.format(edition=cycle.edition)
    period = _period(cycle)
    published_on = wording.long_date(cycle.published_on) if cycle.published_on else ""
    generated_on = wording.long_date(today)
    with_programs = {part.section: sum(1 for o in part.objectives if o.programs) for part in parts}
    introduction = [
        "El objetivo de este compendio es presentar los programas y acciones de las "
        "dependencias y entidades de la Administración Pública Federal, de los organismos "
        "autónomos y de las oficinas de los gobiernos estatales que atienden a las personas "
        "en contextos de movilidad, alineados a los 23 objetivos del «Pacto Mundial para la "
        "Migración Segura, Ordenada y Regular» (PMM).",
        f"Reúne los {len(programs)} reportes publicados del ciclo {cycle.edition}: "
        f"{federal.program_count} de instituciones federales, que cubren "
        f"{with_programs[federal.section]} de los 23 objetivos, y {state.program_count} de "
        f"{len(states)} entidades federativas, que cubren {with_programs[state.section]}. "
        f"El periodo reportado abarca de {period.replace(' – ', ' a ')}; el periodo de cada "
        "reporte puede variar según la fecha en que se inició o se modificó el programa.",
        "Cada parte sigue el orden de los objetivos del PMM. Bajo cada objetivo, los programas "
        "están numerados; el título termina con la institución o la entidad que reporta, entre "
        "paréntesis, y le siguen la descripción, los «Resultados» y los «Retos» tal como se "
        "reportaron. Los objetivos sin programas en una parte lo indican expresamente.",
        "Los anexos enumeran las entidades federativas participantes y las instituciones "
        "federales con sus acrónimos. Este documento se generó a partir de los datos del "
        "Observatorio; sus cifras coinciden con las del portal público.",
    ]
    # Joint programs (several institutions reporting one program) are counted once.
    distinct = count_once(p.pk for p in programs)
    if distinct < len(programs):
        introduction.insert(
            2,
            f"Algunos programas se reportaron de manera conjunta por varias instituciones o "
            f"entidades: si cada programa conjunto se cuenta una sola vez, el ciclo reúne "
            f"{distinct} programas distintos.",
        )
    metadata = [
        ("Edición", str(cycle.edition)),
        ("Ciclo de reporte", cycle.name),
        ("Periodo reportado", period),
        ("Fecha de publicación", published_on or "—"),
        (
            "Programas y acciones",
            f"{federal.program_count} federales, {state.program_count} estatales",
        ),
        *(
            [("Programas distintos (los conjuntos, una vez)", str(distinct))]
            if distinct < len(programs)
            else []
        ),
        ("Entidades federativas participantes", str(len(states))),
        ("Instituciones federales", str(len(glossary))),
        ("Documento generado", f"{generated_on}, a partir de los reportes publicados"),
    ]
    figures = [
        Chart(
            key="programas-por-objetivo",
            title="Programas y acciones por objetivo del PMM",
            caption=f"Reportes publicados del ciclo {cycle.edition}, por parte.",
            spec=charts.programs_per_objective_spec(cycle),
            width_cm=15.5,
        ),
        Chart(
            key="cobertura",
            title="Cobertura estatal: entidades × objetivos",
            caption=(
                "Programas estatales publicados por entidad federativa y objetivo del PMM; "
                "las celdas vacías son objetivos sin programas."
            ),
            spec=charts.coverage_heatmap_spec(cycle),
            width_cm=15.0,
        ),
        Chart(
            key="mapa",
            title="Programas estatales por entidad federativa",
            caption=f"{maps.CREDIT}. Contornos generalizados, no límites oficiales del INEGI.",
            svg=charts.coverage_map_svg(cycle),
            width_cm=16.0,
        ),
    ]
    closing = [
        f"Este compendio se generó con base en los reportes publicados del ciclo {cycle.edition} "
        "por las dependencias federales y las oficinas estatales de atención a migrantes, "
        "alineados a los 23 objetivos del Pacto Mundial para una Migración Segura, Ordenada y "
        "Regular.",
        LICENCE,
        f"{maps.CREDIT}.",
    ]
    return Compendium(
        edition=cycle.edition,
        title=title,
        subtitle=(
            "Programas y acciones de las instituciones federales y de las entidades "
            "federativas alineados a los 23 objetivos del Pacto Mundial para la Migración "
            "Segura, Ordenada y Regular"
        ),
        cycle_name=cycle.name,
        period=period,
        published_on=published_on,
        generated_on=generated_on,
        generated_date=today,
        publisher=PUBLISHER,
        metadata=metadata,
        introduction=introduction,
        parts=parts,
        charts=figures,
        participating_states=states,
        glossary=glossary,
        closing=closing,
        indicators=indicator_lines(""),
    )
