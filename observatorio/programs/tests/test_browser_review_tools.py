"""The reviewer's completeness dashboard and the spreadsheet upload page, in Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_sees_who_has_reported(live_server, page, catalogs, cast, make_report):
    cast("reviewer")
    cast("enlace_chiapas")
    make_report(state="14", status=Program.Status.SUBMITTED)
    make_report(state="07")
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("completeness:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2023")
    expect(page.locator("main")).to_contain_text("Jalisco")
    expect(page.locator("main")).to_contain_text("Chiapas")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "completeness.png"), full_page=True)


def test_an_enlace_sees_the_spreadsheet_upload_page(live_server, page, catalogs, cast, open_cycle):
    cast("enlace_jalisco")
    log_in(page, live_server, "enlace_jalisco")
    page.goto(live_server.url + reverse("spreadsheet:upload") + f"?ciclo={open_cycle.edition}")
    expect(page.get_by_role("link", name="Descargue la plantilla (.xlsx)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "spreadsheet-upload.png"), full_page=True)
