"""Derived attributes of programs: quantitative results and inferred population groups.

The detector and the tagger are pure functions (tested on real sentences of the
2022 compendium and on tricky ones); the stored flags are kept up to date by the
compendium importer (tested in importers/tests/test_compendium_derived.py), the
report form, the spreadsheet upload and publication.
"""

from __future__ import annotations

import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from observatorio.catalog.loading import DATA_DIR, CatalogError, load_catalogs
from observatorio.catalog.models import PopulationGroup
from observatorio.programs import actions, derived
from observatorio.programs.derived import (
    compile_keywords,
    keyword_pattern,
    quantities,
    reports_quantity,
    tag_populations,
)
from observatorio.programs.models import Program, ResultFigure
from observatorio.programs.tests.test_report_pages import create_url, form_data
from observatorio.programs.tests.test_spreadsheet import GOOD_ROW, upload_rows

# --- the quantity detector ---------------------------------------------------

COUNTS = [
    # Sentences of the 2022 compendium (Resultados blocks).
    "Del 1 de junio de 2021 al 30 de junio de 2022, el CIAM continuó operando exitosamente y "
    "atendió un total de 266,115 llamadas.",
    "Durante el período de junio de 2021 a junio de 2022 se registraron 1471 visitas a la "
    "publicación, es decir, un promedio mensual de 123 consultas al documento.",
    "Durante el período de junio de 2021 a junio de 2022 se generaron 1 600 visitas a la "
    "publicación, es decir, 134 mensuales.",
    "Se atendió a 1, 332, 320 connacionales residentes en el extranjero que visitaron México.",
    "De agosto de 2021 a junio de 2022 de han registrado 1, 186 207 eventos de ingreso al país.",
    "El tipo de violencia que prevalece es la psicológica con el 63.3%, seguida de la económica.",
    "Entre los resultados más relevantes se identificó que los factores económicos y la "
    "violencia son la causa que motiva la migración, al representar el 38% y 29%.",
    "➔ 10 cursos de “El refugio y otras formas de protección internacional” con 2059 "
    "participaciones",
    "Se generaron 2 millones 88 mil visitas al observatorio.",
    "Con una inversión total de 317 mil 250 pesos.",
    "• Total, operaciones: 2’583,393 • Monto en millones de pesos: $13,763",
    "Marihuana 8, 097.54kg Cocaína 410.87kg",
    "Hasta el momento se han concertado con 08 empresas ubicadas dentro y fuera de Chiapas.",
    "Tres publicaciones digitales de la Revista Rutas.",
    "Hasta el momento se han realizado seis reuniones del Grupo de Alto Nivel.",
    "Total: 177,318",
    "1000 migrantes tlaxcaltecas en el extranjero",
    "Se ha realizado 1 feria.",
    "• Incidencias: 0",
    "En 2021 se impartieron 40 horas de capacitación al personal.",
    # The brief's examples.
    "Se atendieron 1,234 personas.",
    "Se impartieron 35 talleres.",
    "El 60 % de las personas atendidas son mujeres.",
    "El fondo sumó $2.5 millones.",
    "Se otorgaron becas a mil 200 personas.",
    "Se entregaron 2022 despensas.",
]

