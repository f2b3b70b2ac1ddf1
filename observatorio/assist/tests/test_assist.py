"""Assistance on the 2022 compendium: suggestions, similar programs, links, records, API.

Every test runs on the imported compendium (``real_data``), whose published programs the
suggestion model learned from when the data was loaded (as ``bootstrap`` does).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from observatorio.assist import actions, evaluation, similarity, training
from observatorio.assist.models import ProgramLink, SuggestionModel, SuggestionRecord
from observatorio.assist.text import program_text
from observatorio.programs import actions as workflow
from observatorio.programs.models import Program
from observatorio.published import version

pytestmark = [pytest.mark.django_db]

HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "held_out.json"
RETURN_BUSINESS = (
    "Apoyo a personas migrantes en retorno y sus familias con capital semilla para iniciar "
    "un negocio propio y reintegrarse a su comunidad de origen."
)
BIRTH_RECORDS = (
    "Expedición de actas de nacimiento y de la CURP a niñas y niños nacidos en el extranjero "
    "de padres mexicanos, para que tengan identidad jurídica."
)
ENGLISH = (
    "The program helps returning migrants and their families start small businesses with "
    "seed grants, training and advice in their home communities."
)


@pytest.fixture
def api(client):
    def get(name, **params):
        return client.get(reverse(name), params)

    return get


# --- the model ---------------------------------------------------------------------------


def test_the_model_is_stored_with_its_data_version_and_checksum(real_data):
    model = SuggestionModel.objects.current()
    assert model.programs == Program.objects.published().count() == 346
    assert model.cycles == [2022]
    assert model.sha256 == training.classifier.Suggester.digest(model.payload)
    assert len(model.data_version) == 32
    assert 0.05 <= model.metrics["temperature"] <= 4
    assert 0 <= model.metrics["mix"] <= 0.6


def test_calibration_caps_what_the_out_of_fold_predictions_do_not_back():
    import numpy as np

    from observatorio.assist import classifier

    rng = np.random.default_rng(7)
    classes = [1, 2, 3, 4]
    truth = rng.choice(classes, size=400).tolist()
    decisions = rng.normal(size=(400, 4))
    # The right class gets a large margin on 60 % of the rows and none on the rest: a
    # sharp model that is wrong 4 times in 10 whatever its margin.
    for r, t in enumerate(truth):
        decisions[r, t - 1 if r % 10 < 6 else (t % 4)] += 8
    t, mix = classifier.calibration(decisions, classes, truth)
    assert mix > 0.2
    top = classifier.calibrated(decisions, t, mix).max(axis=1)
    assert top.max() <= 1 - mix + mix / 4 + 1e-9 and abs(top.mean() - 0.6) < 0.1
    # Without anything to correct there is no mix: a perfect margin keeps its certainty.
    sure = np.eye(4)[[c - 1 for c in truth]] * 20
    assert classifier.calibration(sure, classes, truth)[1] == 0


def test_a_model_file_from_before_the_mix_loads_without_one(real_data):
    import io

    import joblib

    from observatorio.assist import classifier

    _row, suggester = training.current()
    buffer = io.BytesIO()
    joblib.dump(
        {"vectorizer": suggester.vectorizer, "model": suggester.model, "temperature": 0.25},
        buffer,
    )
    old = classifier.Suggester.loads(buffer.getvalue())
    assert (old.temperature, old.mix) == (0.25, 0.0)
    assert old.suggest(RETURN_BUSINESS).results


def test_train_suggestions_skips_unchanged_programs_and_retrains_when_they_change(real_data):
    before = SuggestionModel.objects.count()
    call_command("train_suggestions", stdout=(out := __import__("io").StringIO()))
    assert "no se entrenó" in out.getvalue()
    assert SuggestionModel.objects.count() == before
    program = Program.objects.published().order_by("pk").first()
    program.title += " (corregido)"
    program.save()
    call_command("train_suggestions", stdout=(out := __import__("io").StringIO()))
    assert "entrenado con 346 programas" in out.getvalue()
    newest = SuggestionModel.objects.current()
    assert newest.pk > before and newest.data_version == version.current()
    assert training.current()[0].pk == newest.pk  # the process loads the newer model


def test_top3_on_the_fixed_held_out_set_does_not_fall_more_than_003_below_its_record(real_data):
    recorded = json.loads(HELD_OUT.read_text())
    items, extra = training.examples(), training.objective_examples()
    train, test = evaluation.held_out(items, every=recorded["every"])
    assert len(test) == recorded["n"]
    p, classes = evaluation.model_probabilities(train, extra, test)
    measured = evaluation.score(p, classes, [e.objective for e in test])
    assert measured.top3 >= recorded["top3"] - 0.03, (measured, recorded)


def test_held_out_and_folds_never_split_a_group_of_near_duplicates(real_data):
    items = training.examples()
    groups = evaluation.groups(items)
    train, test = evaluation.held_out(items)
    by_key = {e.key: g for e, g in zip(items, groups, strict=True)}
    assert not {by_key[e.key] for e in train} & {by_key[e.key] for e in test}
    for train_idx, test_idx in evaluation.grouped_folds(items, 5):
        assert not set(groups[train_idx]) & set(groups[test_idx])


def test_the_model_beats_the_keyword_baseline_on_grouped_cross_validation(real_data):
    items, extra = training.examples(), training.objective_examples()
    model = evaluation.cross_validate(items, extra, folds=3)
    keywords = evaluation.cross_validate(
        items, extra, folds=3, method=evaluation.keyword_probabilities
    )
    assert model.top3 >= keywords.top3 + 0.15, (model, keywords)


# --- suggestions -------------------------------------------------------------------------


def test_suggestions_rank_objectives_with_calibrated_scores_and_the_texts_own_words(real_data):
    found = actions.suggest(RETURN_BUSINESS)
    assert [r["objective"] for r in found.results][:3].count(21) == 1
    scores = [r["score"] for r in found.results]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0001
    assert {"retorno", "negocio"} & set(found.results[0]["terms"])
    assert actions.suggest(BIRTH_RECORDS).results[0]["objective"] == 4


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "vacío"),
        ("   \n\t ", "vacío"),
        ("\x01\x02\x03\x04 programa " * 10, "binarios"),
    ],
)
def test_what_is_not_a_text_gets_a_spanish_error(real_data, text, error):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=error):
        actions.suggest(text)


def test_a_text_without_words_is_accepted_with_a_notice_and_no_guess(real_data):
    found = actions.suggest("¡¿…?! ——")
    assert found.results == [] and "pocas palabras" in found.notice
    # Numbers the programs also print (years, amounts) are not words that tell an objective.
    numbers = actions.suggest("2022 2021 100 19")
    assert numbers.results == [] and "pocas palabras" in numbers.notice
    assert actions.suggest("Capital semilla 2022 para migrantes en retorno").results


def test_other_languages_and_unknown_words_get_a_notice_not_a_guess(real_data):
    english = actions.suggest(ENGLISH)
    assert english.results == [] and "español" in english.notice
    chinese = actions.suggest("为返回的移民及其家庭提供创业资金支持的计划")
    assert chinese.results == [] and chinese.notice


# --- similar programs --------------------------------------------------------------------


def test_a_published_programs_own_text_finds_it_first_with_its_shared_passages(real_data):
    program = Program.objects.published().exclude(description="").order_by("pk")[10]
    found = actions.similar(text=program_text(program), limit=5)
    assert found[0].program.pk == program.pk and found[0].score > 0.8
    assert found[0].passages and found[0].passages[0] in " ".join(program_text(program).split())
    others = actions.similar(program=program, limit=5)
    assert program.pk not in [s.program.pk for s in others]
    assert [s.score for s in others] == sorted((s.score for s in others), reverse=True)


def test_reviewers_see_the_same_program_sent_by_another_institution_in_the_same_cycle(
    real_data, make_report, cast
):
    reviewer = cast("reviewer")
    text = dict(title="Ferias de empleo para personas refugiadas", description=RETURN_BUSINESS)
    mine = make_report(state="14", status="enviado", **text)
    theirs = make_report(institution="SRE", status="enviado", **text)
    make_report(state="07", status="borrador", **text)  # a draft is nobody's business yet
    found = actions.similar(program=mine, user=reviewer, limit=5)
    assert found[0].program.pk == theirs.pk and not found[0].published
    assert found[0].score > 0.9 and found[0].likely_same
    assert [s.program.pk for s in found if not s.published] == [theirs.pk]
    # The public API sees published programs only.
    assert theirs.pk not in [s.program.pk for s in actions.similar(program=mine, limit=50)]


def test_shared_passages_ignore_case_and_accents_and_need_six_words():
    a = "El programa brinda Atención Médica a personas migrantes en tránsito por Chiapas."
    b = "Se da atencion medica a personas migrantes en transito, sobre todo en Tabasco."
    assert similarity.passages(a, b) == ["Atención Médica a personas migrantes en tránsito"]
    assert similarity.passages("uno dos tres cuatro cinco", "uno dos tres cuatro cinco") == []


# --- the API -----------------------------------------------------------------------------


def test_suggest_objectives_api_answers_ranked_objectives(real_data, api):
    response = api("api:suggest-objectives", text=RETURN_BUSINESS)
    assert response.status_code == 200
    body = response.json()
    assert [set(r) for r in body["results"]] == [{"objective", "score", "title", "terms"}] * 3
    assert 21 in [r["objective"] for r in body["results"]]
    assert body["model"]["programs"] == 346 and body["notice"] == ""
    assert (
        len(api("api:suggest-objectives", text=RETURN_BUSINESS, limit=23).json()["results"]) == 23
    )


def test_similar_programs_api_by_text_and_by_id(real_data, api, client):
    program = Program.objects.published().exclude(description="").order_by("pk")[3]
    body = api("api:programs-similar", text=program_text(program), limit=3).json()
    assert len(body["results"]) <= 3
    first = body["results"][0]
    assert first["id"] == program.pk and first["cycle"] == 2022
    assert first["objective"] == program.objective.number and 0 < first["score"] <= 1
    assert {"id", "title", "cycle", "objective", "score"} <= set(first)
    by_id = client.get(reverse("api:program-similar", args=[program.pk])).json()
    assert program.pk not in [r["id"] for r in by_id["results"]]


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({}, 400, "Falta"),
        ({"text": ""}, 400, "vacío"),
        ({"text": "\x07\x08" * 30}, 400, "binarios"),
        ({"text": "palabra " * 760}, 400, "6,000"),
        ({"text": "retorno", "limit": "0"}, 400, "mayor"),
        ({"text": "retorno", "limit": "muchos"}, 400, ""),
    ],
)
def test_bad_texts_get_a_400_in_spanish(real_data, api, params, status, words):
    for name in ("api:suggest-objectives", "api:programs-similar"):
        response = api(name, **params)
        assert response.status_code == status, response.content
        assert words in json.dumps(response.json(), ensure_ascii=False)


def test_a_100000_character_text_gets_a_400_that_names_the_limit_not_a_500(real_data, client):
    for path in ("/api/v1/suggest/objectives/", "/api/v1/programs/similar/"):
        response = client.get(path, {"text": "migrantes " * 10_000})
        assert response.status_code == 400
        assert response.json() == {"text": ["El texto pasa de 6,000 caracteres."]}
        huge = client.get(path, {"text": "ñ" * 400_000})  # 2.4 MB of address: not even read
        assert huge.status_code == 414 and huge.json()["detail"]


def test_similar_to_a_draft_of_another_scope_is_a_404_like_a_missing_program(
    real_data, client, make_report
):
    draft = make_report(state="14")
    assert client.get(reverse("api:program-similar", args=[draft.pk])).status_code == 404
    missing = client.get(reverse("api:program-similar", args=[10**12]))
    assert (
        missing.status_code == 404
        and missing.json() == client.get(reverse("api:program-similar", args=[draft.pk])).json()
    )


# --- records of suggestion and choice -----------------------------------------------------


def test_sending_and_publishing_record_the_suggestion_and_the_choice(real_data, make_report, cast):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(
        state="14",
        objective=21,
        title="Capital semilla para migrantes en retorno",
        description=RETURN_BUSINESS,
    )
    workflow.transition(report, "submit", enlace)
    sent = SuggestionRecord.objects.get(program=report)
    assert sent.event == "enviado" and sent.chosen.number == 21
    assert sent.rank == [s["objective"] for s in sent.suggested].index(21) + 1
    workflow.transition(report, "approve", reviewer)
    workflow.transition(report, "publish", reviewer)
    assert list(
        SuggestionRecord.objects.filter(program=report).values_list("event", flat=True)
    ) == [
        "publicado",
        "enviado",
    ]


def test_a_publication_enqueues_one_retraining_per_transaction(
    real_data, make_report, cast, django_capture_on_commit_callbacks, monkeypatch
):
    from observatorio.assist import receivers

    calls = []
    monkeypatch.setattr(receivers, "_enqueue_retrain", lambda: calls.append(1))
    reviewer = cast("reviewer")
    reports = [make_report(state="14", status="aprobado", title=f"Programa {n}") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            for report in reports:
                workflow.transition(report, "publish", reviewer)
    assert calls == [1]


# --- reviewers' links ----------------------------------------------------------------------


def _two_of_2022():
    return list(Program.objects.published().filter(section="estatal").order_by("pk")[:2])


def test_reviewers_mark_joint_programs_dismiss_and_undo(real_data, cast):
    reviewer = cast("reviewer")
    a, b = _two_of_2022()
    assert "conjunto" in actions.decide(a, b, "conjunto", reviewer)
    assert actions.joint_partners(a) == [b] and actions.joint_partners(b) == [a]
    assert actions.count_once([a.pk, b.pk, 1]) == 2
    actions.decide(b, a, "descartado", reviewer)  # the same pair: one decision, replaced
    assert ProgramLink.objects.get().kind == "descartado"
    assert a.pk in actions.dismissed(b)
    assert b.pk not in [s.program.pk for s in actions.similar(program=a, limit=50)]
    actions.decide(a, b, "quitar", reviewer)
    assert not ProgramLink.objects.exists()


def test_a_continuation_links_a_report_to_its_previous_edition(real_data, cast, make_report):
    reviewer = cast("reviewer")
    old = Program.objects.published().filter(state__inegi_code="14").order_by("pk").first()
    new = make_report(state="14", status="enviado", title=old.title)
    assert "continuación" in actions.decide(new, old, "continuacion", reviewer)
    new.refresh_from_db()
    assert new.previous_id == old.pk
    assert [p.pk for p in actions.history(new, published_only=False)] == [old.pk, new.pk]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ciclo anterior"):
        actions.decide(old, new, "continuacion", reviewer)
    with pytest.raises(ValidationError, match="quite primero"):
        actions.decide(new, old, "conjunto", reviewer)
    actions.decide(new, old, "quitar", reviewer)
    new.refresh_from_db()
    assert new.previous_id is None


@pytest.mark.parametrize("who", ["enlace_jalisco", "council_chihuahua", "reporter_sre", "outsider"])
def test_only_upm_reviewers_link_programs_and_another_scope_changes_nothing(
    real_data, cast, client, who, make_report
):
    mine = make_report(state="14", status="enviado")  # enlace_jalisco's own report
    other = Program.objects.published().order_by("pk").first()
    client.force_login(cast(who))
    response = client.post(
        reverse("assist:link", args=[mine.pk]), {"otro": other.pk, "decision": "conjunto"}
    )
    if who == "enlace_jalisco":  # sees their report, may not link: told so, nothing written
        assert response.status_code == 302
        assert "revisor" in client.get(response.url.split("#")[0]).content.decode()
    else:  # not theirs: 404 exactly like a missing report
        assert response.status_code == 404
        missing = client.post(reverse("assist:link", args=[10**12]), {"otro": other.pk})
        assert missing.status_code == 404
    assert not ProgramLink.objects.exists()
    mine.refresh_from_db()
    assert mine.previous_id is None


def test_the_panel_is_for_those_in_the_review_and_hides_like_a_missing_report(
    real_data, cast, client, make_report
):
    report = make_report(state="14", status="enviado", description=RETURN_BUSINESS)
    url = reverse("assist:panel", args=[report.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(cast("enlace_chiapas"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("assist:panel", args=[10**12])).status_code == 404
    client.force_login(cast("enlace_jalisco"))
    page = client.get(url).content.decode()
    assert "Objetivos sugeridos" in page and "Programas parecidos" in page
    assert "Programa conjunto</button>" not in page  # the enlace sees, does not link
    client.force_login(cast("reviewer"))
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and "No relacionados" in page


def test_form_suggestions_need_a_reporter_or_reviewer_and_answer_a_fragment(
    real_data, cast, client
):
    url = reverse("assist:objectives")
    client.force_login(cast("council_chihuahua"))
    assert client.post(url, {"title": RETURN_BUSINESS}).status_code == 403
    client.force_login(cast("enlace_jalisco"))
    assert client.get(url).status_code == 405
    page = client.post(url, {"title": RETURN_BUSINESS}).content.decode()
    assert 'data-objective="21"' in page and "<html" not in page
    assert "caracteres de control" in client.post(url, {"title": "\x01\x02" * 50}).content.decode()
    assert "Escriba el título" in client.post(url, {"title": ""}).content.decode()


def test_the_agreement_page_counts_first_and_top3_choices_per_cycle(
    real_data, cast, client, make_report
):
    enlace = cast("enlace_jalisco")
    report = make_report(state="14", objective=21, description=RETURN_BUSINESS)
    workflow.transition(report, "submit", enlace)
    client.force_login(enlace)
    assert client.get(reverse("assist:agreement")).status_code == 403
    client.force_login(cast("reviewer"))
    page = client.get(reverse("assist:agreement")).content.decode()
    assert "Ciclo 2023" in page and f"v{SuggestionModel.objects.current().pk}" in page


# --- the portal and the compendium ----------------------------------------------------------


def test_the_portal_shows_a_programs_history_and_its_joint_partners(real_data, cast, client):
    reviewer = cast("reviewer")
    a, b = _two_of_2022()
    actions.decide(a, b, "conjunto", reviewer)
    page = client.get(reverse("portal:program", args=[a.pk])).content.decode()
    assert "Programa conjunto" in page and reverse("portal:program", args=[b.pk]) in page


def test_the_compendium_counts_a_joint_program_once(real_data, cast):
    from observatorio.publications.document import build_compendium

    reviewer = cast("reviewer")
    a, b = _two_of_2022()
    cycle = a.cycle
    assert "distintos" not in " ".join(build_compendium(cycle).introduction)
    actions.decide(a, b, "conjunto", reviewer)
    document = build_compendium(cycle)
    assert "reúne 345 programas distintos" in " ".join(document.introduction)
    assert ("Programas distintos (los conjuntos, una vez)", "345") in document.metadata
