"""Who has reported in a cycle: the completeness of each state and federal institution.

Plain functions over the ORM, used by the reviewers' dashboard, its CSV download and the
deadline reminders. ``completeness(cycle)`` answers in a fixed, small number of queries
(about eight, whatever the number of states, institutions or reports).

Who is expected to report:

- the 32 states, each with its current enlace (if any);
- the federal institutions that have a current ``reporter`` membership, or that reported a
  federal program (any status but draft) in the previous cycle.

Institutions that reported in this cycle without being expected (for instance the partner
of a joint report) are listed too, marked ``expected=False``; they do not count in the
totals. A joint federal report counts for each of its institutions.

What counts as *submitted*: a report with ``submitted_at`` set, or one that has left the
draft status (reports imported from a published compendium have no ``submitted_at``; their
submission date is unknown and they are never counted as late).

Lateness compares the deadline (a date, inclusive) with the first submission, in local time:

- ``a_tiempo``: first submission on or before the deadline (or an unknown date);
- ``tardio``: first submission after the deadline;
- ``pendiente``: nothing submitted and the deadline has not passed (or there is none);
- ``vencido``: nothing submitted and the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State

from . import permissions
from .models import Program, ReportingCycle

S = Program.Status


class Lateness:
    """Where a reporter stands against the cycle's deadline."""

    ON_TIME = "a_tiempo"
    LATE = "tardio"
    PENDING = "pendiente"
    OVERDUE = "vencido"

    LABELS = {
        ON_TIME: _("A tiempo"),
        LATE: _("Tardío"),
        PENDING: _("Pendiente, en plazo"),
        OVERDUE: _("Vencido, sin envío"),
    }
    # Gaps first: nothing sent after the deadline, nothing sent yet, sent late, on time.
    ORDER = {OVERDUE: 0, PENDING: 1, LATE: 2, ON_TIME: 3}


# The status groups shown as columns: (key, statuses, Spanish heading).
COLUMNS = (
    ("draft", (S.DRAFT,), _("Borrador")),
    ("in_review", (S.SUBMITTED, S.RESUBMITTED), _("Enviado o reenviado")),
    ("returned", (S.RETURNED,), _("Devuelto")),
    ("approved", (S.APPROVED,), _("Aprobado")),
    ("published", (S.PUBLISHED,), _("Publicado")),
    ("withdrawn", (S.WITHDRAWN,), _("Retirado")),
)
# The dashboard's tables leave withdrawn reports out (they are in the totals and the CSV).
TABLE_COLUMNS = COLUMNS[:5]


@dataclass
class Row:
    """One expected reporter (a state or a federal institution) and its reports in the cycle."""

    kind: str  # "estado" or "institucion"
    pk: int
    code: str  # INEGI code or acronym
    name: str
    contacts: list = field(default_factory=list)  # current enlaces or reporters (users)
    counts: dict[str, int] = field(default_factory=dict)  # status -> reports
    first_submitted_at: dt.datetime | None = None
    submitted: bool = False
    lateness: str = Lateness.PENDING
    expected: bool = True

    def count(self, *statuses: str) -> int:
        return sum(self.counts.get(s, 0) for s in statuses)

    @property
    def by_column(self) -> list[int]:
        """Counts in the order of ``COLUMNS``."""
        return [self.count(*statuses) for _key, statuses, _label in COLUMNS]

    @property
    def by_table_column(self) -> list[int]:
        """Counts in the order of ``TABLE_COLUMNS``."""
        return [self.count(*statuses) for _key, statuses, _label in TABLE_COLUMNS]

    @property
    def draft(self) -> int:
        return self.count(S.DRAFT)

    @property
    def in_review(self) -> int:
        return self.count(*Program.IN_REVIEW)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def is_late(self) -> bool:
        return self.lateness in (Lateness.LATE, Lateness.OVERDUE)

    @property
    def lateness_label(self) -> str:
        return str(Lateness.LABELS[self.lateness])

    @property
    def first_submitted_on(self) -> dt.date | None:
        if self.first_submitted_at is None:
            return None
        return timezone.localtime(self.first_submitted_at).date()

    @property
    def contact_names(self) -> str:
        return ", ".join(user_label(u) for u in self.contacts)


@dataclass
class Completeness:
    """The completeness of one cycle on one day."""

    cycle: ReportingCycle
    on: dt.date
    previous: ReportingCycle | None
    states: list[Row]
    institutions: list[Row]
    totals: dict[str, int]  # status -> reports in the cycle (a joint report counts once)

    @property
    def deadline_passed(self) -> bool:
        return bool(self.cycle.deadline and self.on > self.cycle.deadline)

    @property
    def days_to_deadline(self) -> int | None:
        """Days left until the deadline (0 on the day, negative once it has passed)."""
        if not self.cycle.deadline:
            return None
        return (self.cycle.deadline - self.on).days

    @property
    def expected_institutions(self) -> list[Row]:
        return [r for r in self.institutions if r.expected]

    @property
    def states_submitted(self) -> int:
        return sum(1 for r in self.states if r.submitted)

    @property
    def institutions_submitted(self) -> int:
        return sum(1 for r in self.expected_institutions if r.submitted)

    @property
    def total_reports(self) -> int:
        return sum(self.totals.values())

    @property
    def totals_by_column(self) -> list[tuple[str, str, int]]:
        """(key, Spanish heading, reports) in the order of ``COLUMNS``."""
        return [
            (key, str(label), sum(self.totals.get(s, 0) for s in statuses))
            for key, statuses, label in COLUMNS
        ]

    @property
    def rows(self) -> list[Row]:
        """States (by INEGI code), then institutions (by acronym)."""
        return self.states + self.institutions

    @property
    def missing(self) -> list[Row]:
        """Expected reporters that have submitted nothing, gaps first."""
        return gaps_first(r for r in self.rows if r.expected and not r.submitted)