NOT_COUNTS = [
    # Years, periods and dates.
    "En 2022 se actualizó la guía.",
    "Durante el periodo de junio de 2021 a junio de 2022 se trabajó con las entidades.",
    "Del 01 de junio de 2021 al 31 de junio de 2022 se dio seguimiento.",
    "El 15 de marzo de 2022 se firmó el convenio.",
    "Se firmó el 1º de junio de 2021.",
    "El Plan Nacional de Desarrollo 2019-2024 y el ciclo escolar 2021-2022.",
    "Los días 18 y 19 de julio se realizaron actividades en Tenosique, y el 21 y 22 en Palenque.",
    "Del 4 al 15 de octubre se llevó a cabo la semana.",
    "A raíz de la visita del presidente (12-07-22), ambos países acordaron trabajar.",
    "Contará con resultados más avanzados a finales de 2022 correspondientes a la primera etapa.",
    "Tal como en 2017, 2018, 2019 y 2020, durante el año 2021 el Instituto participó.",
    "Guía para la atención en situación de Migración 2022 Contenidos formativos a distancia.",
    "Oct- Dic/2021 Aseguramientos",
    # Law references and identifiers.
    "Conforme al artículo 33 de la Ley de Migración.",
    "Con fundamento en los artículos 4 y 11 de la Constitución y la fracción II.",
    "Se adiciona la fracción 3 al artículo 107 bis.",
    "Personas detenidas bajo el Título 42 de la Ley de Servicios de Salud Pública.",
    "El Acuerdo INE/CG52/2022 y el Acuerdo SNBP/007/2021 fueron aprobados.",
    "El decreto gubernamental No.1 de 2011.",
    # Objective and section numbers.
    "Contribuye al Objetivo 7 del Pacto Mundial y al ODS 10, meta 10.7.",
    "Atiende la línea de acción 2.3.1 de la estrategia prioritaria 2.",
    "Colaboración en el Tren Maya (tramo 1).",
    "Programa 3x1 para Migrantes.",
    # Telephone numbers.
    "Llame al 800 00 44 800 o al (55) 5128 0000.",
    "Líneas nacionales 9-1-1 emergencias y 0-89 denuncia anónima.",
    # Names, codes, ordinals, ages, durations and list markers.
    "Capacitación en materia de COVID-19 al personal de La 72 Hogar-Refugio.",
    "Alertas por COVID 19 y avisos de viaje.",
    "Se participó en el 6° curso virtual y en la novena reunión.",
    "Durante 2022 el IPAM11 benefició a migrantes poblanos.",
    "Personas menores de 18 años y adultos mayores de 60 años.",
    "Tarjetas con vigencia de 4 años y resolución en 45 o 90 días.",
    "1. Taller de sensibilización\n2. Campaña de difusión",
    "Con base en el MASMMM: 1. CEDECO Norte 2. CEDECO Sur 3. Módulo de Atención Inmediata",
    "Interno. 2. Intercambio de experiencias.",
    "Informe Caravanas 2021. Nuevos retos para las movilidades en México.",
    # Spelled-out words that do not count results.
    "Los tres órdenes de gobierno colaboraron.",
    "Destacan los siguientes cuatro grandes resultados.",
    "Se expidieron tarjetas por dos años.",
    "https://www.oecd.org/migration/international-migration-outlook-1999124x.htm",
    "",
    "No se reportaron resultados.",
]


@pytest.mark.parametrize("text", COUNTS)
def test_a_number_that_counts_something_is_a_quantity(text):
    assert reports_quantity(text), text


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_years_dates_articles_codes_and_markers_are_not_quantities(text):
    assert quantities(text) == [], quantities(text)


def test_a_quantity_is_found_beside_dates_and_articles():
    text = (
        "Del 1 de junio de 2021 al 30 de junio de 2022, conforme al artículo 33, "
        "se atendieron 5,311 niñas, niños y adolescentes (Objetivo 7)."
    )
    assert [q.number for q in quantities(text)] == ["5,311"]


def test_each_quantity_keeps_the_words_around_it():
    (found,) = quantities("Del total, se atendieron 14 personas extranjeras víctimas de delito.")
    assert found.number == "14"
    assert "14 personas extranjeras" in found.context


MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
NOUNS = ["personas", "talleres", "casos", "asesorías", "visitas", "documentos", "solicitudes"]
FILLER = [
    "Se dio seguimiento a la estrategia",
    "en coordinación con la COMAR",
    "conforme al artículo 21 de la Ley General",
    "en el marco del Objetivo 16",
    "para la población migrante",
]


def grouped(n: int, separator: str) -> str:
    return f"{n:,}".replace(",", separator)


dates = st.builds(
    lambda day, month, year, form: form.format(d=day, m=month, y=year),
    st.integers(1, 31),
    st.sampled_from(MONTHS),
    st.integers(1990, 2035),
    st.sampled_from(
        [
            "el {d} de {m} de {y}",
            "del {d} de {m} del {y}",
            "{m} de {y}",
            "en {m} {y}",
            "en {y}",
            "durante el año {y}",
            "{y}-{y}",
            "de {m} de {y} a {m} de {y}",
        ]
    ),
)
counts = st.builds(
    lambda n, separator, noun: f"se atendieron {grouped(n, separator)} {noun}",
    st.integers(0, 10_000_000),
    st.sampled_from([",", " ", ".", ", "]),
    st.sampled_from(NOUNS),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FILLER) | dates, min_size=1, max_size=6))
