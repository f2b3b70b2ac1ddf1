"""The document model and both renderers on a small cycle built in the test."""

from __future__ import annotations

import datetime as dt

import pytest

from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.programs.models import BlockStatus, Program, ReportingCycle, ResultFigure
from observatorio.publications import roundtrip, wording
from observatorio.publications.document import PublicationError, build_compendium
from observatorio.publications.renderers import formats, get_format, render, render_compendium

from .conftest import needs_poppler

TITLE = "Atención a niñas, niños y adolescentes «en tránsito» por Tapachula"


@pytest.fixture
def cycle(db):
    return ReportingCycle.objects.create(
        edition=2031,
        name="Ciclo 2031 (julio 2030 – junio 2031)",
        period_start=dt.date(2030, 7, 1),
        period_end=dt.date(2031, 6, 30),
        published_on=dt.date(2031, 10, 1),
    )


def add(
    cycle,
    *,
    section,
    objective,
    number,
    title,
    actor,
    status=Program.Status.PUBLISHED,
    state=None,
    institution=None,
    **extra,
):
    program = Program.objects.create(
        cycle=cycle,
        section=section,
        objective=GcmObjective.objects.get(number=objective),
        number=number,
        title=title,
        actor=actor,
        state=State.objects.get(inegi_code=state) if state else None,
        status=status,
        description=extra.pop("description", "Orientación jurídica y canalización a servicios."),
        results=extra.pop("results", "Se atendió a 1,200 personas."),
        challenges=extra.pop("challenges", "Falta de personal."),
        **extra,
    )
    if institution:
        program.institutions.add(Institution.objects.get(acronym=institution))
    return program


@pytest.fixture
def small(cycle):
    federal = Program.Section.FEDERAL
    add(
        cycle,
        section=federal,
        objective=7,
        number=1,
        title=TITLE,
        actor="SRE",
        institution="SRE",
        description="Señalización y acompañamiento.\nSegundo párrafo.",
        challenges="No se reportaron retos.",
        challenges_status=BlockStatus.NONE,
    )
    add(
        cycle,
        section=federal,
        objective=7,
        number=2,
        title="Registro de población (RENAPO)",
        actor="SEGOB",
        institution="RENAPO",
        results="",
        results_status=BlockStatus.MISSING,
    )
    add(
        cycle,
        section=federal,
        objective=15,
        number=1,
        title="Jornadas de salud",
        actor="SSA",
        institution="SSA",
        results="No se reportaron resultados ni retos.",
        results_status=BlockStatus.NONE,
        challenges="No se reportaron resultados ni retos.",
        challenges_status=BlockStatus.NONE,
    )
    add(
        cycle,
        section=Program.Section.STATE,
        objective=4,
        number=1,
        title="Módulo de doble nacionalidad",
        actor="Michoacán",
        state="16",
    )
    # Not published: in review, and withdrawn after publication.
    add(
        cycle,
        section=federal,
        objective=7,
        number=None,
        title="Programa todavía en revisión",
        actor="SRE",
        status=Program.Status.SUBMITTED,
    )
    add(
        cycle,
        section=federal,
        objective=9,
        number=3,
        title="Programa retirado del compendio",
        actor="SRE",
        status=Program.Status.WITHDRAWN,
    )
    return cycle


def test_the_document_groups_published_programs_by_part_and_objective(small):
    document = build_compendium(small, today=dt.date(2031, 11, 2))
    federal, state = document.parts
    assert [o.number for o in federal.objectives] == list(range(1, 24))
    assert [o.number for o in state.objectives] == list(range(1, 24))
    seven = federal.objectives[6]
    assert seven.heading.startswith("Objetivo 7. Abordar y reducir las vulnerabilidades")
    assert [p.heading for p in seven.programs] == [
        f"1. {TITLE} (SRE)",
        "2. Registro de población (RENAPO) (SEGOB)",
    ]
    assert [p.heading for p in state.objectives[3].programs] == [
        "1. Módulo de doble nacionalidad (Michoacán)"
    ]
    assert document.program_count == 4
    assert document.participating_states == ["Michoacán"]
    assert [acronym for _, acronym in document.glossary] == ["RENAPO", "SRE", "SSA"]
    assert document.generated_on == "2 de noviembre de 2031"
    assert document.published_on == "1 de octubre de 2031"
    assert document.period == "julio de 2030 – junio de 2031"


