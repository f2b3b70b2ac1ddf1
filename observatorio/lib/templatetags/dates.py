"""``{{ day|long_date }}`` and ``{{ moment|long_datetime }}`` (see observatorio/lib/dates.py)."""

from django import template

from observatorio.lib import dates

register = template.Library()
register.filter("long_date", dates.long_date)
register.filter("long_datetime", dates.long_datetime)