def test_text_made_of_dates_years_and_references_reports_no_quantity(parts):
    text = ", ".join(parts) + "."
    assert quantities(text) == [], text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FILLER) | dates, max_size=4), counts, st.data())
def test_a_count_is_found_wherever_it_stands_among_dates(parts, count, data):
    position = data.draw(st.integers(0, len(parts)))
    text = ", ".join([*parts[:position], count, *parts[position:]]) + "."
    assert reports_quantity(text), text


# --- the population tagger ---------------------------------------------------


def test_a_phrase_matches_whole_words_without_accents_or_capitals():
    pattern = keyword_pattern("mujeres")
    assert pattern.search("atencion a mujeres migrantes")
    assert not pattern.search("el inmujeres y la onu")
    nna = keyword_pattern("niñas, niños y adolescentes")
    assert nna.search("ninas ninos y adolescentes")
    assert nna.search("ninas, ninos y adolescentes")
    assert not nna.search("ninas y adolescentes")


def test_a_star_matches_any_ending_of_any_word():
    pattern = keyword_pattern("trabajador* agrícola*")
    assert pattern.search("trabajadoras agricolas temporales")
    assert pattern.search("trabajador agricola")
    assert not pattern.search("trabajadores no agricolas")
    assert keyword_pattern("refugiad*").search("personas refugiadas")
    assert not keyword_pattern("refugiad*").search("un refugio")


def test_an_exclusion_is_blanked_out_before_the_group_is_looked_for():
    groups = compile_keywords(
        {"refugiadas": ["refugiad*", "-Comisión Mexicana de Ayuda a Refugiados"]}
    )
    assert tag_populations("Oficina de la Comisión Mexicana de Ayuda a Refugiados", groups) == set()
    assert tag_populations(
        "La COMAR (Comisión Mexicana de Ayuda a Refugiados) atiende a personas refugiadas", groups
    ) == {"refugiadas"}


def test_empty_phrases_are_ignored():
    assert keyword_pattern("  ") is None
    assert keyword_pattern("-") is None
    (group,) = compile_keywords({"x": ["", "-", "apátrida*"]})
    assert [phrase.text for phrase in group.phrases] == ["apátrida*"]


@pytest.fixture
def catalogue(db):
    return derived.catalogue_keywords()


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # Titles and descriptions of the 2022 compendium.
        (
            "Movilidad Laboral Interna de Jornaleros Agrícolas",
            {"trabajadores_migrantes", "trabajadores_agricolas_temporales"},
        ),
        (
            "Protocolo para la Atención Consular de Niñas, Niños y Adolescentes Migrantes No "
            "Acompañados",
            {"nna_migrantes", "nna_no_acompanados"},
        ),
        (
            "Estrategia Interinstitucional de Atención Integral a Familias Mexicanas "
            "Repatriadas y en Retorno",
            {"familias_migrantes", "repatriados", "retorno"},
        ),
        (
            "Expedición de la Clave Única de Registro de Población Temporal para personas "
            "trabajadoras fronterizas",
            {"trabajadores_migrantes", "trabajadores_fronterizos"},
        ),
        (
            "Investigación y evidencia sobre desplazamiento forzado interno (DFI)",
            {"desplazamiento_forzado_interno"},
        ),
        (
            "Búsqueda de Personas Migrantes Desaparecidas o No Localizadas",
            {"migrantes_desaparecidos"},
        ),
        (
            "Mesa de trabajo con personas solicitantes de la condición de refugiado",
            {"solicitantes_refugio", "necesidad_proteccion_internacional"},
        ),
        (
            "Jornada para la Inclusión y la No Discriminación de las personas Migrantes y "
            "Refugiadas",
            {"refugiadas", "necesidad_proteccion_internacional"},
        ),
        # Names that contain a group's word but do not make a program about it.
        ("Convenio entre el Instituto Nacional de las Mujeres y el INM", set()),
        ("Se reforman la Ley sobre Refugiados, Protección Complementaria y Asilo Político", set()),
        ("Reunión con la Comisión Mexicana de Ayuda a Refugiados (COMAR)", set()),
        ("Código de ética: no distinguir entre hombres y mujeres", set()),
        ("Se trata de un programa de vivienda social", set()),
        ("El Sistema Nacional para el Desarrollo Integral de la Familia", set()),
        (
            "Trámite de la Credencial para Votar desde el Extranjero (CPVE): que la ciudadanía "
            "residente en el exterior pueda registrarse en el padrón electoral",
            {"connacionales_exterior"},
        ),
    ],
)
def test_the_catalogue_keywords_tag_real_titles(catalogue, text, codes):
    assert tag_populations(text, catalogue) == codes


