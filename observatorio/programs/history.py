"""Readable differences between two revisions of a report."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import report
from .models import REVISION_FIELDS, BlockStatus, Program

#: The history's name of each key of a snapshot: the declared field's label.
LABELS = {field.snapshot_key: field.label for field in report.FIELDS if field.revised}


@dataclass
class Change:
    field: str
    label: str
    html: SafeString


def _as_text(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if field == "status":
        return str(Program.Status(value).label)
    if field == "execution":
        return str(Program.Execution(value).label)
    if field == "challenges_status":
        return str(BlockStatus(value).label)
    if field == "permanent":
        return str(_("Sí") if value else _("No"))
    if field == "figures":
        return "\n".join(
            f"{f['label']}: {f['value']} {f['unit']} ({f['sex']}, {f['age_group']}"
            + (f", {f['nationality']}" if f.get("nationality") else "")
            + ")"
            for f in value
        )
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _inline_diff(old: str, new: str) -> SafeString:
    """Mark words removed with <del> and added with <ins>, escaping everything else."""
    a, b = old.split(" "), new.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out).replace("\n", "<br>"))  # noqa: S308 - every part is escaped


def diff(old: dict, new: dict) -> list[Change]:
    """Return the fields that differ between two revision snapshots, in form order."""
    changes = []
    for field in REVISION_FIELDS:
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        changes.append(
            Change(
                field=field,
                label=str(LABELS[field]),
                html=_inline_diff(_as_text(field, before), _as_text(field, after)),
            )
        )
    return changes
