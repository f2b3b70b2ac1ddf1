"""The portal benchmark's data-set builder, at 2× the real data, so that it cannot rot.

Nothing is timed here (``bench/portal.py`` prints the figures); this checks that
the scaled copies (``bench/scaled.py``) are what its docstring says, that the portal
answers the same on them through the in-memory indexes and through SQL, and that the
URL mix (``bench/traffic.py``) draws every scenario.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.models import SearchEntry
from observatorio.published.querying import programs_for, programs_for_sql

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture(scope="module")
def bench():
    # The scripts import each other (and bench/harness.py) by name, from their folder.
    sys.path.insert(0, str(BENCH))
    names = ("harness", "scaled", "traffic")
    modules = {name: importlib.import_module(name) for name in names}
    yield SimpleNamespace(
        build_scaled=modules["scaled"].build_scaled,
        vocabulary=modules["scaled"].vocabulary,
        facet_values=modules["scaled"].facet_values,
        traffic=modules["traffic"].traffic,
        SCENARIOS=modules["traffic"].SCENARIOS,
    )
    for name in names:
        sys.modules.pop(name, None)
    sys.path.remove(str(BENCH))


def test_the_builder_makes_varied_copies_of_the_real_programs(real_data, db, bench):
    stats = bench.build_scaled(2, log=lambda message: None)
    assert stats["real"] == 346 and stats["created"] == 346
    published = Program.objects.published()
    assert published.count() == 692
    assert SearchEntry.objects.filter(kind="programa").count() == 692
    copies = published.filter(cycle__edition=2021)
    assert copies.count() == 346
    assert ReportingCycle.objects.get(edition=2021).period_end.year == (
        ReportingCycle.objects.get(edition=2022).period_end.year - 1
    )
    # State programs moved to another state, with its name in their texts.
    originals = {
        (p.section, p.objective_id, p.number): p
        for p in published.filter(cycle__edition=2022).select_related("state")
    }
    moved = 0
    for copy in copies.filter(section="estatal").select_related("state"):
        original = originals[(copy.section, copy.objective_id, copy.number)]
        assert copy.state_id != original.state_id
        if original.state.name in original.description:
            assert copy.state.name in copy.description
            moved += 1
        assert set(copy.institutions.all()) == set(original.institutions.all())
        assert set(copy.populations.all()) == set(original.populations.all())
    assert moved > 10
    for query in ({"ciclo": "2021"}, {"q": "ninas", "ciclo": "2021"}, {"entidad": "14"}, {}):
        fast = programs_for(query)
        assert fast.ids == programs_for_sql(query).ids
        assert fast.facets == programs_for_sql(query).facets
    assert len(programs_for({"ciclo": "2021"}).ids) == 346
    vocabulary = bench.vocabulary()
    assert len(vocabulary["frequent"]) >= 40 and len(vocabulary["rare"]) >= 50
    assert vocabulary["titles"]


def test_the_url_mix_draws_every_scenario(real_data, db, bench):
    manifest = {"vocabulary": bench.vocabulary(), "facets": bench.facet_values()}
    urls = bench.traffic(manifest, seed=1)
    drawn = [next(urls) for _ in range(500)]
    assert {name for name, _url in drawn} == {s.name for s in bench.SCENARIOS}
    assert all(url.startswith("/buscar/") for _name, url in drawn)
    assert len({url for _name, url in drawn}) > 300  # a realistic spread, with repeats
