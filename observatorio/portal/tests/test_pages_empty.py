"""The public pages before any document is imported: empty, never an error."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_pages_work_before_any_import(client, catalogs):
    for url in [
        reverse("portal:home"),
        reverse("portal:states"),
        reverse("portal:state", args=["jalisco"]),
        reverse("portal:objectives"),
        reverse("portal:objective", args=[5]),
        reverse("portal:institutions"),
        reverse("portal:institution", args=["SRE"]),
        reverse("practices:list"),
    ]:
        get(client, url)
    assert "observatorio bootstrap" in get(client, reverse("portal:home"))
    body = get(client, reverse("portal:state", args=["jalisco"]))
    assert body.count("Sin programas</span>") == 23
    assert "cubre <strong>0</strong> de 23 objetivos" in body
    assert client.get(reverse("portal:state", args=["jalisco"]) + "?ciclo=2022").status_code == 404