def test_results_are_not_part_of_the_population_text():
    text = derived.population_text("Registro de votos", "Votaron desde el extranjero.")
    assert text == "Registro de votos\nVotaron desde el extranjero."


# --- the catalogue keeps the keywords ---------------------------------------


@pytest.mark.django_db
def test_every_population_group_has_keywords():
    groups = PopulationGroup.objects.all()
    assert groups.count() == 27
    assert all(group.keywords for group in groups)


@pytest.mark.django_db
def test_loading_fills_missing_keywords_and_keeps_edited_ones():
    PopulationGroup.objects.filter(code="apatridas").update(keywords=[])
    PopulationGroup.objects.filter(code="transito").update(keywords=["en tránsito"])
    counts = load_catalogs()
    assert counts["poblaciones_actualizados"] == 1
    assert PopulationGroup.objects.get(code="apatridas").keywords == ["apátrida*", "apatridia"]
    assert PopulationGroup.objects.get(code="transito").keywords == ["en tránsito"]
    load_catalogs(update=True)
    assert "transmigrante*" in PopulationGroup.objects.get(code="transito").keywords
    assert load_catalogs() == {}


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["apátrida*", ["apátrida*", ""], [3]])
def test_keywords_must_be_a_list_of_phrases(tmp_path, bad):
    for path in DATA_DIR.glob("*.json"):
        rows = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "populations.json":
            next(row for row in rows if row["code"] == "apatridas")["keywords"] = bad
        (tmp_path / path.name).write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(CatalogError, match="apatridas"):
        load_catalogs(tmp_path)
    assert PopulationGroup.objects.get(code="apatridas").keywords == ["apátrida*", "apatridia"]


def codes(p: Program) -> set[str]:
    return {g.code for g in p.populations.all()}


@pytest.mark.django_db
def test_the_migration_backfills_the_flag_from_text_and_figures(make_report):
    counted = make_report(state="14", results="Se atendió a 1,200 personas.")
    described = make_report(state="14", results="Se firmó el convenio el 3 de mayo de 2022.")
    with_figures = make_report(state="14", results="Ver cifras.")
    ResultFigure.objects.create(program=with_figures, label="Personas", value=Decimal(5))
    Program.objects.update(has_quantitative_results=False)

    migration = importlib.import_module("observatorio.programs.migrations.0003_derived_attributes")
    migration.backfill_quantitative(apps, None)

    flags = dict(Program.objects.values_list("pk", "has_quantitative_results"))
    assert flags == {counted.pk: True, described.pk: False, with_figures.pk: True}


# --- people's reports: form, spreadsheet, publication ------------------------

NO_FIGURES = {
    "figures-0-label": "",
    "figures-0-value": "",
    "figures-0-sex": "total",
    "figures-0-age_group": "todas",
    "figures-0-nationality": "",
}