def test_blocks_keep_what_the_report_says(small):
    document = build_compendium(small)
    first, second = document.parts[0].objectives[6].programs
    assert first.description == ["Señalización y acompañamiento.", "Segundo párrafo."]
    assert first.challenges.paragraphs == ["No se reportaron retos."]
    assert second.results is None  # no Resultados block in the report: none printed
    combined = document.parts[0].objectives[14].programs[0]
    assert combined.combined_none == "No se reportaron resultados ni retos."
    assert combined.results is None and combined.challenges is None


def test_result_figures_are_printed_under_results(small):
    program = Program.objects.get(title="Jornadas de salud")
    program.results_status = BlockStatus.REPORTED
    program.results = "Jornadas en 3 municipios."
    program.save()
    ResultFigure.objects.create(
        program=program,
        label="Personas atendidas",
        value=1250,
        unit="personas",
        sex=ResultFigure.Sex.WOMEN,
        nationality="Honduras",
    )
    entry = build_compendium(small).parts[0].objectives[14].programs[0]
    assert entry.results.paragraphs == [
        "Jornadas en 3 municipios.",
        "• Personas atendidas: 1,250 personas (Mujeres, Honduras)",
    ]


def test_unpublished_programs_are_absent(small):
    data = render(build_compendium(small), "docx")
    text = roundtrip.docx_text(data)
    assert "Programa todavía en revisión" not in text
    assert "Programa retirado del compendio" not in text
    assert "Tapachula" in text


def test_a_cycle_without_published_programs_is_refused_in_spanish(cycle):
    add(
        cycle,
        section=Program.Section.FEDERAL,
        objective=1,
        number=None,
        title="Borrador",
        actor="SRE",
        status=Program.Status.DRAFT,
    )
    with pytest.raises(PublicationError, match="no tiene programas publicados"):
        build_compendium(cycle)


def test_formats_are_registered_by_name():
    assert formats() == ["docx", "pdf"]
    assert get_format("pdf").content_type == "application/pdf"
    with pytest.raises(PublicationError, match="Formato desconocido"):
        get_format("odt")


def check_small_text(text: str, state_names) -> None:
    # Every objective without programs in a part says so, under its own heading.
    assert text.count(wording.NO_ACTIVITIES) == 23 + 23 - 3
    parsed = roundtrip.parse(text, state_names)
    assert parsed.empty_objectives == {
        "federal": [n for n in range(1, 24) if n not in (7, 15)],
        "estatal": [n for n in range(1, 24) if n != 4],
    }
    assert [(p.section, p.objective, p.number, p.title, p.actor) for p in parsed.programs] == [
        ("federal", 7, 1, TITLE, "SRE"),
        ("federal", 7, 2, "Registro de población (RENAPO)", "SEGOB"),
        ("federal", 15, 1, "Jornadas de salud", "SSA"),
        ("estatal", 4, 1, "Módulo de doble nacionalidad", "Michoacán"),
    ]
    first, second, combined, _ = parsed.programs
    assert first.challenges_none and first.description.startswith("Señalización")
    assert second.results is None
    assert combined.results_none and combined.challenges_none
    for word in ("niñas", "«en tránsito»", "Migración", "Michoacán", "Índice"):
        assert word in text


def state_names():
    return [a for a in State.objects.values_list("aliases__text", flat=True) if a]


def test_the_docx_of_a_small_cycle_reads_back(small):
    check_small_text(roundtrip.docx_text(render_compendium(small, "docx")), state_names())


@needs_poppler
def test_the_pdf_of_a_small_cycle_reads_back(small):
    check_small_text(roundtrip.pdf_text(render_compendium(small, "pdf")), state_names())


def test_control_characters_in_a_report_do_not_break_the_docx(small):
    program = Program.objects.get(title="Jornadas de salud")
    program.description = "Texto pegado\x0bdesde otro sistema\x07."
    program.save()
    entry = build_compendium(small).parts[0].objectives[14].programs[0]
    assert entry.description == ["Texto pegado desde otro sistema ."]
    assert "Texto pegado desde otro sistema" in roundtrip.docx_text(
        render(build_compendium(small), "docx")
    )
