"""Reporting cycles as UPM runs them: a new one from the last, extended, closed, published."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Program, ReportingCycle

#: Days a new cycle stays open when there is no previous cycle to copy from.
DEFAULT_OPEN_DAYS = 45
DEFAULT_DEADLINE_DAYS = 30


def _shift_year(day: dt.date | None, years: int = 1) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_cycle_defaults(today: dt.date | None = None) -> dict:
    """The fields of a new cycle, taken from the latest one: the next year, the same
    reporting period one year later, and the same open window (opening today)."""
    today = today or timezone.localdate()
    last = ReportingCycle.objects.order_by("-edition").first()
    if last is None:
        edition = today.year
        start, end = dt.date(edition - 1, 7, 1), dt.date(edition, 6, 30)
        deadline_days, open_days, contact = DEFAULT_DEADLINE_DAYS, DEFAULT_OPEN_DAYS, ""
    else:
        edition = last.edition + 1
        start, end = _shift_year(last.period_start), _shift_year(last.period_end)
        open_days = DEFAULT_OPEN_DAYS
        deadline_days = DEFAULT_DEADLINE_DAYS
        if last.opens_on and last.closes_on:
            open_days = max(1, (last.closes_on - last.opens_on).days)
        if last.opens_on and last.deadline:
            deadline_days = max(1, min(open_days, (last.deadline - last.opens_on).days))
        contact = last.contact
    return {
        "edition": edition,
        "name": _("Ciclo %(edition)s (%(start)s – %(end)s)")
        % {"edition": edition, "start": _month_year(start), "end": _month_year(end)},
        "period_start": start,
        "period_end": end,
        "opens_on": today,
        "deadline": today + dt.timedelta(days=deadline_days),
        "closes_on": today + dt.timedelta(days=open_days),
        "contact": contact,
    }


def _month_year(day: dt.date) -> str:
    return date_format(day, "F Y").lower()


def close_now(cycle: ReportingCycle) -> ReportingCycle:
    """Stop accepting reports at once: the cycle's last day becomes yesterday."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if not cycle.is_open():
        raise ValidationError(_("El ciclo «%(cycle)s» no está abierto.") % {"cycle": cycle})
    cycle.closes_on = yesterday
    if cycle.opens_on and cycle.opens_on > yesterday:
        cycle.opens_on = yesterday
    if cycle.deadline and cycle.deadline > yesterday:
        cycle.deadline = yesterday
    cycle.save(update_fields=["opens_on", "closes_on", "deadline"])
    return cycle


def publish_edition(cycle: ReportingCycle) -> ReportingCycle:
    """Make the closed cycle the edition the public sees by default (from today)."""
    if cycle.is_open():
        raise ValidationError(
            _("Cierre el ciclo antes de publicar su edición: todavía recibe reportes.")
        )
    if not cycle.programs.filter(status=Program.Status.PUBLISHED).exists():
        raise ValidationError(_("El ciclo no tiene ningún reporte publicado todavía."))
    cycle.published_on = timezone.localdate()
    cycle.save(update_fields=["published_on"])
    return cycle