@pytest.mark.django_db
def test_the_form_stores_the_flag_from_figures_saved_after_the_program(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(
        create_url(open_cycle),
        form_data(guardar="1", results="Se instaló la ventanilla en el aeropuerto."),
    )
    assert response.status_code == 302
    report = Program.objects.get()
    assert report.figures.count() == 1
    assert report.has_quantitative_results  # the figure counts, though the text does not


@pytest.mark.django_db
def test_the_form_recomputes_the_flag_when_figures_are_removed(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(
        create_url(open_cycle), form_data(guardar="1", results="Sin cifras aún.")
    )
    assert response.status_code == 302
    report = Program.objects.get()
    figure = report.figures.get()
    assert report.has_quantitative_results

    edit = form_data(
        guardar="1",
        version=report.version,
        results="Sin cifras aún.",
        **{
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "1",
            "figures-0-id": figure.pk,
            "figures-0-program": report.pk,
            "figures-0-DELETE": "on",
        },
    )
    assert client.post(reverse("reports:edit", args=[report.pk]), edit).status_code == 302
    report.refresh_from_db()
    assert not report.figures.exists()
    assert not report.has_quantitative_results

    edit = form_data(
        guardar="1",
        version=report.version,
        results="Se atendió a 45 personas.",
        **{"figures-TOTAL_FORMS": "1", **NO_FIGURES},
    )
    assert client.post(reverse("reports:edit", args=[report.pk]), edit).status_code == 302
    report.refresh_from_db()
    assert not report.figures.exists()
    assert report.has_quantitative_results


@pytest.mark.django_db
def test_a_persons_choice_of_groups_clears_the_inferred_flag(client, cast, make_report):
    client.force_login(cast("enlace_jalisco"))
    report = make_report(state="14", populations_inferred=True)
    report.populations.set([PopulationGroup.objects.get(code="transito")])

    edit = form_data(guardar="1", version=report.version)
    assert client.post(reverse("reports:edit", args=[report.pk]), edit).status_code == 302
    report.refresh_from_db()
    assert codes(report) == {"retorno"}
    assert report.populations_inferred is False


@pytest.mark.django_db
def test_when_a_person_chooses_no_group_nothing_is_inferred(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    data = form_data(
        guardar="1",
        title="Atención a niñas, niños y adolescentes migrantes no acompañados",
        description="Albergue para personas refugiadas y solicitantes de asilo.",
        populations=None,
    )
    assert client.post(create_url(open_cycle), data).status_code == 302
    report = Program.objects.get()
    assert codes(report) == set()
    assert report.populations_inferred is False


@pytest.mark.django_db
def test_the_spreadsheet_sets_the_flag_and_keeps_the_persons_groups(client, cast, open_cycle):
    without_numbers = {
        **GOOD_ROW,
        "Título": "Convenio con la COMAR",
        "Grupos de población": None,
        "Descripción": "Atención a personas refugiadas y solicitantes de asilo.",
        "Resultados": "Se firmó el convenio el 15 de marzo de 2022 (artículo 33).",
    }
    response = upload_rows(client, cast("enlace_jalisco"), open_cycle, [GOOD_ROW, without_numbers])
    assert response.status_code == 302
    counted, described = Program.objects.order_by("id")
    assert counted.has_quantitative_results  # "Se atendió a 1,200 personas."
    assert codes(counted) == {"transito", "mujeres_migrantes"}
    assert counted.populations_inferred is False
    assert not described.has_quantitative_results
    assert codes(described) == set()
    assert described.populations_inferred is False


@pytest.mark.django_db
def test_publishing_settles_the_flag_with_the_figures_saved_by_then(make_report, cast):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14", results="Se firmó el convenio.")
    assert not report.has_quantitative_results
    actions.submit(report, enlace)
    actions.approve(report, reviewer)
    # A figure added without going through the form (the admin, an API).
    ResultFigure.objects.create(program=report, label="Personas", value=Decimal(12))
    actions.publish(report, reviewer)
    report.refresh_from_db()
    assert report.status == Program.Status.PUBLISHED
    assert report.has_quantitative_results


@pytest.mark.django_db
def test_publishing_clears_a_stale_flag(make_report, cast):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14", results="Se firmó el convenio.")
    Program.objects.filter(pk=report.pk).update(has_quantitative_results=True)
    report.refresh_from_db()
    actions.submit(report, enlace)
    actions.approve(report, reviewer)
    actions.publish(report, reviewer)
    report.refresh_from_db()
    assert not report.has_quantitative_results
