"""A body's sessions as an iCalendar feed (RFC 5545), one all-day event per session."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r", "")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets; the rest continues on lines starting with a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def feed(body, sessions, base_url: str) -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Observatorio//Sesiones de coordinacion//ES",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(str(body))}",
    ]
    for session in sessions:
        url = base_url + reverse("coordination:session", args=[session.pk])
        place = _escape(session.place) if session.place else ""
        if session.videoconference:
            place = (place + "\\; " if place else "") + "Videoconferencia"
        event = [
            "BEGIN:VEVENT",
            f"UID:sesion-{session.pk}@observatorio",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{session.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{session.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(session.title)}",
            f"URL:{url}",
        ]
        if place:
            event.append(f"LOCATION:{place}")
        description = "\n".join([session.description, *session.agenda_items]).strip()
        if description:
            event.append(f"DESCRIPTION:{_escape(description)}")
        event.append("END:VEVENT")
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
