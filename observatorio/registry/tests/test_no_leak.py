"""No identity value of any registered person reaches a public output or a log line:
pages, search, the search index, CSV/JSON/XLSX downloads, the API, a release's files and
a factsheet, whatever the identity (a property over generated people)."""

from __future__ import annotations

import io
import logging
import string

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from observatorio.indicators.models import Indicator, Value
from observatorio.published.models import SearchEntry
from observatorio.registry import actions, aggregates

from .conftest import ALL_CONSENTS, ANA

LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñ"
# Every name starts with "qz", which no Spanish word does: a generated name that happens to
# be a word the pages print anyway («Publica» in «publicaciones») is not a leak.
word = st.text(LETTERS, min_size=5, max_size=10).map(lambda w: ("qz" + w).capitalize())
curp = st.tuples(
    st.text(string.ascii_uppercase, min_size=4, max_size=4),
    st.dates(
        min_value=timezone.localdate().replace(year=1950),
        max_value=timezone.localdate().replace(year=2000),
    ),
    st.sampled_from("HM"),
    st.text("BCDFGHJKLMNPQRSTVWXYZ", min_size=5, max_size=5),
    st.integers(0, 9),
).map(lambda t: f"{t[0][0]}A{t[0][2:]}{t[1]:%y%m%d}{t[2]}NE{t[3][:3]}0{t[4]}")
identities = st.fixed_dictionaries(
    {
        "given_names": word,
        "surnames": st.tuples(word, word).map(" ".join),
        "birth_date": st.dates(
            min_value=timezone.localdate().replace(year=1940),
            max_value=timezone.localdate().replace(year=2005),
        ).map(lambda d: d.isoformat()),
        "curp": curp,
        "phone": st.text("0123456789", min_size=10, max_size=10).map(lambda d: "55" + d[2:]),
    }
)

PUBLIC_PAGES = (
    "/buscar/?q={given}",
    "/buscar/?q={surname}",
    "/registro/cifras/",
    "/indicadores/personas/",
    "/indicadores/necesidad-salud/",
    "/centros/cm-tapachula-1/",
    "/api/v1/indicators/personas/",
    "/api/v1/centres/",
    "/api/v1/programs/?q={given}",
    "/datos/valores-indicadores.csv",
    "/datos/valores-indicadores.xlsx",
    "/entidades/chiapas/",
)


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row
        )
    return content.decode("utf-8", "replace")


def values_of(identity: dict) -> list[str]:
    found = [identity["given_names"], identity["curp"], identity["birth_date"]]
    found += identity["surnames"].split()
    found.append("".join(c for c in identity["phone"] if c.isdigit())[-10:])
    return found


def _publish_year(year: int) -> None:
    aggregates.publish(year)
    codes = [i.code for i, _k, _n in aggregates.indicators()]
    Value.objects.filter(indicator__code__in=codes, period=year).update(
        review=Value.Review.APPROVED
    )


@pytest.mark.django_db
@settings(
    max_examples=6,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(identities, min_size=1, max_size=3))
def test_no_public_output_nor_log_holds_an_identity(client, world, caplog, people):
    caplog.set_level(logging.DEBUG)
    year = timezone.localdate().year
    for identity in people:
        person = actions.register(
            world.desk,
            world.tapachula,
            {**ANA, **identity},
            dict(ALL_CONSENTS),
            ["salud", "albergue"],
        )
        referral = actions.refer(
            world.desk, person, "salud", service=world.health_tapachula, shared=["nombre", "curp"]
        )
        actions.update_referral(
            world.desk, referral, "atendida", f"Atendida {identity['given_names']}"
        )
        actions.find(world.desk, curp=identity["curp"], names=identity["given_names"])
    _publish_year(year)
    call_command("rebuild_search_index", verbosity=0)
    client.logout()
    index = SearchEntry.objects.values_list("tokens", "title_tokens")
    outputs = [" ".join(" ".join(pair) for pair in index)]
    for identity in people:
        for page in PUBLIC_PAGES:
            url = page.format(
                given=identity["given_names"], surname=identity["surnames"].split()[0]
            )
            answer = client.get(url)
            assert answer.status_code < 500, url
            text = _text(answer)
            if "q=" in url:  # a search page repeats what the visitor typed: not a leak
                text = text.replace(identity["given_names"], "").replace(
                    identity["surnames"].split()[0], ""
                )
            outputs.append(text)
    outputs.append(" ".join(record.getMessage() for record in caplog.records))
    published = "\n".join(outputs).lower()
    for identity in people:
        for value in values_of(identity):
            assert value.lower() not in published, value


@pytest.mark.django_db
def test_a_release_and_a_factsheet_hold_no_identity(world, open_cycle):
    from observatorio.catalog.models import State
    from observatorio.publications.factsheet import build_factsheet, factsheet_docx
    from observatorio.publications.releases import render_files

    person = actions.register(world.desk, world.tapachula, dict(ANA), dict(ALL_CONSENTS), ["salud"])
    actions.update_referral(
        world.desk,
        actions.refer(world.desk, person, "salud", service=world.health_tapachula),
        "atendida",
    )
    _publish_year(timezone.localdate().year)
    assert (
        Indicator.objects.get(code="personas").values.filter(review=Value.Review.APPROVED).exists()
    )
    texts = []
    for rendered in render_files(1):
        content = rendered.content
        if content[:2] == b"PK":
            book = load_workbook(io.BytesIO(content), read_only=True)
            texts.append(
                " ".join(str(c) for ws in book for r in ws.iter_rows(values_only=True) for c in r)
            )
        else:
            texts.append(content.decode("utf-8", "replace"))
    docx = factsheet_docx(build_factsheet(State.objects.get(inegi_code="07"), open_cycle))
    from docx import Document

    texts.append(" ".join(p.text for p in Document(io.BytesIO(docx)).paragraphs))
    joined = "\n".join(texts).lower()
    assert "personas" in joined  # the registry's counts are in the release, protected
    for value in values_of(ANA):
        assert value.lower() not in joined


@pytest.mark.django_db
def test_an_error_report_holds_no_identity(world, monkeypatch):
    """A crash while registering: the technical report (what an administrator is mailed)
    shows neither the posted identity nor the actions' variables."""
    import sys

    from django.core.signals import got_request_exception
    from django.test import Client
    from django.urls import reverse
    from django.views.debug import ExceptionReporter

    from observatorio.registry.models import Person

    def broken(self, *args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(Person, "save", broken)
    reports = []

    def report(sender, request, **kwargs):
        reports.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_html())

    got_request_exception.connect(report)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(world.desk)
        answer = client.post(
            reverse("registry:register"),
            {
                "centre": world.tapachula.pk,
                "consent_registro": "on",
                "consent_seguimiento": "on",
                **{k: v for k, v in ANA.items()},
                "needs": ["salud"],
            },
        )
    finally:
        got_request_exception.disconnect(report)
    assert answer.status_code == 500
    [text] = reports
    assert "disco lleno" in text
    for value in values_of(ANA):
        assert value.lower() not in text.lower(), value
