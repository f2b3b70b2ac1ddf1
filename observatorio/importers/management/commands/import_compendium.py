"""Import the compendium of programs (dry run unless --commit)."""

from observatorio.importers.base import ImportCommand
from observatorio.importers.compendium.importing import CompendiumImporter

SECTION_LABELS = {"federal": "Parte federal", "estatal": "Parte estatal"}
# What --jsonl prints of each program, in this order (then whether it has each block).
JSONL_FIELDS = (
    "section",
    "objective",
    "number",
    "title",
    "actor",
    "line",
    "end_line",
    "challenges_none",
    "results_none",
)


class Command(ImportCommand):
    importer = CompendiumImporter
    document_name, document_noun, record_name = "Compendio General", "compendio", "programa"

    def rows(self, report):
        for program in report.parse.programs:
            row = {name: getattr(program, name) for name in JSONL_FIELDS}
            row["has_results"] = program.results is not None
            row["has_challenges"] = program.challenges is not None
            yield row

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
