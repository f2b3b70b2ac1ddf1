"""The starter catalogue of indicators: loaded once, idempotent, each entry with its source."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from observatorio.indicators import catalogue
from observatorio.indicators.models import DIMENSIONS, Indicator


def test_every_entry_names_its_document_lines_and_known_dimensions():
    known = {"entidad", *(name for _field, name in DIMENSIONS)}
    items = catalogue.entries()
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes)) >= 15
    for item in items:
        assert item["source"] in {"compendio-general-2022", "buenas-practicas-oim-conofam"}
        assert item["lines"] and item["name_en"] and item["description_es"]
        assert set(item["dimensions"]) <= known, item["code"]
        formula = item.get("formula")
        if formula:
            assert {formula["numerator"], formula["denominator"]} <= set(codes)
    # The two record-fed counts the records format is made for.
    measures = {item["code"]: item.get("measure") for item in items}
    assert measures["servicios"] == "servicios" and measures["personas"] == "personas"


def test_the_cited_lines_say_what_the_entry_claims(compendium_path):
    """The SDG indicators and the Compact's follow-up indicator are where the entries say."""
    lines = compendium_path.read_text(encoding="utf-8").splitlines()
    by_code = {item["code"]: item for item in catalogue.entries()}

    def cited(code: str) -> str:
        first, _, last = by_code[code]["lines"].partition("-")
        return " ".join(lines[int(first) - 1 : int(last or first)])

    assert "muertas o desaparecidas" in cited("migrantes-muertos-desaparecidos")
    assert "remesas" in cited("costo-remesas")
    assert "indicador de seguimiento al Pacto Mundial" in cited("programas-por-objetivo")


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_links_formulas_and_objectives(catalogs):
    first = catalogue.load()
    assert first.created == len(catalogue.entries()) and first.updated == 0
    again = catalogue.load()
    assert again.created == again.updated == 0 and again.unchanged == first.created
    share = Indicator.objects.get(code="refugio-resuelto-en-tiempo")
    assert share.is_computed and share.denominator.code == "refugio-solicitudes"
    assert share.factor == 100
    assert sorted(share.objectives.values_list("number", flat=True)) == [12]
    assert Indicator.objects.get(code="servicios").min_cell == 5


@pytest.mark.django_db
def test_provenance_is_linked_once_the_document_is_imported(real_data):
    catalogue.load()
    deaths = Indicator.objects.get(code="migrantes-muertos-desaparecidos")
    assert deaths.source.slug == "compendio-general-2022" and deaths.source_lines == "206-208"
    assert deaths.source_institution.acronym == "UPMRIP"


@pytest.mark.django_db
def test_a_changed_entry_is_updated(catalogs, tmp_path, capsys):
    data = json.loads(catalogue.CATALOGUE.read_text(encoding="utf-8"))
    catalogue.load()
    data["indicators"][0]["unit"] = "habitantes"
    changed = tmp_path / "indicators.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    assert catalogue.load(changed).updated == 1
    assert Indicator.objects.get(code=data["indicators"][0]["code"]).unit == "habitantes"
    call_command("load_indicators")
    assert "1 actualizados" in capsys.readouterr().out
