"""Browser-test helper: log a cast member in through the real log-in page."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from .testing import PASSWORD


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()
