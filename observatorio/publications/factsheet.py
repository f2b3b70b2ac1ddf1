"""The factsheet of one state in one reporting cycle, as a document model and as PDF or DOCX.

``build_factsheet(state, cycle)`` reads the state's published programs (grouped
by PMM objective with the compendium's ``program_entry``), the objectives it
does not cover, its good practices with their qualification and the figures of
its panorama, and a small chart. ``render_factsheet(state, cycle, fmt)`` renders
it with the compendium's building blocks (the print CSS and fonts of the PDF,
the styles and page set-up of the DOCX).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from docx.shared import Cm

from observatorio import charts
from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.charts.specs import (
    CONFIG,
    SCHEMA,
    count_axis,
    labels,
    objective_label,
    quantity,
)
from observatorio.lib.renderers import register
from observatorio.practices.models import CRITERIA, GoodPractice, Mark, PanoramaFigure
from observatorio.programs.models import Program, ReportingCycle, ResultFigure

from . import indicator_lines, wording
from .document import Chart, ObjectiveSection, clean, paragraphs
from .indicator_lines import IndicatorLine
from .renderers import formats, get_format
from .renderers.docx import (
    DOCX_TYPE,
    GREY,
    add_table,
    new_document,
    saved,
    write_indicators,
    write_program,
)
from .renderers.pdf import FONT_DIR, data_uri, render_html

NO_PROGRAMS = "La entidad no tiene programas publicados en el ciclo {edition}."
ALL_COVERED = "La entidad tiene programas publicados en los 23 objetivos del PMM."
NO_PRACTICES = "El estudio OIM–CONOFAM no documenta buenas prácticas de esta entidad."
NO_FIGURES = "El estudio OIM–CONOFAM no publica cifras de panorama de esta entidad."
NO_INDICATORS = "La entidad aún no tiene valores de indicadores publicados."
INDICATORS_TITLE = "Indicadores de {state}"


@dataclass
class PracticeEntry:
    title: str
    institution: str
    qualification: str
    marks_met: int
    description: list[str]


@dataclass
class Factsheet:
    state: str
    inegi_code: str
    edition: int
    title: str
    subtitle: str
    generated_on: str
    generated_date: dt.date
    metadata: list[tuple[str, str]]
    summary: list[str]
    objectives: list[ObjectiveSection]  # only those with programs
    missing: list[str]  # "Objetivo N. Título" of the objectives without programs
    practices: list[PracticeEntry]
    figures: list[tuple[str, str]]  # indicator, value with unit and period
    chart: Chart | None
    indicators: list[IndicatorLine]  # the state's, protected

    @property
    def program_count(self) -> int:
        return sum(len(o.programs) for o in self.objectives)


def _chart(state: State, cycle: ReportingCycle, counts: dict[int, int], objectives) -> Chart:
    values = [
        {"etiqueta": objective_label(o), "programas": counts.get(o.number, 0)} for o in objectives
    ]
    spec = {
        "$schema": SCHEMA,
        "description": f"Programas de {state.name} por objetivo del PMM, ciclo {cycle.edition}",
        "data": {"values": values},
        "width": 300,
        "height": {"step": 11},
        "mark": {"type": "bar", "color": "#691c32"},
        "encoding": {
            "y": labels("etiqueta", [objective_label(o) for o in objectives], 230),
            "x": quantity("programas", "Programas publicados", count_axis()),
        },
        "config": CONFIG,
    }
    return Chart(
        key="programas-por-objetivo",
        title=f"Programas de {state.name} por objetivo del PMM",
        caption=f"Reportes estatales publicados del ciclo {cycle.edition}.",
        spec=spec,
        width_cm=14.0,
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _figure_value(figure: PanoramaFigure) -> str:
    text = " ".join(p for p in (figure.value_as_printed, figure.unit) if p)
    return f"{text} ({figure.period})" if figure.period else text


def build_factsheet(
    state: State, cycle: ReportingCycle, *, today: dt.date | None = None
) -> Factsheet:
    programs = list(
        Program.objects.published()
        .filter(cycle=cycle, section=Program.Section.STATE, state=state)
        .select_related("objective", "state")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("acronym")),
            Prefetch("figures", queryset=ResultFigure.objects.order_by("id")),
        )
        .order_by("objective__number", "number", "id")
    )
    objectives = list(GcmObjective.objects.order_by("number"))
    sections, missing, counts = [], [], {}
    for objective in objectives:
        mine = [p for p in programs if p.objective_id == objective.pk]
        counts[objective.number] = len(mine)
        if not mine:
            missing.append(
                wording.OBJECTIVE_HEADING.format(number=objective.number, title=objective.title_es)
            )
            continue
        sections.append(ObjectiveSection.of(objective, mine, f"objetivo-{objective.number}"))
    practices = [
        PracticeEntry(
            title=clean(p.title),
            institution=clean(p.coordinating_institution),
            qualification=str(p.qualification.label),
            marks_met=sum(getattr(p, f"{key}_mark") == Mark.MEETS for key in CRITERIA),
            description=paragraphs(p.description)[:3],
        )
        for p in GoodPractice.objects.filter(state=state).order_by("number")
    ]
    figures = [
        (clean(f.indicator), _figure_value(f))
        for f in PanoramaFigure.objects.filter(state=state).order_by("source_line", "id")
    ]
    indicators = indicator_lines.indicator_lines(state.inegi_code)
    today = today or timezone.localdate()
    covered = len(sections)
    summary = [
        NO_PROGRAMS.format(edition=cycle.edition)
        if not programs
        else (
            f"{state.name} publicó "
            f"{_count(len(programs), 'programa o acción', 'programas y acciones')} en el ciclo"
            f" {cycle.edition}, que cubren {covered} de los 23 objetivos del PMM."
        ),
        f"Objetivos sin programas publicados: {len(missing)}." if missing else ALL_COVERED,
        f"Buenas prácticas documentadas: {len(practices)}; cifras de panorama: {len(figures)};"
        f" indicadores con valores publicados: {len(indicators)}.",
    ]
    metadata = [
        ("Entidad federativa", f"{state.name} (clave INEGI {state.inegi_code})"),
        ("Ciclo de reporte", f"{cycle.name} ({cycle.edition})"),
        ("Programas y acciones publicados", str(len(programs))),
        ("Objetivos del PMM cubiertos", f"{covered} de {len(objectives)}"),
        ("Buenas prácticas", str(len(practices))),
        ("Documento generado", wording.long_date(today)),
    ]
    return Factsheet(
        state=state.name,
        inegi_code=state.inegi_code,
        edition=cycle.edition,
        title=f"Ficha estatal: {state.name}",
        subtitle=(
            f"Programas y acciones del ciclo {cycle.edition} alineados al Pacto Mundial para la "
            "Migración Segura, Ordenada y Regular, buenas prácticas y panorama"
        ),
        generated_on=wording.long_date(today),
        generated_date=today,
        metadata=metadata,
        summary=summary,
        objectives=sections,
        missing=missing,
        practices=practices,
        figures=figures,
        chart=_chart(state, cycle, counts, objectives) if programs else None,
        indicators=indicators,
    )


# --- renderers -----------------------------------------------------------------------

#: What the factsheet's renderers are registered as (``lib/renderers``).
FACTSHEET = "factsheet"


@register(FACTSHEET, "pdf", content_type="application/pdf")
def factsheet_pdf(sheet: Factsheet) -> bytes:
    chart = None
    if sheet.chart is not None:
        chart = {
            "title": sheet.chart.title,
            "caption": sheet.chart.caption,
            "width_cm": sheet.chart.width_cm,
            "src": data_uri(charts.render_svg(sheet.chart.spec)),
        }
    html = render_to_string(
        "publications/factsheet.html",
        {
            "doc": sheet,
            "chart": chart,
            "words": wording,
            "indicator_header": indicator_lines.HEADER,
            "indicator_note": indicator_lines.note(sheet.indicators),
            "font_dir": FONT_DIR.as_uri(),
            "created": sheet.generated_date.isoformat(),
        },
    )
    return render_html(html)


@register(FACTSHEET, "docx", content_type=DOCX_TYPE)
def factsheet_docx(sheet: Factsheet) -> bytes:
    document, w = new_document(title=sheet.title, subject=sheet.subtitle, language="es-MX")
    w.paragraph(sheet.title, "Title")
    w.paragraph(sheet.subtitle, size=12)
    add_table(w, ("Dato", "Valor"), sheet.metadata, (6.0, 10.9))
    w.heading("Resumen", 1)
    w.paragraphs(sheet.summary)
    if sheet.chart is not None:
        w.paragraph(sheet.chart.title, bold=True)
        picture = w.paragraph()
        png = charts.render_png(sheet.chart.spec)
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(sheet.chart.width_cm))
        w.paragraph(sheet.chart.caption, size=7.5, colour=GREY)
    w.heading("Programas y acciones por objetivo", 1, new_page=True)
    if not sheet.objectives:
        w.paragraph(NO_PROGRAMS.format(edition=sheet.edition), italic=True)
    for objective in sheet.objectives:
        w.heading(objective.heading, 2)
        for program in objective.programs:
            write_program(w, program, combined_none=False)
    w.heading("Objetivos sin programas publicados", 1)
    if not sheet.missing:
        w.paragraph(ALL_COVERED)
    w.paragraphs(f"• {text}" for text in sheet.missing)
    w.heading("Buenas prácticas", 1)
    if not sheet.practices:
        w.paragraph(NO_PRACTICES)
    for practice in sheet.practices:
        w.heading(practice.title, 3)
        w.paragraph(
            f"{practice.qualification} ({practice.marks_met} de 5 criterios cumplidos)",
            bold=True,
        )
        if practice.institution:
            w.paragraph(f"Coordina: {practice.institution}")
        w.paragraphs(practice.description)
    w.heading("Indicadores", 1)
    if not sheet.indicators:
        w.paragraph(NO_INDICATORS)
    else:
        write_indicators(w, INDICATORS_TITLE.format(state=sheet.state), sheet.indicators)
    w.heading("Panorama", 1)
    if not sheet.figures:
        w.paragraph(NO_FIGURES)
    else:
        add_table(w, ("Indicador", "Valor"), sheet.figures, (11.4, 5.5))
    return saved(document)


def factsheet_formats() -> list[str]:
    return formats(FACTSHEET)


def render_factsheet(state: State, cycle: ReportingCycle, fmt: str) -> bytes:
    """Build the factsheet of *state* in *cycle* and render it in *fmt* (``pdf`` or ``docx``)."""
    renderer = get_format(fmt, FACTSHEET)
    with translation.override(settings.LANGUAGE_CODE):
        return renderer.render(build_factsheet(state, cycle))
