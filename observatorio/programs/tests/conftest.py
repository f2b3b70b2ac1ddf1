import datetime as dt

import pytest
from django.utils import timezone

from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.programs.models import Program, ReportingCycle


@pytest.fixture
def open_cycle(db):
    today = timezone.localdate()
    return ReportingCycle.objects.create(
        edition=2023,
        name="Ciclo 2023 (julio 2022 – junio 2023)",
        period_start=dt.date(2022, 7, 1),
        period_end=dt.date(2023, 6, 30),
        opens_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
    )


@pytest.fixture
def make_report(open_cycle, cast):
    """Create a report of a state (INEGI code) or an institution (acronym) in the open cycle."""

    def make(*, state=None, institution=None, status=Program.Status.DRAFT, complete=True, **extra):
        section = Program.Section.STATE if state else Program.Section.FEDERAL
        values = dict(
            cycle=open_cycle,
            section=section,
            objective=GcmObjective.objects.get(number=extra.pop("objective", 7)),
            title=extra.pop("title", "Atención integral a personas migrantes"),
            state=State.objects.get(inegi_code=state) if state else None,
            status=status,
        )
        if complete:
            values.update(
                description="Brinda orientación jurídica y canaliza a servicios.",
                results="Se atendió a 1,200 personas.",
                challenges="Falta de personal.",
                start_date=dt.date(2021, 1, 1),
                permanent=True,
                execution=Program.Execution.ACTIVE,
            )
        values.update(extra)
        program = Program.objects.create(**values)
        if institution:
            program.institutions.add(Institution.objects.get(acronym=institution))
        return program

    return make
