"""Import the OIM–CONOFAM good-practice study (dry run unless --commit)."""

import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from observatorio.importers.practices_import import PracticesImportRefused, import_practices
from observatorio.practices.models import CRITERIA, Mark, qualification


class Command(BaseCommand):
    help = (
        "Analiza el texto del estudio de buenas prácticas OIM–CONOFAM y muestra lo que "
        "importaría. No escribe nada salvo con --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Texto extraído del estudio (UTF-8).")
        parser.add_argument(
            "--commit", action="store_true", help="Escribe en la base de datos (atómico)."
        )
        parser.add_argument(
            "--jsonl", action="store_true", help="Imprime un objeto JSON por práctica."
        )

    def handle(self, *args, path, commit=False, jsonl=False, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            report = import_practices(path, commit=commit)
        except PracticesImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(f"ERROR: {error}")
            raise CommandError("No se importó nada.") from exc
        if jsonl:
            for practice in report.parse.practices:
                marks = [Mark.from_bool(practice.criteria[key]) for key in CRITERIA]
                row = {
                    "state": practice.state,
                    "region": practice.region,
                    "number": practice.number,
                    "title": practice.title,
                    "criteria": {key: practice.criteria[key] for key in CRITERIA},
                    "qualification": qualification(marks).value,
                    "justifications_separated": practice.justifications_separated,
                    "line": practice.line,
                    "end_line": practice.end_line,
                }
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        practices = report.parse.practices
        by_state = Counter(p.state for p in practices)
        self.stdout.write(f"Prácticas: {len(practices)} en {len(by_state)} entidades")
        for state, count in by_state.items():
            self.stdout.write(f"  {state}: {count}")
        verdicts = Counter(
            qualification([Mark.from_bool(p.criteria[k]) for k in CRITERIA]).label
            for p in practices
        )
        for label, count in verdicts.items():
            self.stdout.write(f"  {label}: {count}")
        flagged = sum(1 for f in report.parse.figures if f.flags)
        self.stdout.write(
            f"Cifras de panorama: {len(report.parse.figures)} ({flagged} con alertas)"
        )
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
                    f"Importado: {report.created} nuevas, {report.updated} actualizadas, "
                    f"{report.unchanged} sin cambios; {report.figures} cifras de panorama."
                )
            )
        elif report.errors:
            raise CommandError(
                f"Simulación con {len(report.errors)} errores: --commit no escribiría nada."
            )
        else:
            self.stdout.write("Simulación: no se escribió nada. Use --commit para importar.")
