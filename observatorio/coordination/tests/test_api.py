"""The coordination endpoints: their fields and filters, on the real records and on the
tracker's own cases (overdue computed, filters combined, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from observatorio.coordination.models import Agreement

pytestmark = pytest.mark.django_db


def test_bodies_sessions_and_agreements_of_the_real_records(client, real_data, db):
    bodies = client.get("/api/v1/bodies/?page_size=100").json()
    assert bodies["count"] == 27
    ciaimm = client.get("/api/v1/bodies/ciaimm/").json()
    assert ciaimm["acronym"] == "CIAIMM" and ciaimm["lead_institution"] == "SRE"
    assert ciaimm["source"] == {"slug": "informe-sre-ciaimm-2024", "lines": [77, 77]}
    assert len(ciaimm["member_institutions"]) == 20
    councils = client.get("/api/v1/bodies/?kind=state_council").json()["results"]
    assert [b["key"] for b in councils] == ["bc-ceam", "chh-coespam"]
    chihuahua = client.get("/api/v1/bodies/?state=08").json()["count"]
    assert chihuahua == 6
    sessions = client.get("/api/v1/sessions/?body=ciaimm").json()["results"]
    assert [s["date"] for s in sessions] == ["2024-04-17", "2024-02-07", "2023-12-19"]
    ninth = sessions[-1]
    assert ninth["number"] == 9 and "SEDENA" in ninth["attending"] and ninth["minutes_url"] == ""
    stps = client.get("/api/v1/agreements/?institution=STPS").json()["results"]
    assert {a["body"] for a in stps} == {"ciaimm", "ciaimm-gt2"}
    assert len(stps) == 4
    done = client.get("/api/v1/agreements/?status=done").json()["results"]
    assert len(done) == 1 and done[0]["responsible"] == ["BIENESTAR", "STPS"]
    assert done[0]["progress"][0]["status_to"] == "done"
    assert client.get("/api/v1/agreements/?body=ciaimm-gt2").json()["count"] == 6


def test_overdue_is_a_status_and_a_filter(client, world):
    late = world["agreements"]["federal"]
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=5))
    rows = client.get("/api/v1/agreements/?overdue=true").json()["results"]
    assert [(r["id"], r["status"], r["overdue"]) for r in rows] == [(late.pk, "overdue", True)]
    assert client.get("/api/v1/agreements/?status=overdue").json()["count"] == 1
    assert client.get("/api/v1/agreements/?status=pending").json()["count"] == 3
    not_late = client.get("/api/v1/agreements/?overdue=false").json()["results"]
    assert late.pk not in [r["id"] for r in not_late]
    assert client.get("/api/v1/agreements/?state=14&status=pending").json()["count"] == 1
    combined = client.get("/api/v1/agreements/?institution=SRE&overdue=true&body=comision")
    assert combined.json()["count"] == 1
    text = client.get("/api/v1/agreements/?overdue=true&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["status"] == "overdue" and rows[0]["responsible"] == "SRE"


def test_the_tracker_page_and_its_csv_say_the_same(client, world):
    late = world["agreements"]["chis"]
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    page = client.get("/coordinacion/acuerdos/?vencidos=on").content.decode()
    assert "Acuerdo chis" in page and "Acuerdo jal<" not in page
    assert "/api/v1/agreements/?format=csv&amp;page_size=500&amp;overdue=true" in page
    by_institution = client.get("/coordinacion/acuerdos/?institucion=SEGOB").content.decode()
    assert "Acuerdo jal" in by_institution and "Acuerdo chis" not in by_institution
    assert "Acuerdo jal-internal" not in by_institution
    bad = client.get("/coordinacion/acuerdos/?entidad=99")
    assert bad.status_code == 200 and "Seleccione una opción válida" in bad.content.decode()


def test_the_calendar_feed_is_valid_icalendar(client, real_data, db):
    response = client.get("/coordinacion/organos/ciaimm/calendario.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 3
    assert "DTSTART;VALUE=DATE:20231219\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:9ª sesión ordinaria de CIAIMM" in unfolded
