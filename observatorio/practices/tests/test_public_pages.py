"""The public good-practice pages over the real IOM–CONOFAM study, checked against the DB.

The catalogue lists the 44 practices with their five marks and filters them by state and
criterion met (in the URL); the ficha shows the five criteria with marks and justifications,
the qualification, the source lines and, for users allowed, the links to the ratings.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from observatorio.practices.models import CRITERIA, GoodPractice, Mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(real_data):
    """The study and the compendium, imported once per module (observatorio/conftest.py)."""


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def between(body: str, start: str, end: str) -> str:
    return body.split(start, 1)[1].split(end, 1)[0]


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def catalogue_rows(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<th scope="row"><a href="/practicas/(\d+)/">', body)]


def test_the_catalogue_lists_the_44_practices_with_their_marks(client, imported):
    body = get(client, reverse("practices:list"))
    assert sorted(catalogue_rows(body)) == sorted(GoodPractice.objects.values_list("pk", flat=True))
    assert len(catalogue_rows(body)) == 44
    table = between(body, "<tbody>", "</tbody>")
    marks = [m for gp in GoodPractice.objects.all() for m in gp.marks().values()]
    assert table.count('class="mark mark-cumple"') == marks.count(Mark.MEETS)
    assert table.count('class="mark mark-no_cumple"') == marks.count(Mark.FAILS)
    assert table.count('class="mark mark-sin_dato"') == marks.count(Mark.UNKNOWN)


def test_the_catalogue_filters_by_state_and_criterion_in_the_url(client, imported):
    body = get(client, reverse("practices:list") + "?entidad=08")
    chihuahua = GoodPractice.objects.filter(state__inegi_code="08")
    assert sorted(catalogue_rows(body)) == sorted(chihuahua.values_list("pk", flat=True))
    assert '<option value="08" selected>' in body
    for key in CRITERIA:
        body = get(client, reverse("practices:list") + f"?criterio={key}")
        meeting = GoodPractice.objects.filter(**{f"{key}_mark": Mark.MEETS})
        assert sorted(catalogue_rows(body)) == sorted(meeting.values_list("pk", flat=True))
        assert f'value="{key}" checked' in body
    both = get(client, reverse("practices:list") + "?criterio=innovacion&criterio=eficacia")
    expected = GoodPractice.objects.filter(innovacion_mark="cumple", eficacia_mark="cumple")
    assert sorted(catalogue_rows(both)) == sorted(expected.values_list("pk", flat=True))
    assert expected.count() < 44


@pytest.mark.parametrize("query", ["?entidad=99", "?entidad=<b>", "?criterio=magia", "?x=1"])
def test_unknown_catalogue_filters_are_ignored(client, imported, query):
    body = get(client, reverse("practices:list") + query)
    assert len(catalogue_rows(body)) == 44
    assert "<b>" not in between(body, "<main", "</main>")


def test_a_ficha_shows_the_five_criteria_with_separate_justifications(client, imported):
    practice = GoodPractice.objects.filter(justifications_separated=True).first()
    body = get(client, reverse("practices:detail", args=[practice.pk]))
    table = between(body, '<table class="grid criteria">', "</table>")
    assert table.count('<th scope="row">') == 5
    for row in practice.criteria_rows():
        assert f'<th scope="row">{row["label"]}</th>' in table
        assert html.escape(row["justification"][:50]) in table
    assert str(practice.qualification.label) in body
    assert html.escape(practice.coordinating_institution) in body
    assert html.escape(practice.target_population) in body
    assert html.escape(practice.dimension) in body
    source = text(between(body, 'id="source-title"', "</section>"))
    assert f"líneas {practice.source_first_line}–{practice.source_last_line}" in source
    assert "Buenas prácticas en política migratoria desde el ámbito local" in source


def test_a_ficha_without_separable_justifications_prints_the_text_once(client, imported):
    practice = GoodPractice.objects.filter(justifications_separated=False).first()
    body = get(client, reverse("practices:detail", args=[practice.pk]))
    table = between(body, '<table class="grid criteria">', "</table>")
    assert table.count('<th scope="row">') == 5
    assert "Justificación" not in table
    first = html.escape(practice.justification_text.split("\n")[0][:60])
    assert body.count(first) == 1
    for row in practice.criteria_rows():
        assert str(row["mark_label"]) in table


def test_ratings_links_only_for_users_allowed(client, imported, cast):
    practice = GoodPractice.objects.get(state__inegi_code="02", number=1)
    url = reverse("practices:detail", args=[practice.pk])
    ratings = f'href="{reverse("practices:ratings", args=[practice.pk])}"'
    rate = f'href="{reverse("practices:rate", args=[practice.pk])}"'
    body = get(client, url)
    assert ratings not in body and rate not in body
    client.force_login(cast("outsider"))
    body = get(client, url)
    assert ratings not in body and rate not in body
    client.force_login(cast("council_academia"))
    body = get(client, url)
    assert ratings in body and rate in body
    client.force_login(cast("council_chihuahua"))
    own = GoodPractice.objects.filter(state__inegi_code="08").first()
    body = get(client, reverse("practices:detail", args=[own.pk]))
    assert f'href="{reverse("practices:ratings", args=[own.pk])}"' in body
    assert f'href="{reverse("practices:rate", args=[own.pk])}"' not in body


def test_the_practice_pages_answer_in_english(client, imported):
    practice = GoodPractice.objects.first()
    for url in ["/en/practicas/", f"/en/practicas/{practice.pk}/"]:
        assert '<html lang="en">' in get(client, url)


def test_an_unknown_practice_is_a_clean_404(client, imported):
    assert client.get("/practicas/999999/").status_code == 404
    assert client.get("/practicas/99999999999999999999999/").status_code == 404
