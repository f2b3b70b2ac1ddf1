"""Import the compendium of programs (dry run unless --commit)."""

from observatorio.importers.base import ImportCommand
from observatorio.importers.compendium_import import CompendiumImporter

SECTION_LABELS = {"federal": "Parte federal", "estatal": "Parte estatal"}


class Command(ImportCommand):
    help = (
        "Analiza el texto del Compendio General y muestra lo que importaría. "
        "No escribe nada salvo con --commit."
    )
    importer = CompendiumImporter
    path_help = "Texto extraído del compendio (UTF-8)."
    record_name = "programa"

    def rows(self, report):
        for program in report.parse.programs:
            yield {
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

    def summary(self, report):
        counts = report.counts()
        for section in ("federal", "estatal"):
            total = sum(n for (s, _), n in counts.items() if s == section)
            yield f"{SECTION_LABELS[section]}: {total} programas"
            row = [f"O{obj}:{counts.get((section, obj), 0)}" for obj in range(1, 24)]
            yield "  " + " ".join(row)
        yield f"Total: {len(report.parse.programs)} programas"

    def outcome(self, report):
        return (
            f"Importado: {report.created} nuevos, {report.updated} actualizados, "
            f"{report.unchanged} sin cambios."
        )
