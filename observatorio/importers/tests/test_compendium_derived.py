"""The compendium import sets the programs' derived attributes and keeps them up to date.

The attributes themselves (quantitative results, population groups) are defined and
tested in ``observatorio/programs/derived.py`` and its tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from observatorio.catalog.models import PopulationGroup
from observatorio.importers.compendium.importing import import_compendium
from observatorio.programs.derived import reports_quantity
from observatorio.programs.models import Program, ResultFigure

# Measured on the 2022 compendium and checked by hand (see DATA.md, "Derived attributes").
QUANTITATIVE_2022 = {"federal": 173, "estatal": 102}
WITH_GROUPS_2022 = {"federal": 143, "estatal": 90}
GROUP_ASSIGNMENTS_2022 = 428


def program(section, objective, number) -> Program:
    return Program.objects.get(section=section, objective__number=objective, number=number)


def codes(p: Program) -> set[str]:
    return {g.code for g in p.populations.all()}


@pytest.mark.django_db
def test_the_import_derives_both_attributes_for_the_2022_compendium(compendium_path):
    import_compendium(compendium_path, commit=True)
    programs = Program.objects.all()
    assert programs.count() == 346
    for section in ("federal", "estatal"):
        of_section = programs.filter(section=section)
        assert (
            of_section.filter(has_quantitative_results=True).count() == (QUANTITATIVE_2022[section])
        )
        assert (
            of_section.exclude(populations=None).distinct().count() == (WITH_GROUPS_2022[section])
        )
    assert Program.populations.through.objects.count() == GROUP_ASSIGNMENTS_2022
    assert not programs.filter(populations_inferred=False).exists()
    # No figures were imported: the flag comes from the text alone.
    assert not ResultFigure.objects.exists()
    for p in programs:
        assert p.has_quantitative_results == reports_quantity(p.results), p

    anuario = program("federal", 1, 7)  # "se registraron 1471 visitas"
    assert anuario.has_quantitative_results
    ocde = program("federal", 1, 2)  # only years and editions
    assert not ocde.has_quantitative_results
    assert codes(program("federal", 6, 3)) == {
        "trabajadores_migrantes",
        "trabajadores_agricolas_temporales",
    }
    assert codes(program("estatal", 19, 1)) == {"repatriados", "retorno"}
    none_reported = programs.filter(results_status="ninguno")
    assert none_reported.count() == 6
    assert not none_reported.filter(has_quantitative_results=True).exists()

    again = import_compendium(compendium_path, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 346)


@pytest.mark.django_db
def test_importing_again_fills_a_database_imported_before_the_attributes(compendium_path):
    import_compendium(compendium_path, commit=True)
    before = {p.pk: (p.has_quantitative_results, codes(p)) for p in Program.objects.all()}
    # A database imported before these attributes existed: no flags, no groups.
    Program.populations.through.objects.all().delete()
    Program.objects.update(has_quantitative_results=False, populations_inferred=False)

    backfill = import_compendium(compendium_path, commit=True)
    assert (backfill.created, backfill.updated, backfill.unchanged) == (0, 346, 0)
    after = {p.pk: (p.has_quantitative_results, codes(p)) for p in Program.objects.all()}
    assert after == before
    again = import_compendium(compendium_path, commit=True)
    assert (again.updated, again.unchanged) == (0, 346)


@pytest.mark.django_db
def test_the_import_keeps_a_persons_groups_and_counts_figures_entered_later(compendium_path):
    import_compendium(compendium_path, commit=True)
    chosen = program("federal", 1, 1)
    chosen.populations.set([PopulationGroup.objects.get(code="destino")])
    Program.objects.filter(pk=chosen.pk).update(populations_inferred=False)
    ocde = program("federal", 1, 2)  # no quantity in its results text
    ResultFigure.objects.create(program=ocde, label="Documentos", value=Decimal(3))

    again = import_compendium(compendium_path, commit=True)
    assert (again.updated, again.unchanged) == (1, 345)  # only the figures changed a flag
    chosen.refresh_from_db()
    assert codes(chosen) == {"destino"}
    assert chosen.populations_inferred is False
    ocde.refresh_from_db()
    assert ocde.has_quantitative_results
