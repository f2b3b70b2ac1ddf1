"""Import the OIM–CONOFAM good-practice study (dry run unless --commit)."""

from collections import Counter

from observatorio.importers.base import ImportCommand
from observatorio.importers.practices.importing import PracticesImporter
from observatorio.practices.models import CRITERIA, Mark, qualification


def _qualification(practice):
    return qualification([Mark.from_bool(practice.criteria[key]) for key in CRITERIA])


class Command(ImportCommand):
    importer = PracticesImporter
    document_name = "estudio de buenas prácticas OIM–CONOFAM"
    document_noun, record_name = "estudio", "práctica"

    def rows(self, report):
        for practice in report.parse.practices:
            yield {
                "state": practice.state,
                "region": practice.region,
                "number": practice.number,
                "title": practice.title,
                "criteria": {key: practice.criteria[key] for key in CRITERIA},
                "qualification": _qualification(practice).value,
                "justifications_separated": practice.justifications_separated,
                "line": practice.line,
                "end_line": practice.end_line,
            }

    def summary(self, report):
        practices = report.parse.practices
        by_state = Counter(p.state for p in practices)
        yield f"Prácticas: {len(practices)} en {len(by_state)} entidades"
        for state, count in by_state.items():
            yield f"  {state}: {count}"
        for label, count in Counter(_qualification(p).label for p in practices).items():
            yield f"  {label}: {count}"
        flagged = sum(1 for f in report.parse.figures if f.flags)
        yield f"Cifras de panorama: {len(report.parse.figures)} ({flagged} con alertas)"

    def outcome(self, report):
        return (
            f"Importado: {report.created} nuevas, {report.updated} actualizadas, "
            f"{report.unchanged} sin cambios; {report.figures} cifras de panorama."
        )
