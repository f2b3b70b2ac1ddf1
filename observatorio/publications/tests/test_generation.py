"""Documents generated in the background: caching by data version, progress, failures,
the policy and the /publicaciones/ pages. Over the real 2022 data (read-only, rolled back)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from observatorio.catalog.models import State
from observatorio.lib.renderers import Renderer
from observatorio.programs import actions
from observatorio.programs.models import Program, ReportingCycle
from observatorio.publications import permissions, tasks
from observatorio.publications.models import GeneratedDocument, data_version
from observatorio.publications.tasks import generate_document, request_document

pytestmark = pytest.mark.usefixtures("real_data")

FACTSHEET = GeneratedDocument.Kind.FACTSHEET
COMPENDIUM = GeneratedDocument.Kind.COMPENDIUM


@pytest.fixture
def cycle(db):
    return ReportingCycle.objects.get(edition=2022)


@pytest.fixture
def jalisco(db):
    return State.objects.get(inegi_code="14")


@pytest.fixture
def chiapas(db):
    return State.objects.get(inegi_code="07")


@pytest.fixture
def quick(monkeypatch):
    """A cheap renderer that records what the status was while it ran."""
    seen = []

    def render(model):
        seen.append(
            GeneratedDocument.objects.filter(status=GeneratedDocument.Status.RUNNING)
            .values("progress", "step")
            .get()
        )
        return f"{type(model).__name__} {model.program_count}".encode()

    monkeypatch.setattr(
        tasks,
        "_renderer",
        lambda document: Renderer(document.kind, document.format, "pdf", "x", "PDF", render),
    )
    return seen


def _request(user, state, fmt="pdf", kind=FACTSHEET, cycle=None):
    cycle = cycle or ReportingCycle.objects.get(edition=2022)
    return request_document(kind=kind, cycle=cycle, state=state, fmt=fmt, user=user)


def _post(client, *, kind=FACTSHEET, state=None, fmt="docx", cycle=None):
    data = {"kind": kind, "cycle": (cycle or ReportingCycle.objects.get(edition=2022)).pk}
    data["format"] = fmt
    if state is not None:
        data["state"] = state.pk
    return client.post(reverse("documents:request"), data)


# --- the real thing, once ------------------------------------------------------------


def test_factsheet_generated_downloaded_and_reused(client, cast, jalisco):
    client.force_login(cast("enlace_jalisco"))
    response = _post(client, state=jalisco)
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:status", args=[document.pk])
    assert document.status == GeneratedDocument.Status.DONE, document.error
    assert (document.progress, document.step) == (100, "Listo")
    content = bytes(document.content)
    assert content[:2] == b"PK"  # a DOCX is a zip
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.task_id and document.finished_at >= document.started_at

    page = client.get(response["Location"])
    assert "Descargar ficha-jalisco-2022.docx" in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()

    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert download.content == content
    assert download["ETag"] == f'"{document.sha256}"'
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="ficha-jalisco-2022.docx"' in download["Content-Disposition"]
    again = client.get(
        reverse("documents:download", args=[document.pk]), HTTP_IF_NONE_MATCH=download["ETag"]
    )
    assert again.status_code == 304

    # Same data, same key: the done document is handed over at once, nothing is rendered.
    second = _post(client, state=jalisco)
    assert second["Location"] == response["Location"]
    assert GeneratedDocument.objects.count() == 1


# --- caching by data version ---------------------------------------------------------


def test_unchanged_data_creates_one_document(cast, jalisco, quick):
    reviewer = cast("reviewer")
    first, new = _request(reviewer, jalisco)
    second, again = _request(cast("enlace_jalisco"), jalisco)
    assert (new, again) == (True, False)
    assert first.pk == second.pk
    assert GeneratedDocument.objects.count() == 1
    assert len(quick) == 1
    # Another format or state is another document.
    _request(reviewer, jalisco, fmt="docx")
    _request(reviewer, State.objects.get(inegi_code="07"))
    assert GeneratedDocument.objects.count() == 3


def test_withdrawing_and_publishing_change_the_version(cast, cycle, jalisco, quick):
    reviewer = cast("reviewer")
    program = Program.objects.published().filter(cycle=cycle, state=jalisco).first()
    before, _ = _request(reviewer, jalisco)
    compendium_before = data_version(COMPENDIUM, cycle)

    actions.withdraw(program, reviewer, "Duplicado.")
    after_withdraw, new = _request(reviewer, jalisco)
    assert new and after_withdraw.data_version != before.data_version
    assert data_version(COMPENDIUM, cycle) != compendium_before
    assert bytes(after_withdraw.content) != bytes(before.content)  # one program fewer

    Program.objects.filter(pk=program.pk).update(status=Program.Status.APPROVED)
    approved = data_version(FACTSHEET, cycle, jalisco)
    program.refresh_from_db()
    actions.publish(program, reviewer)
    after_publish, new = _request(reviewer, jalisco)
    assert new and after_publish.data_version != approved
    assert GeneratedDocument.objects.count() == 3
    # Another state's data did not change: its version is untouched.
    chiapas = State.objects.get(inegi_code="07")
    assert data_version(FACTSHEET, cycle, chiapas) == data_version(FACTSHEET, cycle, chiapas)


def test_practice_marks_change_the_factsheet_version(cycle, jalisco):
    from observatorio.practices.models import GoodPractice

    practice = GoodPractice.objects.filter(state=jalisco).first()
    assert practice is not None
    before = data_version(FACTSHEET, cycle, jalisco)
    GoodPractice.objects.filter(pk=practice.pk).update(title=practice.title + " (corregido)")
    assert data_version(FACTSHEET, cycle, jalisco) != before
    assert data_version(COMPENDIUM, cycle) == data_version(COMPENDIUM, cycle)


def test_a_failed_document_is_not_reused(cast, jalisco, quick, monkeypatch):
    def broken(document):
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "_build", broken)
        failed, _ = _request(cast("reviewer"), jalisco)
    assert failed.status == GeneratedDocument.Status.FAILED
    retried, new = _request(cast("reviewer"), jalisco)
    assert new and retried.status == GeneratedDocument.Status.DONE


# --- progress and failures -----------------------------------------------------------


def test_progress_is_recorded_at_the_real_steps(cast, jalisco, quick):
    document, _ = _request(cast("reviewer"), jalisco)
    # While the renderer ran, the document said so.
    assert quick == [{"progress": 30, "step": "Dibujando las gráficas y componiendo"}]
    assert document.status == GeneratedDocument.Status.DONE
    assert bytes(document.content).startswith(b"Factsheet ")


def test_a_failing_render_is_marked_failed_in_spanish(client, cast, jalisco, monkeypatch):
    def broken(document):
        raise RuntimeError("vl-convert: secret internal detail")

    monkeypatch.setattr(tasks, "_renderer", broken)
    document, _ = _request(cast("reviewer"), jalisco)
    assert document.status == GeneratedDocument.Status.FAILED
    assert document.error.startswith("No se pudo generar el documento")
    assert "vl-convert" not in document.error and not document.content
    client.force_login(cast("reviewer"))
    page = client.get(reverse("documents:status", args=[document.pk])).content.decode()
    assert document.error in page and "Traceback" not in page and "vl-convert" not in page
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_a_cycle_without_published_programs_fails_with_the_reason(cast):
    empty = ReportingCycle.objects.create(
        edition=2099,
        name="Ciclo sin programas",
        period_start=dt.date(2099, 1, 1),
        period_end=dt.date(2099, 12, 31),
    )
    document, _ = _request(cast("reviewer"), None, kind=COMPENDIUM, cycle=empty)
    assert document.status == GeneratedDocument.Status.FAILED
    assert document.error == (
        "El ciclo 2099 no tiene programas publicados: no hay compendio que generar."
    )


def test_status_page_refreshes_itself_while_queued(client, cast, cycle, jalisco):
    document = GeneratedDocument.objects.create(
        kind=FACTSHEET,
        cycle=cycle,
        state=jalisco,
        format="pdf",
        data_version="x",
        requested_by=cast("enlace_jalisco"),
        progress=30,
        step="Dibujando las gráficas y componiendo",
        status=GeneratedDocument.Status.RUNNING,
    )
    client.force_login(cast("enlace_jalisco"))
    response = client.get(reverse("documents:status", args=[document.pk]))
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert response["Refresh"] == "2"
    assert 'value="30"' in html and "Dibujando las gráficas" in html
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    # The task finishes it; the page stops refreshing.
    generate_document.call(document.pk)
    response = client.get(reverse("documents:status", args=[document.pk]))
    assert "Refresh" not in response and "Descargar" in response.content.decode()


# --- the policy and the pages ----------------------------------------------------------


def test_policy(cast, jalisco, chiapas):
    def probe(kind, state=None, by=None):
        return GeneratedDocument(kind=kind, state=state, requested_by=by)

    assert permissions.can(cast("reviewer"), "request", probe(COMPENDIUM))
    assert permissions.can(cast("reviewer"), "request", probe(FACTSHEET, chiapas))
    assert permissions.can(cast("enlace_jalisco"), "request", probe(FACTSHEET, jalisco))
    refused = permissions.can(cast("enlace_chiapas"), "request", probe(FACTSHEET, jalisco))
    assert not refused and "propia entidad" in refused.reason
    assert not permissions.can(cast("enlace_chiapas"), "request", probe(COMPENDIUM))
    for name in ("outsider", "reporter_sre", "council_chihuahua", "registry_tlaxcala"):
        assert not permissions.can(cast(name), "request", probe(FACTSHEET, jalisco)), name
    # Whoever requested a document may always see it.
    mine = probe(FACTSHEET, jalisco, by=cast("reviewer"))
    assert permissions.can(cast("reviewer"), "download", mine)
    with pytest.raises(KeyError):
        permissions.can(cast("reviewer"), "delete", mine)


def test_enlace_cannot_request_another_states_factsheet(client, cast, jalisco):
    client.force_login(cast("enlace_chiapas"))
    response = _post(client, state=jalisco)
    assert response.status_code == 403
    assert _post(client, kind=COMPENDIUM).status_code == 403
    assert not GeneratedDocument.objects.exists()
    # The form offers only their own state, and only the factsheet.
    form = client.get(reverse("documents:request")).content.decode()
    assert "Chiapas" in form and "Jalisco" not in form and 'value="compendium"' not in form


def _queued(cycle, state, by, kind=FACTSHEET):
    """A document still waiting for the worker: not public yet."""
    return GeneratedDocument.objects.create(
        kind=kind, cycle=cycle, state=state, format="pdf", data_version="x", requested_by=by
    )


def test_documents_in_progress_are_shared_only_within_the_policy(client, cast, cycle, jalisco):
    document = _queued(cycle, jalisco, cast("reviewer"))
    status = reverse("documents:status", args=[document.pk])
    download = reverse("documents:download", args=[document.pk])

    client.force_login(cast("enlace_chiapas"))
    assert client.get(status).status_code == 403
    assert client.get(download).status_code == 403

    # Jalisco's enlace may request Jalisco's factsheet, so may follow this one (not ready yet).
    client.force_login(cast("enlace_jalisco"))
    assert client.get(status).status_code == 200
    assert client.get(download).status_code == 404

    # A compendium requested by a reviewer is not an enlace's to follow.
    compendium = _queued(cycle, None, cast("reviewer"), kind=COMPENDIUM)
    assert client.get(reverse("documents:status", args=[compendium.pk])).status_code == 403


def test_a_done_document_is_public(client, cast, jalisco, quick):
    document, _ = _request(cast("reviewer"), jalisco)
    assert document.status == GeneratedDocument.Status.DONE
    download = reverse("documents:download", args=[document.pk])
    client.force_login(cast("enlace_chiapas"))
    assert client.get(download).status_code == 200
    client.logout()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(document.content)
    assert response["Cache-Control"] == "public, max-age=86400"


def test_outsider_downloads_but_is_refused_everything_else(client, cast, cycle, jalisco, quick):
    done, _ = _request(cast("reviewer"), jalisco)
    queued = _queued(cycle, jalisco, cast("reviewer"))
    client.force_login(cast("outsider"))
    page = client.get(reverse("documents:request"))
    assert page.status_code == 200
    assert 'name="kind"' not in page.content.decode()  # no form to generate
    assert reverse("documents:download", args=[done.pk]) in page.content.decode()
    assert _post(client, state=jalisco).status_code == 403
    assert _post(client, kind=COMPENDIUM).status_code == 403
    assert client.get(reverse("documents:status", args=[queued.pk])).status_code == 403
    assert client.get(reverse("documents:download", args=[queued.pk])).status_code == 403
    assert client.get(reverse("documents:download", args=[done.pk])).status_code == 200
    assert GeneratedDocument.objects.count() == 2


def test_anonymous_lists_and_downloads_but_cannot_generate(client, cycle, jalisco, quick):
    done, _ = _request(None, jalisco)
    queued = _queued(cycle, jalisco, None)
    page = client.get(reverse("documents:request"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ficha de Jalisco en PDF" in html and 'name="kind"' not in html
    assert reverse("documents:download", args=[done.pk]) in html
    assert reverse("documents:download", args=[queued.pk]) not in html

    response = client.get(reverse("documents:download", args=[done.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    # Generating stays with the UPM and enlaces: refused as it is for a non-reviewer.
    response = client.post(reverse("documents:request"), {"kind": FACTSHEET})
    assert response.status_code == 403
    assert "Inicie sesión" in response.content.decode()
    assert GeneratedDocument.objects.count() == 2

    # A document still in the works is not public: sign in to follow it.
    login = reverse("accounts:login")
    for url in (
        reverse("documents:status", args=[queued.pk]),
        reverse("documents:download", args=[queued.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url


def test_the_newest_document_of_each_kind_is_listed(client, cast, cycle, jalisco, quick):
    older, _ = _request(cast("reviewer"), jalisco)
    newer = GeneratedDocument.objects.create(
        kind=FACTSHEET,
        cycle=cycle,
        state=jalisco,
        format="pdf",
        data_version="newer",
        status=GeneratedDocument.Status.DONE,
        content=b"%PDF-newer",
        size=10,
        sha256="0" * 64,
        finished_at=older.finished_at + dt.timedelta(minutes=1),
    )
    html = client.get(reverse("documents:request")).content.decode()
    assert reverse("documents:download", args=[newer.pk]) in html
    assert reverse("documents:download", args=[older.pk]) not in html


def test_the_state_page_links_to_its_factsheet(client, cast, cycle, jalisco, quick):
    url = reverse("portal:state", args=["jalisco"])
    assert "La ficha de Jalisco aún no se ha generado." in client.get(url).content.decode()
    document, _ = _request(cast("reviewer"), jalisco)
    html = client.get(url).content.decode()
    assert reverse("documents:download", args=[document.pk]) in html
    # Another state's page does not offer Jalisco's.
    other = client.get(reverse("portal:state", args=["chiapas"])).content.decode()
    assert reverse("documents:download", args=[document.pk]) not in other


def test_the_release_page_links_to_the_compendium_of_its_cycles(client, cast, cycle, quick):
    from observatorio.publications.releases import publish_release

    compendium, _ = _request(cast("reviewer"), None, kind=COMPENDIUM)
    release = publish_release(by=cast("reviewer"))
    html = client.get(reverse("publications:release", args=[release.number])).content.decode()
    assert reverse("documents:download", args=[compendium.pk]) in html


def test_unknown_document_is_404(client, cast):
    client.force_login(cast("reviewer"))
    assert client.get(reverse("documents:status", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("username", "offered"),
    [("reviewer", True), ("enlace_jalisco", True), ("reporter_sre", False), ("outsider", False)],
)
def test_the_publications_page_offers_the_form_only_to_who_may_request_one(
    client, cast, username, offered
):
    client.force_login(cast(username))
    # The menu links to the publications, which are public, for everybody.
    body = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("documents:request")}"' in body
    page = client.get(reverse("documents:request"))
    assert page.status_code == 200
    assert ('name="kind"' in page.content.decode()) is offered
