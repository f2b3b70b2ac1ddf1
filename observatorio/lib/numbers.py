"""Numbers as the public pages print them: es-MX, whatever form the source printed.

Mexican Spanish groups thousands with commas and separates decimals with a point
(``1,212,252``; ``3,499.1``), and the site writes percentages with a space before the
sign (``13.81 %``). Sources print the same figure as ``1, 212 252``, ``9654941`` or
``13. 81%``; the value read from them is printed one way here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PERCENT_UNITS = {"%", "por ciento", "porcentaje"}


def format_number(value, places: int | None = None) -> str:
    """``1212252`` → ``1,212,252``; ``Decimal("3499.1000")`` → ``3,499.1``; None → ``""``.

    Without *places* a decimal keeps the digits it has (trailing zeros dropped);
    with them it is rounded to that many.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = f"{number:,.{places}f}"
    return "0" if text in {"-0", "-0.0"} else text


def is_percent(unit: str) -> bool:
    return (unit or "").strip().lower() in PERCENT_UNITS


def format_figure(value, unit: str = "", places: int | None = None) -> str:
    """A figure with its unit when the unit is a percentage: ``13.81 %``; else the number."""
    text = format_number(value, places)
    if text and is_percent(unit):
        return f"{text} %"
    return text
