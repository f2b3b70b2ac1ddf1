"""The first coordination records (``data/records.json``), curated by hand from the source
documents and loaded idempotently.

Every record cites its document, the first and last of its lines and an exact phrase of
one of them. Before anything is written the loader reads the bundled documents and checks
each phrase where it is cited, and resolves every institution, state and reference; one
failure refuses the whole load and nothing is written. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from observatorio.catalog.models import Institution, State
from observatorio.sources.models import SourceDocument

from .models import (
    Agreement,
    AgreementNote,
    Body,
    BodyEvent,
    BodyName,
    Member,
    ServiceCentre,
    Session,
)

RECORDS = Path(__file__).resolve().parent / "data" / "records.json"

#: The documents the records cite: key in the file -> the SourceDocument's fields.
DOCUMENTS = {
    "sre-2024": {
        "slug": "informe-sre-ciaimm-2024",
        "file": "informe-sre-ciaimm-2024.txt",
        "title": "Elementos de respuesta de la Secretaría de Relaciones Exteriores al punto de "
        "acuerdo aprobado por la Cámara de Diputados (CIAIMM, Centros Multiservicios, "
        "mesas de trabajo con la OIM)",
        "publisher": "Secretaría de Relaciones Exteriores (SRE)",
        "year": 2024,
        "licence": "Documento público del Gobierno de México, reproducido como insumo de "
        "importación con mención de la fuente.",
    },
    "study": {
        "slug": "buenas-practicas-oim-conofam",
        "file": "buenas-practicas-oim-conofam.txt",
        "title": "Buenas prácticas en política migratoria desde el ámbito local",
        "publisher": "Organización Internacional para las Migraciones (OIM) y CONOFAM",
        "year": 2022,
        "licence": "Publicación pública de la OIM, reproducida como insumo de importación con "
        "crédito a la OIM y a la CONOFAM.",
    },
    "estrategia-2019": {
        "slug": "estrategia-integral-2019",
        "file": "estrategia-integral-2019.txt",
        "title": "Estrategia Integral y Sostenible para la Protección e Integración de las "
        "personas en contextos de movilidad internacional",
        "publisher": "Unidad de Política Migratoria, Secretaría de Gobernación",
        "year": 2019,
        "licence": "Documento público del Gobierno de México, reproducido como insumo de "
        "importación con mención de la fuente.",
    },
}

SECTORS = {
    "state_agency": Member.Sector.STATE_AGENCY,
    "federal_delegation": Member.Sector.FEDERAL,
    "human_rights_commission": Member.Sector.HUMAN_RIGHTS,
    "civil_society": Member.Sector.CIVIL_SOCIETY,
    "academia": Member.Sector.ACADEMIA,
    "private_sector": Member.Sector.PRIVATE,
    "international_organisation": Member.Sector.INTERNATIONAL,
    "municipal": Member.Sector.MUNICIPAL,
}
ROLES = {
    "president": Member.Position.PRESIDENT,
    "technical_secretary": Member.Position.SECRETARY,
    "member": Member.Position.MEMBER,
    "voice_only": Member.Position.VOICE_ONLY,
}


class LoadRefused(Exception):
    """The file does not hold together; ``errors`` says where (nothing was written)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Loaded:
    counts: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def tally(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def sector_of(institution: Institution) -> str:
    """The sector a member institution sits for, from its type and order of government."""
    kind, order = institution.type, institution.order
    if kind == Institution.Type.INTERNACIONAL:
        return Member.Sector.INTERNATIONAL
    if kind == Institution.Type.ACADEMIA:
        return Member.Sector.ACADEMIA
    if kind == Institution.Type.SOCIEDAD_CIVIL:
        return Member.Sector.CIVIL_SOCIETY
    if "derechos humanos" in institution.name.casefold():
        return Member.Sector.HUMAN_RIGHTS
    if order == Institution.Order.MUNICIPAL:
        return Member.Sector.MUNICIPAL
    if order == Institution.Order.FEDERAL:
        return Member.Sector.FEDERAL
    return Member.Sector.STATE_AGENCY


class _Checker:
    """Reads the documents and checks every citation and reference of the file."""

    def __init__(self, data: dict, directory: Path):
        self.data, self.errors = data, []
        self.lines = {}
        for key, doc in DOCUMENTS.items():
            path = directory / doc["file"]
            try:
                self.lines[key] = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                self.errors.append(f"No se pudo leer {doc['file']}: {exc}")
        self.institutions = {i.acronym: i for i in Institution.objects.all()}
        self.states = {s.inegi_code: s for s in State.objects.all()}

    def cite(self, where: str, cite: dict | None) -> None:
        if not cite:
            self.errors.append(f"{where}: sin cita.")
            return
        lines = self.lines.get(cite.get("document"))
        if lines is None:
            self.errors.append(f"{where}: documento desconocido {cite.get('document')!r}.")
            return
        first, last = cite.get("lines", [0, 0])
        if not (1 <= first <= last <= len(lines)):
            self.errors.append(f"{where}: líneas {first}–{last} fuera del documento.")
            return
        quote = cite.get("quote", "")
        if not quote or not any(quote in line for line in lines[first - 1 : last]):
            self.errors.append(f"{where}: la frase citada no está en las líneas {first}–{last}.")

    def institution(self, where: str, acronym: str | None) -> None:
        if acronym and acronym not in self.institutions:
            self.errors.append(f"{where}: institución desconocida {acronym!r}.")

    def run(self) -> list[str]:
        data = self.data
        bodies = {b["key"] for b in data["bodies"]}
        sessions = {s["key"] for s in data["sessions"]}
        agreements = {a["key"] for a in data["agreements"]}
        for kind, rows in (("órgano", data["bodies"]), ("sesión", data["sessions"])):
            keys = [r["key"] for r in rows]
            for key in {k for k in keys if keys.count(k) > 1}:
                self.errors.append(f"{kind} {key}: clave repetida.")
        for body in data["bodies"]:
            where = f"órgano {body['key']}"
            self.cite(where, body.get("cite"))
            if body.get("kind") not in Body.Kind.values:
                self.errors.append(f"{where}: tipo desconocido {body.get('kind')!r}.")
            if body.get("state") and body["state"] not in self.states:
                self.errors.append(f"{where}: entidad desconocida {body['state']!r}.")
            if body.get("parent") and body["parent"] not in bodies:
                self.errors.append(f"{where}: depende de {body['parent']!r}, que no existe.")
            self.institution(where, body.get("lead_institution"))
            for acronym in body.get("member_institutions", []):
                self.institution(where, acronym)
            for member in body.get("members", []):
                self.institution(where, member.get("institution"))
                if member.get("sector") not in SECTORS or member.get("role") not in ROLES:
                    self.errors.append(f"{where}: integrante con sector o función desconocidos.")
        for session in data["sessions"]:
            where = f"sesión {session['key']}"
            self.cite(where, session.get("cite"))
            if session["body"] not in bodies:
                self.errors.append(f"{where}: órgano desconocido {session['body']!r}.")
            for acronym in [session.get("convened_by"), *session.get("attendance", [])]:
                self.institution(where, acronym)
            for other in session.get("linked_to", []):
                if other not in sessions:
                    self.errors.append(f"{where}: vinculada a {other!r}, que no existe.")
        for event in data["events"]:
            where = f"evento de {event['body']}"
            self.cite(where, event.get("cite"))
            if event["body"] not in bodies or (
                event.get("session") and event["session"] not in sessions
            ):
                self.errors.append(f"{where}: órgano o sesión desconocidos.")
        for agreement in data["agreements"]:
            where = f"acuerdo {agreement['key']}"
            self.cite(where, agreement.get("cite"))
            if agreement.get("evidence"):
                self.cite(where + " (evidencia)", agreement["evidence"].get("cite"))
            if not agreement.get("responsible"):
                self.errors.append(f"{where}: sin institución responsable.")
            for acronym in agreement.get("responsible", []):
                self.institution(where, acronym)
            if agreement["body"] not in bodies:
                self.errors.append(f"{where}: órgano desconocido.")
            if agreement.get("session") and agreement["session"] not in sessions:
                self.errors.append(f"{where}: sesión desconocida.")
            if agreement.get("status") not in Agreement.Status.values:
                self.errors.append(f"{where}: estado desconocido.")
        for centre in data["centres"]:
            where = f"centro {centre['key']}"
            self.cite(where, centre.get("cite"))
            self.institution(where, centre.get("operator"))
            if centre.get("state") not in self.states:
                self.errors.append(f"{where}: entidad desconocida.")
            for key in centre.get("agreements", []):
                if key not in agreements:
                    self.errors.append(f"{where}: acuerdo desconocido {key!r}.")
        return self.errors


def read(path: Path = RECORDS) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check(path: Path = RECORDS, directory: Path | None = None) -> tuple[dict, list[str]]:
    """Read the file and check it against the documents; write nothing."""
    data = read(path)
    return data, _Checker(data, directory or settings.SOURCE_DATA_DIR).run()


def _save(model, lookup: dict, values: dict, result: Loaded):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.tally(True, False)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    result.tally(False, bool(changed))
    return obj


def _set(relation, objects) -> None:
    wanted = {o.pk for o in objects}
    if set(relation.values_list("pk", flat=True)) != wanted:
        relation.set(objects)


def _provenance(cite: dict, documents: dict) -> dict:
    first, last = cite["lines"]
    return {"source": documents[cite["document"]], "first_line": first, "last_line": last}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@transaction.atomic
def load(path: Path = RECORDS, directory: Path | None = None) -> Loaded:
    """Check the file, then create or update every record it holds (one transaction)."""
    directory = directory or settings.SOURCE_DATA_DIR
    data, errors = check(path, directory)
    if errors:
        raise LoadRefused(errors)
    documents = {}
    for key, doc in DOCUMENTS.items():
        existing = SourceDocument.objects.filter(slug=doc["slug"]).first()
        if existing is not None and key == "study":
            documents[key] = existing  # registered by its importer, with its hash
            continue
        file = directory / doc["file"]
        fields = {k: v for k, v in doc.items() if k not in ("slug", "file")}
        documents[key] = SourceDocument.register(
            slug=doc["slug"], path=file, text=file.read_text(encoding="utf-8"), **fields
        )
    institutions = {i.acronym: i for i in Institution.objects.all()}
    states = {s.inegi_code: s for s in State.objects.all()}
    result = Loaded()

    bodies: dict[str, Body] = {}
    for row in data["bodies"]:  # parents come before their children in the file
        values = {
            "name": row["name"],
            "acronym": row.get("acronym") or "",
            "kind": row["kind"],
            "state": states.get(row.get("state")) if row.get("state") else None,
            "parent": bodies.get(row.get("parent")) if row.get("parent") else None,
            "legal_basis": row.get("legal_basis") or "",
            "installed_on": _date(row.get("installed_on")),
            "installed_year": row.get("installed_year"),
            "lead_institution": institutions.get(row.get("lead_institution") or ""),
            "lead_person": row.get("lead_person") or "",
            "description": row.get("description") or "",
            "size_note": row.get("count_note") or "",
            **_provenance(row["cite"], documents),
        }
        body = _save(Body, {"key": row["key"]}, values, result)
        bodies[row["key"]] = body
        for name in row.get("variants", []):
            if name != body.name:
                _save(
                    BodyName,
                    {"body": body, "name": name[:300]},
                    _provenance(row["cite"], documents),
                    result,
                )
        _load_members(body, row, institutions, documents, result)

    sessions: dict[str, Session] = {}
    for row in data["sessions"]:
        values = {
            "body": bodies[row["body"]],
            "date": _date(row["date"]),
            "kind": row.get("kind") or Session.Kind.ORDINARY,
            "number": row.get("number"),
            "place": row.get("place") or "",
            "videoconference": bool(row.get("videoconference")),
            "convened_by": institutions.get(row.get("convened_by") or ""),
            "presided_by": row.get("presided_by") or "",
            "agenda": "\n".join(row.get("agenda", [])),
            "description": row.get("description") or "",
            **_provenance(row["cite"], documents),
        }
        session = _save(Session, {"key": row["key"]}, values, result)
        sessions[row["key"]] = session
        _set(session.attending, [institutions[a] for a in row.get("attendance", [])])
    for row in data["sessions"]:
        linked = [sessions[k] for k in row.get("linked_to", [])]
        if linked:
            current = set(sessions[row["key"]].linked.values_list("pk", flat=True))
            missing = [s for s in linked if s.pk not in current]
            if missing:
                sessions[row["key"]].linked.add(*missing)

    for row in data["events"]:
        session = sessions.get(row.get("session") or "")
        lookup = {"body": bodies[row["body"]], "kind": row["kind"], "session": session}
        values = {
            "date": session.date if session else _date(row.get("date")),
            "note": row.get("note") or "",
            **_provenance(row["cite"], documents),
        }
        _save(BodyEvent, lookup, values, result)

    agreements: dict[str, Agreement] = {}
    for row in data["agreements"]:
        session = sessions.get(row.get("session") or "")
        body = bodies[row["body"]]
        values = {
            "body": body,
            "session": session,
            "text": row["text"],
            "agreed_on": session.date if session else None,
            "due_on": _date(row.get("due_on")),
            "status": row["status"],
            "public": bool(row.get("public", True)),
            **_provenance(row["cite"], documents),
        }
        agreement = _save(Agreement, {"key": row["key"]}, values, result)
        agreements[row["key"]] = agreement
        _set(agreement.responsible, [institutions[a] for a in row["responsible"]])
        evidence = row.get("evidence")
        if evidence:
            cite = _provenance(evidence["cite"], documents)
            _save(
                AgreementNote,
                {"agreement": agreement, "kind": AgreementNote.Kind.PROGRESS, **cite},
                {"text": evidence["text"], "status_to": row["status"], "on": _date(evidence["on"])},
                result,
            )

    for row in data["centres"]:
        values = {
            "name": row["name"],
            "kind": row["kind"],
            "state": states[row["state"]],
            "municipality": row.get("municipality") or "",
            "operator": institutions.get(row.get("operator") or ""),
            "status_text": row.get("status_text") or "",
            **_provenance(row["cite"], documents),
        }
        centre = _save(ServiceCentre, {"key": row["key"]}, values, result)
        _set(centre.agreements, [agreements[k] for k in row.get("agreements", [])])

    result.counts = {
        "bodies": len(bodies),
        "sessions": len(sessions),
        "events": len(data["events"]),
        "agreements": len(agreements),
        "centres": len(data["centres"]),
    }
    return result


def _load_members(body: Body, row: dict, institutions, documents, result: Loaded) -> None:
    cite = _provenance(row["cite"], documents)
    with_role = {m["institution"] for m in row.get("members", []) if m.get("institution")}
    for acronym in row.get("member_institutions", []):
        if acronym in with_role:
            continue
        institution = institutions[acronym]
        _save(
            Member,
            {"body": body, "institution": institution, "person": ""},
            {"sector": sector_of(institution), "role": Member.Position.MEMBER, **cite},
            result,
        )
    for member in row.get("members", []):
        institution = institutions.get(member.get("institution") or "")
        _save(
            Member,
            {"body": body, "institution": institution, "person": member["name"][:200]},
            {"sector": SECTORS[member["sector"]], "role": ROLES[member["role"]], **cite},
            result,
        )
