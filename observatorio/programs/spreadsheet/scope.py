"""Who uploads: the part a user reports in, their states or institutions, and the policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from observatorio.catalog.models import Institution, State
from observatorio.lib.policy import Decision, deny

from .. import permissions
from ..models import Program, ReportingCycle


@dataclass(frozen=True)
class ReportingScope:
    """The part a user reports in and the states or institutions they speak for."""

    section: str
    states: tuple[State, ...] = ()
    institutions: tuple[Institution, ...] = ()

    @property
    def owner_key(self) -> str:
        return "state" if self.section == Program.Section.STATE else "institutions"

    @property
    def default_owner(self) -> State | Institution | None:
        owners = self.states or self.institutions
        return owners[0] if len(owners) == 1 else None

    def owner_label(self, owner) -> str:
        return owner.name if isinstance(owner, State) else owner.acronym


def reporting_scope(user) -> ReportingScope | None:
    """An enlace reports their state's programs; a reporter their institution's (as the form)."""
    states, institutions = permissions.reports_for(user)
    if states:
        return ReportingScope(
            Program.Section.STATE, states=tuple(State.objects.filter(pk__in=states))
        )
    if institutions:
        return ReportingScope(
            Program.Section.FEDERAL,
            institutions=tuple(Institution.objects.filter(pk__in=institutions)),
        )
    return None


def may_upload(user, cycle: ReportingCycle) -> Decision:
    """Whether *user* may create reports in *cycle* at all (asks the policy with a probe)."""
    if not getattr(user, "is_authenticated", False):
        return deny(_("Inicie sesión para continuar."))
    mine = reporting_scope(user)
    if mine is None:
        return deny(_("Su cuenta no reporta por ninguna entidad ni institución."))
    probe = Program(cycle=cycle, section=mine.section)
    if mine.states:
        probe.state = mine.states[0]
    return permissions.can(user, "create", probe)
