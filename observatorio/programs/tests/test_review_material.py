"""Council comments and the review trail are review material: never on a public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.programs import actions
from observatorio.programs.models import Program

S = Program.Status
pytestmark = pytest.mark.django_db

COMMENT = "Las cifras de Juárez no cuadran con las del informe municipal."


@pytest.fixture
def reviewed(make_report, cast):
    """A Chihuahua report commented by its council in review, then approved and published."""
    report = make_report(state="08", status=S.SUBMITTED)
    actions.comment(report, cast("council_chihuahua"), COMMENT)
    reviewer = cast("reviewer")
    actions.approve(report, reviewer, "Aprobado tras la revisión del consejo.")
    actions.publish(report, reviewer)
    return report


def detail(client, report):
    return client.get(reverse("reports:detail", args=[report.pk]))


@pytest.mark.parametrize("username", [None, "enlace_jalisco", "outsider", "council_academia"])
def test_a_published_reports_page_hides_the_council_comments_from_outsiders(
    client, cast, reviewed, username
):
    if username:
        client.force_login(cast(username))
    response = detail(client, reviewed)
    assert response.status_code == 200
    page = response.content.decode()
    assert COMMENT not in page
    assert "council_chihuahua" not in page
    assert "Comentarios del consejo" not in page
    # Nor the trail, with the reviewer's comment.
    assert "Aprobado tras la revisión del consejo." not in page


@pytest.mark.parametrize("username", ["reviewer", "council_chihuahua"])
def test_those_in_the_review_see_the_comments_while_it_is_in_review(
    client, cast, make_report, username
):
    report = make_report(state="08", status=S.SUBMITTED)
    actions.comment(report, cast("council_chihuahua"), COMMENT)
    client.force_login(cast(username))
    assert COMMENT in detail(client, report).content.decode()


def test_the_reviewer_still_sees_the_comments_after_publication(client, cast, reviewed):
    client.force_login(cast("reviewer"))
    page = detail(client, reviewed).content.decode()
    assert COMMENT in page
    assert "Aprobado tras la revisión del consejo." in page


def test_the_council_comment_is_in_no_public_output(client, reviewed):
    from observatorio.published.index import search

    assert search("juarez informe municipal") == []
    for url in (
        reverse("portal:program", args=[reviewed.pk]),
        f"/api/v1/programs/{reviewed.pk}/",
        "/api/v1/programs/?format=csv",
        reverse("portal:dataset", args=["programas", "csv"]),
        reverse("portal:dataset", args=["programas", "json"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert COMMENT.encode() not in body, url
        assert b"council_chihuahua" not in body, url


def test_a_comment_on_a_report_out_of_review_is_refused(client, cast, make_report):
    report = make_report(state="08", status=S.APPROVED)
    client.force_login(cast("council_chihuahua"))
    response = client.post(reverse("reports:comment", args=[report.pk]), {"comment": COMMENT})
    # Approved reports are not visible to the council: the same 404 as a missing report.
    assert response.status_code == 404
    assert not report.council_comments.exists()
