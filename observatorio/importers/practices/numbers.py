"""Read numbers as the study prints them, with the footnote calls glued to them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from observatorio.lib.text import squash

_DECIMAL_SPACED = re.compile(r"(\d*)\.\s+(\d+)")
_GLUED_L = re.compile(r"(.*\d)\s?l(\d{1,3})")
_MILLIONS = re.compile(r"(\d+(?:[.,]\d+)?)\s+millones(?:\s+(\d{1,3})\s+mil(?:\s+(\d{3}))?)?")
_THOUSANDS_WORD = re.compile(r"(\d{1,3})\s+mil(?:\s+(\d{3}))?")
_GROUP_SPLIT = re.compile(r",\s*|\s+")


def parse_number(
    printed: str, *, known_footnotes: frozenset[int] | set[int] | None = None
) -> tuple[Decimal | None, int | None, list[str]]:
    """Read a number as the study prints it; return (value, glued footnote, flags).

    Handles ``3 769 020``, ``152,377``, ``1, 212 252``, ``129 mil 231``,
    ``9,8%``, ``36. 57``, ``$7 500, 000-`` and footnote calls glued to the
    value (``848l18``, ``3 31019``, ``4 591 59``). A call glued without any
    separator (``51530`` for 515 and note 30) can only be told apart with
    *known_footnotes*, the notes printed on the same page.
    """
    flags: list[str] = []
    text = squash(printed.replace("\u00a0", " "))
    text = text.lstrip("$ ").rstrip(" -%;:")
    text = re.sub(r"(?<=\d)\.$", "", text)
    if not text or not any(ch.isdigit() for ch in text):
        return None, None, ["unparseable"]
    footnote: int | None = None

    glued = _GLUED_L.fullmatch(text)
    if glued:
        text, footnote = glued.group(1).strip(), int(glued.group(2))
        flags.append("footnote_glued")

    millions = _MILLIONS.fullmatch(text)
    if millions:
        base = Decimal(millions.group(1).replace(",", "."))
        value = base * 1_000_000
        if millions.group(2):
            value += Decimal(millions.group(2)) * 1000 + Decimal(millions.group(3) or 0)
        return value, footnote, flags
    thousands = _THOUSANDS_WORD.fullmatch(text)
    if thousands:
        value = Decimal(thousands.group(1)) * 1000 + Decimal(thousands.group(2) or 0)
        return value, footnote, flags

    spaced = _DECIMAL_SPACED.fullmatch(text)
    if spaced:
        flags.append("space_in_decimal")
        return Decimal(f"{spaced.group(1) or '0'}.{spaced.group(2)}"), footnote, flags

    if re.fullmatch(r"\d+", text):
        if footnote is None and known_footnotes:
            for width in (3, 2, 1):
                head, tail = text[:-width], text[-width:]
                if head and not tail.startswith("0") and int(tail) in known_footnotes:
                    flags += ["footnote_glued", "footnote_inferred"]
                    return Decimal(head), int(tail), flags
        return Decimal(text), footnote, flags

    plain_decimal = re.fullmatch(r"(\d*)\.(\d+)", text)
    if plain_decimal:
        whole, fraction = plain_decimal.groups()
        if (
            footnote is None
            and whole
            and known_footnotes
            and not fraction.startswith("0")
            and int(fraction) in known_footnotes
        ):
            flags += ["footnote_glued", "footnote_inferred"]
            return Decimal(whole), int(fraction), flags
        return Decimal(f"{whole or '0'}.{fraction}"), footnote, flags

    decimal_comma = re.fullmatch(r"(\d+),(\d{1,2})", text)
    if decimal_comma:
        flags.append("decimal_comma")
        return Decimal(f"{decimal_comma.group(1)}.{decimal_comma.group(2)}"), footnote, flags

    fraction = ""
    tail = re.search(r"\.(\d+)$", text)
    if tail and ("," in text[: tail.start()] or " " in text[: tail.start()]):
        fraction, text = tail.group(1), text[: tail.start()]
    separators = re.findall(r",\s*|\s+", text)
    groups = _GROUP_SPLIT.split(text)
    if not all(group.isdigit() for group in groups):
        return None, footnote, [*flags, "unparseable"]
    uses_comma = any("," in sep for sep in separators)
    uses_space = any(sep.strip() == "" for sep in separators)
    if footnote is None and not fraction and len(groups) >= 2 and not uses_comma:
        last = groups[-1]
        if len(last) in (1, 2) and _valid_groups(groups[:-1]):
            footnote, groups = int(last), groups[:-1]
            flags.append("footnote_glued")
        elif len(last) in (4, 5) and _valid_groups([*groups[:-1], last[:3]]):
            footnote, groups = int(last[3:]), [*groups[:-1], last[:3]]
            flags.append("footnote_glued")
    if not _valid_groups(groups):
        return None, footnote, [*flags, "unparseable"]
    if any(sep.startswith(",") and sep != "," for sep in separators):
        flags.append("irregular_grouping")
    if uses_comma and uses_space and any(sep.strip() == "" for sep in separators):
        flags.append("mixed_separators")
    if len(groups) == 2 and separators == [","] and not fraction:
        # 152,377 could be a decimal in a text that also prints 9,8 %.
        flags.append("ambiguous_number_format")
    digits = "".join(groups) + (f".{fraction}" if fraction else "")
    try:
        return Decimal(digits), footnote, flags
    except InvalidOperation:
        return None, footnote, [*flags, "unparseable"]


def _valid_groups(groups: list[str]) -> bool:
    if not groups or not groups[0].isdigit() or not 1 <= len(groups[0]) <= 3:
        return len(groups) == 1 and groups[0].isdigit()
    return all(len(group) == 3 and group.isdigit() for group in groups[1:])


# A printed number: "129 mil 231", "3 769 020", "1, 212 252", "1,190,514", "3,499.1", "21424".
NUM_BODY = r"\d{1,3}(?:\s+mil\s+\d{3})+|\d{1,3}(?:(?:,\s?|\s)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUM = r"(?<![\d.,])(" + NUM_BODY + ")"
PCT = r"(?<![\d.,])(\d+(?:,\d{1,2}(?!\d)|\.\s?\d+)?|\.\d+)\s*%"