def user_label(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def gaps_first(rows) -> list[Row]:
    """Sort rows so that gaps stand out: overdue, pending, late, on time; then by code."""
    return sorted(rows, key=lambda r: (Lateness.ORDER[r.lateness], r.kind, r.code))


def lateness(submitted: bool, first: dt.datetime | None, deadline, on: dt.date) -> str:
    """Where one answer stands against *deadline* on *on* (see the module docstring); the
    information requests of the coordination bodies use it too."""
    if not submitted:
        return Lateness.OVERDUE if deadline and on > deadline else Lateness.PENDING
    if deadline and first is not None and timezone.localtime(first).date() > deadline:
        return Lateness.LATE
    return Lateness.ON_TIME


def _finish(row: Row, deadline, on: dt.date) -> Row:
    row.submitted = row.first_submitted_at is not None or any(
        n for status, n in row.counts.items() if status != S.DRAFT
    )
    row.lateness = lateness(row.submitted, row.first_submitted_at, deadline, on)
    return row


def _earliest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def completeness(cycle: ReportingCycle, on: dt.date | None = None) -> Completeness:
    """Compute the completeness of *cycle* as of *on* (today by default)."""
    day = on or timezone.localdate()
    deadline = cycle.deadline
    through = Program.institutions.through

    # States: every one, with its current enlaces and its reports by status.
    states = {
        s.pk: Row(kind="estado", pk=s.pk, code=s.inegi_code, name=s.name)
        for s in State.objects.order_by("inegi_code")
    }
    for m in permissions.liaisons(day).select_related("user").order_by("user__username"):
        if m.state_id in states and m.user.is_active:
            states[m.state_id].contacts.append(m.user)
    state_counts = (
        Program.objects.filter(cycle=cycle, section=Program.Section.STATE, state__isnull=False)
        .values("state_id", "status")
        .annotate(n=Count("id"), first=Min("submitted_at"))
        .order_by()
    )
    for item in state_counts:
        row = states.get(item["state_id"])
        if row is not None:
            row.counts[item["status"]] = item["n"]
            row.first_submitted_at = _earliest(row.first_submitted_at, item["first"])

    # Institutions: current reporters, last cycle's federal reporters, and this cycle's.
    reporters: dict[int, list] = defaultdict(list)
    for m in (
        permissions.institution_reporters(day).select_related("user").order_by("user__username")
    ):
        if m.user.is_active:
            reporters[m.institution_id].append(m.user)
    previous = cycle.previous
    expected_ids = set(reporters)
    if previous is not None:
        expected_ids |= set(
            through.objects.filter(
                program__cycle=previous, program__section=Program.Section.FEDERAL
            )
            .exclude(program__status=S.DRAFT)
            .values_list("institution_id", flat=True)
            .distinct()
        )
    institution_counts = list(
        through.objects.filter(program__cycle=cycle, program__section=Program.Section.FEDERAL)
        .values("institution_id", "program__status")
        .annotate(n=Count("program_id", distinct=True), first=Min("program__submitted_at"))
        .order_by()
    )
    ids = expected_ids | {item["institution_id"] for item in institution_counts}
    institutions = {
        i.pk: Row(
            kind="institucion",
            pk=i.pk,
            code=i.acronym,
            name=i.name,
            contacts=reporters.get(i.pk, []),
            expected=i.pk in expected_ids,
        )
        for i in Institution.objects.filter(pk__in=ids).order_by("acronym")
    }
    for item in institution_counts:
        row = institutions[item["institution_id"]]
        row.counts[item["program__status"]] = item["n"]
        row.first_submitted_at = _earliest(row.first_submitted_at, item["first"])

    totals = {
        item["status"]: item["n"]
        for item in Program.objects.filter(cycle=cycle)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return Completeness(
        cycle=cycle,
        on=day,
        previous=previous,
        states=[_finish(r, deadline, day) for r in states.values()],
        institutions=[_finish(r, deadline, day) for r in institutions.values()],
        totals=totals,
    )


def waiting_for_review(cycle: ReportingCycle) -> QuerySet[Program]:
    """Reports of *cycle* sent (or sent again) to review, the longest waiting first.

    ``waiting_since`` is the last time the report entered review (from the audit trail),
    or its first submission when the trail has no entry.
    """
    return (
        Program.objects.filter(cycle=cycle, status__in=Program.IN_REVIEW)
        .select_related("objective", "state")
        .prefetch_related("institutions")
        .annotate(
            waiting_since=Coalesce(
                Max("transitions__at", filter=Q(transitions__to_status__in=Program.IN_REVIEW)),
                F("submitted_at"),
            )
        )
        .order_by(F("waiting_since").asc(nulls_last=True), "pk")
    )


def current_cycle(on: dt.date | None = None) -> ReportingCycle | None:
    """The open cycle (the latest edition if several are open), else the latest cycle."""
    return ReportingCycle.objects.open(on).first() or ReportingCycle.objects.first()
