"""The choropleth's colour classes, labels and shapes (no database)."""

from __future__ import annotations

import itertools

import pytest

from observatorio.charts import maps


def test_consecutive_colour_classes_differ_by_a_contrast_of_at_least_3_to_1():
    ratios = [maps.contrast(a, b) for a, b in itertools.pairwise(maps.PALETTE)]
    assert len(ratios) == len(maps.PALETTE) - 1 >= 2
    assert min(ratios) >= 3.0, ratios


def test_the_palette_is_sequential_from_light_to_dark():
    luminances = [maps.luminance(colour) for colour in maps.PALETTE]
    assert luminances == sorted(luminances, reverse=True)


@pytest.mark.parametrize("k", range(len(maps.PALETTE)))
def test_text_on_every_class_reads_at_4_5_to_1(k):
    assert maps.contrast(maps.text_colour(k), maps.PALETTE[k]) >= 4.5


def test_the_contrast_formula_gives_the_known_extremes():
    assert maps.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert maps.contrast("#777777", "#777777") == pytest.approx(1.0)
    # WCAG's example: #767676 on white is just above 4.5:1.
    assert maps.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_classes_split_none_some_and_many_and_the_legend_names_their_ranges():
    assert [maps.classify(v, 17) for v in (0, 1, 9, 10, 17)] == [0, 1, 1, 2, 2]
    assert [label for _colour, label in maps.legend(17)] == ["0", "1–9", "10–17"]
    assert [label for _colour, label in maps.legend(1)] == ["0", "1"]
    assert [label for _colour, label in maps.legend(0)] == ["0"]
    assert maps.classify(3, 0) == 0


def test_every_state_has_an_abbreviation_and_a_label_inside_the_map():
    x, y, width, height = (float(v) for v in maps.shapes()["viewBox"].split())
    positions = maps.label_positions()
    assert len(positions) == 32
    assert set(maps.ABBREVIATIONS) == set(positions)
    assert len(set(maps.ABBREVIATIONS.values())) == 32
    for cx, cy, lx, ly in positions.values():
        assert x < cx < x + width and y < cy < y + height
        assert x < lx < x + width and y < ly < y + height


def test_a_label_sits_on_its_state_unless_it_has_a_leader_line():
    positions = maps.label_positions()
    # Chihuahua, a large state: its centre lies north-west of Chiapas's.
    assert positions["chh"][0] < positions["chp"][0]
    assert positions["chh"][1] < positions["chp"][1]
    for svg_id, (cx, cy, lx, ly) in positions.items():
        if svg_id not in maps.LABEL_AT:
            assert (cx, cy) == (lx, ly)


def test_the_locator_highlights_one_state_with_lighter_outlines():
    shapes = maps.locator("chp")
    assert len(shapes) == 32
    assert [here for _path, here in shapes].count(True) == 1
    full = sum(len(location["path"]) for location in maps.shapes()["locations"])
    assert sum(len(path) for path, _here in shapes) < full / 2
    assert all(path.startswith("M") and path.endswith("Z") for path, _here in shapes)
