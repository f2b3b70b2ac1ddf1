"""The answer every permission policy gives: allowed or not, and why (in Spanish).

A refusal says whether it is about *who asks* (their role or scope: 403 in the API) or
about *the object's state* (a report that is no longer editable, a cycle that is closed:
``conflict``, 409 in the API). Both read the same to the person, in their reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    #: Refused because of the object's current state, not because of who asks.
    conflict: bool = False

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason, *, conflict: bool = False) -> Decision:
    return Decision(False, str(reason), conflict)


def only(scope, roles, reason) -> Decision:
    """ALLOW when *scope* (an ``accounts.Scope``) holds one of *roles*, else deny with *reason*:
    the rule of an action that belongs to some roles whatever the object."""
    return ALLOW if scope.has(*roles) else deny(reason)


def require(decision: Decision) -> None:
    """Raise ``PermissionDenied`` (a 403 with the reason) when *decision* refuses, unless the
    refusal is a conflict (a state that does not allow it: the caller answers with it)."""
    if not decision and not decision.conflict:
        raise PermissionDenied(decision.reason)
