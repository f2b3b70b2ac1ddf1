"""The named cast of test users, one per role and scope (used by every app's tests)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from observatorio.catalog.models import Institution, State

from .models import Membership, Role

PASSWORD = "una-Clave-de-prueba-9"  # noqa: S105 - test users only, never in a real database

# username -> (role, INEGI code of the state or None, institution acronym or None)
CAST = {
    "enlace_jalisco": (Role.LIAISON, "14", None),
    "enlace_chiapas": (Role.LIAISON, "07", None),
    "reporter_sre": (Role.REPORTER, None, "SRE"),
    "reviewer": (Role.REVIEWER, None, "UPMRIP"),
    "council_chihuahua": (Role.COUNCIL, "08", None),
    "council_academia": (Role.COUNCIL, None, None),
    "registry_tlaxcala": (Role.REGISTRY, "29", None),
    "outsider": (None, None, None),
}


def make_user(username: str):
    """Create (or return) the cast member *username* with their membership."""
    role, state_code, acronym = CAST[username]
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user
    user = user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
    if role:
        Membership.objects.create(
            user=user,
            role=role,
            state=State.objects.get(inegi_code=state_code) if state_code else None,
            institution=Institution.objects.get(acronym=acronym) if acronym else None,
        )
    return user
