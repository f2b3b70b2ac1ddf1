"""The answer every permission policy gives: allowed or not, and why (in Spanish)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason) -> Decision:
    return Decision(False, str(reason))
