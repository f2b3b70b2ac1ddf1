"""What a person sees, in Debian's chromium: the home page and the admin."""

from __future__ import annotations

import operator
import re
from functools import reduce
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(catalogs, compendium_path):
    import_compendium(compendium_path, commit=True)


def test_a_visitor_sees_the_2022_cycle_on_the_home_page(live_server, page, imported):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "es-MX"
    assert (
        page.get_by_role("heading", level=2).first.inner_text().startswith("Compendio General 2022")
    )
    table = page.get_by_role("table")  # the heatmap: 32 states × 23 objectives
    assert table.locator("tbody tr").count() == 32
    assert table.locator("thead th").count() == 1 + 23 + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)


def test_an_administrator_logs_in_and_finds_the_imported_programs(live_server, page, imported):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "x-Clave-larga-1")
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Nombre de usuario").fill("admin")
    page.get_by_label("Contraseña").fill("x-Clave-larga-1")
    page.locator("#login-form [type=submit]").click()
    page.get_by_role("link", name="Programas y acciones").first.click()
    expect(page.locator("p.paginator")).to_contain_text("346 programas y acciones")
    page.locator("#searchbar").fill("trata")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=trata"))
    fields = ["title", "actor", "description", "results", "challenges"]
    matches = Program.objects.filter(
        reduce(operator.or_, [Q(**{f"{field}__icontains": "trata"}) for field in fields])
    ).count()
    assert 0 < matches < 346
    expect(page.locator("p.paginator")).to_contain_text(f"{matches} programas y acciones")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-programs.png"), full_page=False)


#: Collects the Content-Security-Policy violations of every document the page loads (the
#: listener is added by the browser itself, which the policy does not restrict).
CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""


def test_the_site_and_the_admin_run_under_the_content_security_policy(live_server, page, imported):
    """Pages, the admin's log-in, lists, forms, calendar and filter widgets: no violation."""
    violations = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def visit(url: str) -> None:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        violations.extend(page.evaluate("window.__violations"))

    for url in ["/", "/cobertura/", "/buscar/?q=ninas", "/entidades/jalisco/", "/api/docs/"]:
        visit(url)
    # The heatmap's colours survive the policy (classes, not style attributes).
    cell = page.locator("table.heatmap td.cell").first
    page.goto(live_server.url + "/")
    assert cell.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"

    get_user_model().objects.create_superuser("admin", "admin@example.org", "x-Clave-larga-1")
    visit("/admin/")
    page.get_by_label("Nombre de usuario").fill("admin")
    page.get_by_label("Contraseña").fill("x-Clave-larga-1")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#content h1")).to_be_visible()
    violations.extend(page.evaluate("window.__violations"))
    program = Program.objects.order_by("pk").first()
    for url in [
        "/admin/",
        "/admin/programs/program/",
        "/admin/programs/program/?q=trata",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/reportingcycle/add/",
        "/admin/auth/user/add/",
        "/admin/auth/user/1/change/",
        "/admin/auth/group/add/",
    ]:
        visit(url)
    # The JavaScript widgets build their parts in the page: the calendar and the filter.
    visit("/admin/programs/reportingcycle/add/")
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    visit(f"/admin/programs/program/{program.pk}/change/")
    expect(page.locator(".selector-filter input").first).to_be_visible()
    violations.extend(page.evaluate("window.__violations"))
    assert violations == []
