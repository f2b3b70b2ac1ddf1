"""What /publicaciones/ offers: the newest generated document of each kind, cycle, state and
format, grouped by cycle, and the factsheets a state page or a release page links to.

A document is generated again when the published data it holds change; the older ones stay
in the database (a link someone saved keeps working), but only the newest of each key is
listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import permissions
from .models import GeneratedDocument

DONE = GeneratedDocument.Status.DONE
FORMATS = [value for value, _label in GeneratedDocument.Format.choices]


@dataclass
class Entry:
    """One document in every format it was generated in (PDF first)."""

    kind: str
    state: object | None
    files: list[GeneratedDocument] = field(default_factory=list)

    @property
    def finished_at(self):
        return max(f.finished_at for f in self.files if f.finished_at)


@dataclass
class Shelf:
    """The documents of one cycle: its compendium and the factsheets of its states."""

    cycle: object
    compendium: Entry | None = None
    factsheets: list[Entry] = field(default_factory=list)


def newest(user, queryset: QuerySet[GeneratedDocument] | None = None) -> list[GeneratedDocument]:
    """The newest done document of each (kind, cycle, state, format) that *user* may see."""
    qs = GeneratedDocument.objects.all() if queryset is None else queryset
    qs = (
        permissions.visible(user, qs.filter(status=DONE))
        .select_related("cycle", "state")
        .defer("content")
        .order_by("-finished_at", "-pk")
    )
    found: dict[tuple, GeneratedDocument] = {}
    for document in qs:
        key = (document.kind, document.cycle_id, document.state_id, document.format)
        found.setdefault(key, document)
    return list(found.values())


def _entries(documents) -> list[Entry]:
    entries: dict[tuple, Entry] = {}
    for document in documents:
        key = (document.kind, document.state_id)
        entries.setdefault(key, Entry(document.kind, document.state)).files.append(document)
    for entry in entries.values():
        entry.files.sort(key=lambda f: FORMATS.index(f.format) if f.format in FORMATS else 99)
    return list(entries.values())


def shelves(user, queryset: QuerySet[GeneratedDocument] | None = None) -> list[Shelf]:
    """The documents *user* may download, by cycle (newest edition first)."""
    by_cycle: dict[int, list[GeneratedDocument]] = {}
    cycles = {}
    for document in newest(user, queryset):
        by_cycle.setdefault(document.cycle_id, []).append(document)
        cycles[document.cycle_id] = document.cycle
    result = []
    for cycle_id in sorted(by_cycle, key=lambda pk: -cycles[pk].edition):
        shelf = Shelf(cycles[cycle_id])
        for entry in _entries(by_cycle[cycle_id]):
            if entry.kind == GeneratedDocument.Kind.COMPENDIUM:
                shelf.compendium = entry
            else:
                shelf.factsheets.append(entry)
        shelf.factsheets.sort(key=lambda e: e.state.name)
        result.append(shelf)
    return result


def factsheet_of(user, state, cycle=None) -> Entry | None:
    """The newest factsheet of *state*: of *cycle* if there is one, else of the latest cycle
    that has one; None if none was generated."""
    documents = newest(
        user,
        GeneratedDocument.objects.filter(kind=GeneratedDocument.Kind.FACTSHEET, state=state),
    )
    if not documents:
        return None
    chosen = [d for d in documents if cycle is not None and d.cycle_id == cycle.pk]
    if not chosen:
        latest = max(d.cycle.edition for d in documents)
        chosen = [d for d in documents if d.cycle.edition == latest]
    return _entries(chosen)[0]
