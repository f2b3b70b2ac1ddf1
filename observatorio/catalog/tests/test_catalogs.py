"""The reference catalogues: contents, name resolution, idempotent and atomic loading."""

from __future__ import annotations

import json
import shutil

import pytest

from observatorio.catalog.loading import DATA_DIR, CatalogError, load_catalogs
from observatorio.catalog.models import (
    GcmObjective,
    Institution,
    Pillar,
    PopulationGroup,
    Region,
    Sdg,
    State,
    StateAlias,
)

pytestmark = pytest.mark.django_db


def test_there_are_the_32_states_with_inegi_and_iso_codes():
    states = list(State.objects.all())
    assert len(states) == 32
    assert [s.inegi_code for s in states] == [f"{n:02d}" for n in range(1, 33)]
    assert State.objects.get(inegi_code="09").iso_code == "MX-CMX"
    assert State.objects.get(inegi_code="15").iso_code == "MX-MEX"
    assert State.objects.get(inegi_code="16").official_name == "Michoacán de Ocampo"
    assert len({s.iso_code for s in states}) == 32


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Michoacán de Ocampo", "16"),
        ("MICHOACÁN", "16"),
        ("michoacan", "16"),
        ("Estado de México", "15"),
        ("ESTADO DE MÉXICO", "15"),
        ("México", "15"),
        ("Ciudad de México", "09"),
        ("CIUDAD DE  MÉXICO", "09"),
        ("CDMX", "09"),
        ("Veracruz de Ignacio de la Llave", "30"),
        ("NUEVO LEÓN", "19"),
        ("Coahuila de Zaragoza", "05"),
    ],
)
def test_every_printed_variant_of_a_state_name_resolves(printed, code):
    assert State.resolve(printed).inegi_code == code


def test_an_unknown_state_name_does_not_resolve():
    assert State.resolve("Atlántida") is None


def test_there_are_the_23_objectives_with_spanish_and_english_titles():
    objectives = list(GcmObjective.objects.all())
    assert [o.number for o in objectives] == list(range(1, 24))
    assert all(o.title_es and o.title_en and o.short_es for o in objectives)
    first = objectives[0]
    assert first.title_es.startswith("Recopilar y utilizar datos exactos y desglosados")
    assert first.title_en.startswith("Collect and utilize accurate and disaggregated data")


def test_printed_variants_of_objective_titles_are_aliases():
    six = GcmObjective.objects.get(number=6)
    assert six.aliases.count() >= 2
    printed = (
        "Utilizar la detención de migrantes sólo como último recurso y buscar otras alternativas"
    )
    assert GcmObjective.resolve(printed).number == 13
    assert GcmObjective.resolve(printed.replace("sólo", "solo").upper() + ".").number == 13


def test_the_four_study_regions_cover_every_state_once():
    study = Region.objects.filter(scheme=Region.Scheme.STUDY)
    assert sorted(r.name for r in study) == ["Centro", "Norte", "Occidente", "Sur-Sureste"]
    members = [s.inegi_code for r in study for s in r.members.all()]
    assert sorted(members) == [f"{n:02d}" for n in range(1, 33)]
    assert State.objects.get(inegi_code="07").regions.get(scheme=Region.Scheme.STUDY).name == (
        "Sur-Sureste"
    )


def test_conofam_has_its_five_regions_as_the_study_names_them():
    conofam = Region.objects.filter(scheme=Region.Scheme.CONOFAM)
    assert sorted(r.name for r in conofam) == ["Centro", "Norte", "Occidente", "Poniente", "Sur"]


@pytest.mark.parametrize(
    ("printed", "acronym"),
    [
        ("INM/INAMI", "INM"),
        ("INSTITUTO NACIONAL DE MIGRACIÓN", "INM"),
        ("SSA/SALUD", "SSA"),
        ("SRE", "SRE"),
        ("UPMRIP-SEGOB", "UPMRIP"),
        ("COMISIÓN NACIONAL DE LOS DERECHOS HUMANOS", "CNDH"),
        ("Senado de la República", None),
    ],
)
def test_institutions_resolve_from_glossary_names_and_printed_acronyms(printed, acronym):
    institution = Institution.resolve(printed)
    assert institution is not None, printed
    if acronym:
        assert institution.acronym == acronym
    else:
        assert institution.type == Institution.Type.LEGISLATIVO


def test_every_glossary_acronym_of_the_compendium_is_in_the_catalogue():
    glossary = [
        "CNI", "CENSIDA", "CIJ", "CEAV", "CONADIC", "CNDH", "CONAVI", "CONSAR", "CONAVIM",
        "CONACYT", "CONAPO", "CONAPRED", "FGR", "G.N", "ISSSTE", "IMSS", "IFDP", "INALI",
        "INMUJERES", "INPI", "INM/INAMI", "INE", "PFPNNA", "RENAPO", "SADER", "BIENESTAR",
        "SCT", "SEP", "SFP", "SEMARNAT", "SRE", "SSA/SALUD", "STPS", "SECTUR", "SESNSP",
        "SEPOMEX", "SIPINNA", "SNDIF", "TELECOMM", "UPMRIP",
    ]  # fmt: skip
    missing = [a for a in glossary if Institution.resolve(a) is None]
    assert missing == []


def test_state_offices_belong_to_a_state_and_federal_bodies_do_not():
    for institution in Institution.objects.all():
        if institution.order == Institution.Order.FEDERAL:
            assert institution.state is None, institution
        if institution.type == Institution.Type.OFICINA_ESTATAL:
            assert institution.state is not None, institution


def test_populations_pillars_and_sdgs_are_loaded():
    codes = set(PopulationGroup.objects.values_list("name_es", flat=True))
    assert len(codes) >= 8
    assert Pillar.objects.count() == 5
    assert Sdg.objects.count() == 17
    assert Sdg.objects.get(number=10).name_en.lower().startswith("reduced inequalit")


def test_loading_twice_changes_nothing():
    assert load_catalogs() == {}


def test_loading_keeps_what_an_administrator_edited():
    state = State.objects.get(inegi_code="07")
    state.official_name = "Estado Libre y Soberano de Chiapas"
    state.save()
    load_catalogs()
    state.refresh_from_db()
    assert state.official_name == "Estado Libre y Soberano de Chiapas"
    counts = load_catalogs(update=True)
    state.refresh_from_db()
    assert state.official_name == "Chiapas"
    assert counts["entidades_actualizados"] == 1


def test_a_broken_catalogue_file_is_reported_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    states = json.loads((data / "states.json").read_text())
    states[0]["variants"].append("Aguas Nuevas")
    (data / "states.json").write_text(json.dumps(states, ensure_ascii=False))
    regions = json.loads((data / "regions.json").read_text())
    regions[0]["members"].append("99")
    (data / "regions.json").write_text(json.dumps(regions, ensure_ascii=False))

    with pytest.raises(CatalogError, match="claves INEGI inexistentes"):
        load_catalogs(data)
    assert not StateAlias.objects.filter(text="Aguas Nuevas").exists()


def test_a_variant_claimed_by_two_states_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    states = json.loads((data / "states.json").read_text())
    states[1]["variants"].append("Aguascalientes")
    (data / "states.json").write_text(json.dumps(states, ensure_ascii=False))
    with pytest.raises(CatalogError, match="ya pertenece"):
        load_catalogs(data)


def test_a_missing_catalogue_file_is_reported_in_spanish(tmp_path):
    with pytest.raises(CatalogError, match="Falta el archivo de catálogo states.json"):
        load_catalogs(tmp_path)
