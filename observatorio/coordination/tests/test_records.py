"""The records loaded from the documents match them: counts per body asserted on the real
files, every record cites lines that hold its phrase, and a second load changes nothing."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.conf import settings

from observatorio.coordination import loading
from observatorio.coordination.models import (
    Agreement,
    Body,
    BodyEvent,
    Member,
    ServiceCentre,
    Session,
)

pytestmark = pytest.mark.django_db


def _lines(slug: str) -> list[str]:
    name = {d["slug"]: d["file"] for d in loading.DOCUMENTS.values()}[slug]
    return (settings.SOURCE_DATA_DIR / name).read_text(encoding="utf-8").splitlines()


def test_the_seeded_records_match_the_documents(real_data, db):
    assert Body.objects.count() == 27
    federal = Counter(Body.objects.filter(state=None).values_list("kind", flat=True))
    assert federal == {"commission": 1, "working_group": 6, "working_table": 5, "observatory": 1}
    by_state = Counter(Body.objects.exclude(state=None).values_list("state__inegi_code", flat=True))
    assert by_state == {"02": 2, "08": 6, "09": 1, "10": 1, "20": 1, "24": 1, "31": 2}
    sessions = Counter(Session.objects.values_list("body__key", flat=True))
    assert sessions == {"ciaimm": 3, "ciaimm-gt2": 1, "ciaimm-gt1": 1}
    agreements = Counter(Agreement.objects.values_list("body__key", flat=True))
    assert agreements == {"ciaimm": 6, "ciaimm-gt2": 6}
    assert ServiceCentre.objects.count() == 7
    # The ninth session created the six groups and restructured the commission.
    ninth = Session.objects.get(key="ciaimm-9")
    assert ninth.number == 9 and ninth.date.isoformat() == "2023-12-19"
    assert ninth.events.filter(kind=BodyEvent.Kind.CREATED).count() == 6
    assert ninth.events.filter(kind=BodyEvent.Kind.RESTRUCTURED, body__key="ciaimm").exists()
    assert ninth.attending.count() == 20
    # The working groups are printed twice, differently: both names are kept.
    gt3 = Body.objects.get(key="ciaimm-gt3")
    assert gt3.name == "Vías de movilidad laboral"
    assert "Vías de movilidad laboral y bienestar" in gt3.names.values_list("name", flat=True)
    # The linked sessions of the two groups, one day apart.
    gt2 = Session.objects.get(key="ciaimm-gt2-2024-01-23")
    assert [s.key for s in gt2.linked.all()] == ["ciaimm-gt1-2024-01-24"]
    # The agreements name who answers for them.
    cims = Agreement.objects.get(key="ciaimm-9-cim-bienestar")
    assert {i.acronym for i in cims.responsible.all()} == {"BIENESTAR", "STPS"}
    assert cims.status == "done" and cims.notes.get().first_line == 323
    registry = Agreement.objects.get(key="gt2-2024-01-23-formato-unico")
    assert [i.acronym for i in registry.responsible.all()] == ["STPS"]
    huixtla = Agreement.objects.get(key="gt2-2024-01-23-sndif-huixtla")
    assert [i.acronym for i in huixtla.responsible.all()] == ["SNDIF"]
    assert "cm-huixtla" in huixtla.centres.values_list("key", flat=True)
    # The state councils of the study and their sub-bodies.
    coespam = Body.objects.get(key="chh-coespam")
    assert coespam.installed_year == 2018 and coespam.children.count() == 3
    assert coespam.members.filter(role=Member.Position.VOICE_ONLY).count() == 4
    ceam = Body.objects.get(key="bc-ceam")
    assert ceam.installed_on.isoformat() == "2020-10-21"
    assert ceam.children.get().kind == Body.Kind.CONSULTATIVE_COUNCIL


def test_every_record_cites_lines_that_hold_it(real_data, db):
    for model in (Body, Session, Agreement, ServiceCentre, BodyEvent):
        for record in model.objects.select_related("source"):
            lines = _lines(record.source.slug)
            assert 1 <= record.first_line <= record.last_line <= len(lines), record
    data = loading.read()
    for body in data["bodies"]:
        record = Body.objects.get(key=body["key"])
        passage = "\n".join(_lines(record.source.slug)[record.first_line - 1 : record.last_line])
        assert body["cite"]["quote"] in passage


def test_a_second_load_changes_nothing(real_data, db):
    again = loading.load()
    assert again.created == 0 and again.updated == 0 and again.unchanged > 150


def test_a_file_that_misquotes_its_source_is_refused_whole(real_data, db, tmp_path):
    data = loading.read()
    data["bodies"].append({**data["bodies"][0], "key": "nueva"})
    data["agreements"][0]["cite"]["quote"] = "una frase que el documento no tiene"
    data["agreements"][1]["responsible"] = []
    path = tmp_path / "records.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(loading.LoadRefused) as refused:
        loading.load(path)
    assert any("la frase citada no está" in e for e in refused.value.errors)
    assert any("sin institución responsable" in e for e in refused.value.errors)
    assert not Body.objects.filter(key="nueva").exists()
