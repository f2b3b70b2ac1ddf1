"""The one shape of every importer: read -> parse -> resolve -> dry run -> commit.

An importer says which document it reads (``document``: the fields of its
``SourceDocument``), how to analyse the text (:meth:`Importer.analyse`: parse it
with a pure function and resolve what it names to catalogue records, never
writing) and how to write the result (:meth:`Importer.write`: create or update
records by their natural keys). :meth:`Importer.run` does the rest the same way
for every document: it reads the file safely, returns the analysis without
writing (the dry run) unless asked to commit, refuses a commit while there is
any error (unresolved names, a document that looks truncated), and writes in one
transaction that records an ``ImportRun`` and sends ``sources.signals.imported``.

:class:`ImportCommand` is the management command around an importer: a summary
or one JSON object per record, ``--commit``, and ``-v 2`` for every warning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from observatorio.lib.objects import pick
from observatorio.sources.models import ImportRun, SourceDocument
from observatorio.sources.reading import SourceReadError, read_text
from observatorio.sources.signals import imported


class ImportRefused(Exception):
    """The import cannot go ahead; ``errors`` holds Spanish messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def at_line(line: int | None, message: str) -> str:
    """Prefix a document-level message with its line (1-based), when it has one."""
    return f"línea {line}: {message}" if line else message


@dataclass(kw_only=True)
class ImportReport:
    """What an import found and, after a commit, what it did."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Whether the commit wrote anything besides the counted records (e.g. replaced rows).
    replaced: bool = False
    committed: bool = False

    @property
    def changed(self) -> bool:
        """Whether the commit created, updated or replaced anything."""
        return bool(self.created or self.updated or self.replaced)

    def count_existing(self, changed: bool) -> None:
        """Count a record that was already stored as updated or unchanged."""
        if changed:
            self.updated += 1
        else:
            self.unchanged += 1


def save_changes(instance, values: dict[str, Any]) -> bool:
    """Set the *values* that differ on *instance*, save only those, and say whether any did."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return bool(changed)


def set_related(instance, name: str, wanted: set[int], have: set[int] | None = None) -> bool:
    """Make the many-to-many *name* of *instance* hold the primary keys *wanted*.

    *have* is what it holds now, when already read (prefetched). Return whether it changed.
    """
    manager = getattr(instance, name)
    if have is None:
        have = {related.pk for related in manager.all()}
    if have == wanted:
        return False
    manager.set(wanted)
    return True


class Importer:
    """Read, analyse and (when asked) write one kind of document; see the module's docstring."""

    #: Recorded as ``ImportRun.importer``.
    name: ClassVar[str]
    #: The fields of the document's ``SourceDocument`` (slug, title, publisher, year, licence).
    document: ClassVar[dict[str, Any]]
    #: What the parser raises when the text is not this document at all.
    format_error: ClassVar[type[Exception]]

    def analyse(self, text: str) -> ImportReport:
        """Parse *text* and resolve what it names; never write."""
        raise NotImplementedError

    def write(self, report: ImportReport, source: SourceDocument) -> None:
        """Write the analysed records inside the commit's transaction and count them."""
        raise NotImplementedError

    def run(self, path: Path | str, *, commit: bool = False) -> ImportReport:
        """Analyse the document at *path*; with ``commit`` write it in one transaction.

        Raise :class:`ImportRefused` when the file cannot be read, is not this
        document, or (on a commit) has errors that writing must not paper over;
        then nothing is written.
        """
        path = Path(path)
        try:
            text = read_text(path)
            report = self.analyse(text)
        except (SourceReadError, self.format_error) as exc:
            raise ImportRefused([str(exc)]) from exc
        if not commit:
            return report
        if report.errors:
            raise ImportRefused(report.errors)
        with transaction.atomic():
            source = SourceDocument.register(path=path, text=text, **self.document)
            self.write(report, source)
            run = ImportRun.objects.create(
                document=source,
                importer=self.name,
                **pick(report, ("created", "updated", "unchanged", "warnings")),
            )
            imported.send(type(self), run=run, changed=report.changed, using=run._state.db)
        report.committed = True
        return report


class ImportCommand(BaseCommand):
    """A management command around an importer: dry run unless ``--commit``."""

    importer: ClassVar[type[Importer]]
    #: The document as the help names it: in full ("Compendio General"), in one word
    #: ("compendio"), and what ``--jsonl`` prints one object for ("programa").
    document_name: ClassVar[str]
    document_noun: ClassVar[str]
    record_name: ClassVar[str]

    @property
    def help(self) -> str:
        return (
            f"Analiza el texto del {self.document_name} y muestra lo que importaría. "
            "No escribe nada salvo con --commit."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", help=f"Texto extraído del {self.document_noun} (UTF-8).")
        parser.add_argument(
            "--commit", action="store_true", help="Escribe en la base de datos (atómico)."
        )
        parser.add_argument(
            "--jsonl", action="store_true", help=f"Imprime un objeto JSON por {self.record_name}."
        )

    def handle(self, *args, path, commit=False, jsonl=False, **options):
        verbosity = options.get("verbosity", 1)
        try:
            report = self.importer().run(path, commit=commit)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(f"ERROR: {error}")
            raise CommandError("No se importó nada.") from exc
        if jsonl:
            for row in self.rows(report):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        for line in self.summary(report):
            self.stdout.write(line)
        if commit and verbosity < 2 and report.warnings:
            self.stdout.write(
                f"{len(report.warnings)} advertencias del documento "
                "(quedan en el registro de la importación; -v 2 las muestra aquí)."
            )
        else:
            for warning in report.warnings:
                self.stdout.write(f"Advertencia: {warning}")
        for error in report.errors:
            self.stdout.write(f"ERROR: {error}")
        if commit:
            self.stdout.write(self.style.SUCCESS(self.outcome(report)))
        elif report.errors:
            raise CommandError(
                f"Simulación con {len(report.errors)} errores: --commit no escribiría nada."
            )
        else:
            self.stdout.write("Simulación: no se escribió nada. Use --commit para importar.")

    def rows(self, report: ImportReport) -> Iterable[dict[str, Any]]:
        """Return one JSON-ready object per record (``--jsonl``)."""
        raise NotImplementedError

    def summary(self, report: ImportReport) -> Iterator[str]:
        """Yield the lines that say what the document holds."""
        raise NotImplementedError

    def outcome(self, report: ImportReport) -> str:
        """Return the line that says what a commit did."""
        raise NotImplementedError
