"""The access log: every read and change of the registry, written with no identity value."""

from __future__ import annotations

from .models_care import AccessLog


def note(user, action: str, what: str, *, person=None, centre=None, detail: str = "") -> None:
    AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        what=what,
        person_ref=str(person.ref) if person is not None else "",
        centre=centre or (person.centre if person is not None else None),
        detail=detail[:200],
    )
