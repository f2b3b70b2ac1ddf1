"""Dates as people read them in each language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def long_date(day) -> str:
    """*day* in the active language's long format: «1 de julio de 2022», «July 1, 2022».

    Spanish writes month names in lower case; Django's Mexican catalogue capitalises them.
    """
    if day is None or day == "":
        return ""
    text = date_format(day, "DATE_FORMAT")
    return text.lower() if (get_language() or "es").startswith("es") else text


def long_datetime(moment) -> str:
    """*moment* as a long date with its local time: «6 de diciembre de 2026, 08:47»."""
    if moment is None or moment == "":
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{long_date(local.date())}, {local:%H:%M}"
