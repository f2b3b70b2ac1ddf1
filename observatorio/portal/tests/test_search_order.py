"""The search page's order (``orden=``), its suggestion for words that match nothing, and
what it shows when nothing is found."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from observatorio.lib.text import fold
from observatorio.programs.models import Program
from observatorio.published import index
from observatorio.published.querying import programs_for

pytestmark = pytest.mark.django_db


def get(client, query: str) -> str:
    response = client.get(reverse("portal:search") + query)
    assert response.status_code == 200
    return response.content.decode()


def result_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li><a href="/programas/(\d+)/"><strong>', body)]


def sort_links(body: str) -> dict[str, tuple[str, bool]]:
    """Label → (href, current) of the order links."""
    nav = body.split('class="sort"')[1].split("</nav>")[0]
    return {
        label: (html.unescape(href), bool(current))
        for href, current, label in re.findall(
            r'<a href="([^"]*)"( aria-current="true")?[^>]*>([^<]*)</a>', nav
        )
    }


def test_title_order_sorts_the_same_programs_by_their_folded_titles(client, real_data):
    relevance = programs_for({"q": "migrantes"}).ids
    by_title = programs_for({"q": "migrantes", "orden": "titulo"}).ids
    assert sorted(by_title) == sorted(relevance) and by_title != relevance
    titles = dict(Program.objects.filter(pk__in=by_title).values_list("pk", "title"))
    keys = [(fold(titles[pk]), pk) for pk in by_title]
    assert keys == sorted(keys)
    assert result_ids(get(client, "?q=migrantes&orden=titulo")) == by_title[:20]


def test_cycle_order_puts_the_newest_cycle_first_and_keeps_relevance_within_it(
    client, real_data, make_report
):
    relevance = programs_for({"q": "trata"}).ids
    assert len(relevance) > 3
    newer = make_report(
        state="14",
        status=Program.Status.PUBLISHED,
        number=1,
        title="Prevención de la trata en albergues",
    )
    index.update_for(newer)
    now_relevant = programs_for({"q": "trata"}).ids
    by_cycle = programs_for({"q": "trata", "orden": "ciclo"}).ids
    assert by_cycle[0] == newer.pk
    assert by_cycle[1:] == [pk for pk in now_relevant if pk != newer.pk]
    assert result_ids(get(client, "?q=trata&orden=ciclo"))[0] == newer.pk


@pytest.mark.parametrize("order", ["xyz", "relevancia", "", "0" * 300, "ciclo;drop", "%C3%B1"])
def test_an_unknown_order_is_relevance_without_an_error(client, real_data, order):
    response = client.get(reverse("portal:search") + f"?q=migrantes&orden={order}")
    assert response.status_code == 200
    body = response.content.decode()
    assert result_ids(body) == programs_for({"q": "migrantes"}).ids[:20]
    assert sort_links(body)["Relevancia"] == ("?q=migrantes", True)
    assert "orden=" not in body.split('class="pager"')[1]


def test_the_order_is_kept_in_facet_links_pagination_and_the_search_form(client, real_data):
    body = get(client, "?parte=estatal&orden=titulo")
    aside = body.split('class="facets"')[1].split("</aside>")[0]
    facet_links = re.findall(r'<a href="([^"]*)"', aside)
    assert facet_links and all("orden=titulo" in html.unescape(link) for link in facet_links)
    pager = body.split('class="pager"')[1].split("</nav>")[0]
    assert "?parte=estatal&amp;orden=titulo&amp;pagina=2" in pager
    assert '<input type="hidden" name="orden" value="titulo">' in body
    links = sort_links(body)
    assert links["Título"] == ("?parte=estatal&orden=titulo", True)
    assert links["Relevancia"] == ("?parte=estatal", False)
    assert links["Ciclo más reciente"] == ("?parte=estatal&orden=ciclo", False)
    second = get(client, "?parte=estatal&orden=titulo&pagina=2")
    ids = programs_for({"parte": "estatal", "orden": "titulo"}).ids
    assert result_ids(second) == ids[20:40]


def test_a_word_that_matches_nothing_gets_a_suggestion_that_runs_the_corrected_search(
    client, real_data
):
    body = get(client, "?q=trta")
    assert "¿Quisiste decir" in body
    link = re.search(r'<p class="suggestion">.*?<a href="([^"]*)">trata</a>', body, re.S)
    assert link, body.split('class="search-results"')[1][:600]
    corrected = get(client, html.unescape(link.group(1)))
    assert result_ids(corrected) == programs_for({"q": "trata"}).ids[:20]
    assert "¿Quisiste decir" not in corrected


def test_a_suggestion_keeps_the_filters_when_they_still_find_something(client, real_data):
    body = get(client, "?q=trta&parte=estatal&orden=titulo")
    assert 'href="?q=trata&amp;parte=estatal&amp;orden=titulo">trata</a>' in body


def test_nothing_found_shows_no_empty_facet_boxes(client, real_data):
    body = get(client, "?q=zzzzqqqq")
    assert 'class="facets"' not in body
    assert "Sin valores" not in body
    assert "¿Quisiste decir" not in body
    assert "No hay programas publicados que coincidan" in body
    assert 'class="sort"' not in body  # nothing to order


def test_results_come_before_the_facets_in_the_page_with_a_skip_link_to_them(client, real_data):
    body = get(client, "?q=ninas")
    skip = body.index('href="#results-title"')
    first_result = body.index('<ol class="results">')
    assert skip < body.index('<form method="get" role="search"') < first_result
    assert first_result < body.index('class="facets"')
    assert 'id="results-title" tabindex="-1"' in body
