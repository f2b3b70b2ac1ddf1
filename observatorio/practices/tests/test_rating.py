"""Rating good practices: qualification, majority marks, agreement, and who may rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.catalog.models import Institution, State
from observatorio.practices.models import (
    CRITERIA,
    GoodPractice,
    Mark,
    PracticeRating,
    Qualification,
    agreement,
    panel_marks,
    qualification,
)
from observatorio.practices.permissions import can

M, F, U = Mark.MEETS, Mark.FAILS, Mark.UNKNOWN


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([M, M, M, F, F], Qualification.QUALIFIES),
        ([M, M, M, U, U], Qualification.QUALIFIES),
        ([M, M, F, F, F], Qualification.DOES_NOT),
        ([M, F, F, F, U], Qualification.DOES_NOT),
        ([M, M, F, F, U], Qualification.UNDETERMINED),
        ([M, U, U, F, F], Qualification.UNDETERMINED),
        ([U, U, U, U, U], Qualification.UNDETERMINED),
        ([F, F, F, U, U], Qualification.DOES_NOT),
    ],
)
def test_qualification_needs_three_of_five_and_says_when_unknowns_decide(marks, expected):
    assert qualification(marks) == expected


def rating(*marks):
    return PracticeRating(
        **{f"{key}_mark": mark for key, mark in zip(CRITERIA, marks, strict=True)}
    )


def test_the_panel_mark_is_the_strict_majority_of_known_marks():
    ratings = [rating(M, M, F, U, M), rating(M, F, F, U, F), rating(F, U, M, U, U)]
    assert panel_marks(ratings) == {
        "sostenibilidad": M,
        "asociacion": U,  # one meets, one fails: a tie
        "innovacion": F,
        "replicabilidad": U,  # nobody knew
        "eficacia": U,  # tie again
    }


def test_agreement_is_the_share_of_agreeing_pairs_and_fleiss_kappa():
    # Three raters: criterion 1 all agree, criterion 2 two of three, the rest all agree.
    ratings = [rating(M, M, F, M, F), rating(M, M, F, M, F), rating(M, F, F, M, F)]
    measured = agreement(ratings)
    assert measured.raters == 3
    assert measured.per_criterion["sostenibilidad"] == 1.0
    assert measured.per_criterion["asociacion"] == pytest.approx(1 / 3)
    assert measured.overall == pytest.approx((4 + 1 / 3) / 5)
    # Fleiss: P_bar = 13/15; marks: 8 M, 7 F of 15 -> P_e = (64 + 49) / 225.
    p_bar, p_e = 13 / 15, 113 / 225
    assert measured.fleiss_kappa == pytest.approx((p_bar - p_e) / (1 - p_e))


def test_agreement_is_undefined_with_one_rater():
    measured = agreement([rating(M, M, M, M, M)])
    assert measured.overall is None and measured.fleiss_kappa is None


@pytest.fixture
def practice(db):
    return GoodPractice.objects.create(
        state=State.objects.get(inegi_code="08"), number=1, title="Atención a personas en retorno"
    )


@pytest.fixture
def documented_practice(db):
    """A practice of Jalisco documented in the system, coordinated by the SRE."""
    practice = GoodPractice.objects.create(
        state=State.objects.get(inegi_code="14"),
        number=7,
        title="Ventanilla de atención a personas solicitantes de refugio",
        marks_from=GoodPractice.MarksFrom.RATERS,
    )
    practice.institutions.add(Institution.objects.get(acronym="SRE"))
    return practice


def test_a_rater_from_the_practices_own_state_is_refused(practice, cast):
    decision = can(cast("council_chihuahua"), "rate", practice)
    assert not decision
    assert "propia entidad" in decision.reason


def test_a_rater_from_the_practices_own_institution_is_refused(documented_practice, cast):
    from observatorio.accounts.models import Membership, Role

    user = cast("outsider")
    Membership.objects.create(
        user=user, role=Role.COUNCIL, institution=Institution.objects.get(acronym="SRE")
    )
    decision = can(user, "rate", documented_practice)
    assert not decision
    assert "propia institución" in decision.reason


def test_raters_from_elsewhere_may_rate(practice, cast):
    assert can(cast("council_academia"), "rate", practice)
    assert can(cast("reviewer"), "rate", practice)


def test_users_without_a_rater_role_may_not_rate(practice, cast):
    assert not can(cast("enlace_jalisco"), "rate", practice)
    assert not can(cast("outsider"), "rate", practice)


def form_data(marks, justify=True):
    data = {}
    for key, mark in zip(CRITERIA, marks, strict=True):
        data[f"{key}_mark"] = mark
        data[f"{key}_justification"] = f"Razón para {key}" if justify else ""
    return data


def test_a_rater_rates_through_the_form_and_the_panel_marks_follow(
    client, documented_practice, cast
):
    for name, marks in [
        ("council_academia", [M, M, M, F, U]),
        ("council_chihuahua", [M, F, M, F, M]),
        ("reviewer", [M, M, F, F, M]),
    ]:
        client.force_login(cast(name))
        url = reverse("practices:rate", args=[documented_practice.pk])
        response = client.post(url, form_data(marks))
        assert response.status_code == 302, response.content.decode()
    documented_practice.refresh_from_db()
    assert documented_practice.marks() == {
        "sostenibilidad": M,
        "asociacion": M,
        "innovacion": M,
        "replicabilidad": F,
        "eficacia": M,
    }
    assert documented_practice.qualification == Qualification.QUALIFIES
    page = client.get(reverse("practices:ratings", args=[documented_practice.pk]))
    body = page.content.decode()
    assert "3 personas evaluadoras" in body
    assert "kappa de Fleiss" in body


def test_rating_again_changes_the_raters_own_rating(client, documented_practice, cast):
    client.force_login(cast("reviewer"))
    url = reverse("practices:rate", args=[documented_practice.pk])
    client.post(url, form_data([M, M, M, M, M]))
    client.post(url, form_data([F, F, F, F, F]))
    assert documented_practice.ratings.count() == 1
    documented_practice.refresh_from_db()
    assert documented_practice.qualification == Qualification.DOES_NOT


def test_a_known_mark_without_justification_is_refused_in_spanish(
    client, documented_practice, cast
):
    client.force_login(cast("reviewer"))
    url = reverse("practices:rate", args=[documented_practice.pk])
    response = client.post(url, form_data([M, M, M, M, M], justify=False))
    assert response.status_code == 200
    assert "Justifique la marca del criterio «Sostenibilidad»." in response.content.decode()
    assert not PracticeRating.objects.exists()


def test_an_invalid_mark_is_refused_and_nothing_is_saved(client, documented_practice, cast):
    client.force_login(cast("reviewer"))
    url = reverse("practices:rate", args=[documented_practice.pk])
    response = client.post(url, form_data(["excelente", M, M, M, M]))
    assert response.status_code == 200
    assert "Seleccione una opción válida" in response.content.decode()
    assert not PracticeRating.objects.exists()


def test_the_form_refuses_a_rater_of_the_practices_own_state(client, practice, cast):
    client.force_login(cast("council_chihuahua"))
    url = reverse("practices:rate", args=[practice.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data([M, M, M, M, M])).status_code == 403
    assert not PracticeRating.objects.exists()


def test_an_enlace_cannot_rate_or_see_ratings(client, practice, cast):
    client.force_login(cast("enlace_jalisco"))
    assert client.post(reverse("practices:rate", args=[practice.pk]), {}).status_code == 403
    assert client.get(reverse("practices:ratings", args=[practice.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, practice):
    response = client.get(reverse("practices:rate", args=[practice.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_imported_practices_keep_the_marks_their_source_printed(client, practice, cast):
    from observatorio.sources.models import SourceDocument

    practice.source = SourceDocument.objects.create(
        slug="estudio", title="Estudio", file_name="e.txt", sha256="0" * 64, line_count=1
    )
    practice.sostenibilidad_mark = M
    practice.source_first_line = practice.source_last_line = 1
    practice.save()
    client.force_login(cast("reviewer"))
    client.post(reverse("practices:rate", args=[practice.pk]), form_data([F, F, F, F, F]))
    practice.refresh_from_db()
    assert practice.sostenibilidad_mark == M
    assert practice.marks_from == GoodPractice.MarksFrom.SOURCE
    assert practice.ratings.count() == 1
