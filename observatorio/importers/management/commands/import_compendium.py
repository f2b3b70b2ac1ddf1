"""Import the compendium of programs (dry run unless --commit)."""

import json

from django.core.management.base import BaseCommand, CommandError

from observatorio.importers.compendium_import import ImportRefused, import_compendium

SECTION_LABELS = {"federal": "Parte federal", "estatal": "Parte estatal"}


class Command(BaseCommand):
    help = (
        "Analiza el texto del Compendio General y muestra lo que importaría. "
        "No escribe nada salvo con --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Texto extraído del compendio (UTF-8).")
        parser.add_argument(
            "--commit", action="store_true", help="Escribe en la base de datos (atómico)."
        )
        parser.add_argument(
            "--jsonl", action="store_true", help="Imprime un objeto JSON por programa."
        )

    def handle(self, *args, path, commit=False, jsonl=False, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            report = import_compendium(path, commit=commit)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(f"ERROR: {error}")
            raise CommandError("No se importó nada.") from exc
        if jsonl:
            for program in report.parse.programs:
                row = {
                    "section": program.section,
                    "objective": program.objective,
                    "number": program.number,
                    "title": program.title,
                    "actor": program.actor,
                    "line": program.line,
                    "end_line": program.end_line,
                    "challenges_none": program.challenges_none,
                    "results_none": program.results_none,
                    "has_results": program.results is not None,
                    "has_challenges": program.challenges is not None,
                }
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        self._summary(report, commit)

    def _summary(self, report, commit):
        counts = report.counts()
        for section in ("federal", "estatal"):
            total = sum(n for (s, _), n in counts.items() if s == section)
            self.stdout.write(f"{SECTION_LABELS[section]}: {total} programas")
            row = [f"O{obj}:{counts.get((section, obj), 0)}" for obj in range(1, 24)]
            self.stdout.write("  " + " ".join(row))
        self.stdout.write(f"Total: {len(report.parse.programs)} programas")
        if commit and self.verbosity < 2 and report.warnings:
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
            self.stdout.write(
                self.style.SUCCESS(
                    f"Importado: {report.created} nuevos, {report.updated} actualizados, "
                    f"{report.unchanged} sin cambios."
                )
            )
        elif report.errors:
            raise CommandError(
                f"Simulación con {len(report.errors)} errores: --commit no escribiría nada."
            )
        else:
            self.stdout.write("Simulación: no se escribió nada. Use --commit para importar.")
