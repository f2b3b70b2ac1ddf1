"""Import the OIM–CONOFAM good-practice study: parse -> resolve -> dry run -> commit.

Resolves the states and regions the study names and writes its practices keyed by
(source, state, number) and its panorama figures; the rest of the flow is the
importers' shared skeleton (``importers/base.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from observatorio.catalog.models import Institution, PopulationGroup, Region, State
from observatorio.importers.base import Importer, ImportReport, at_line, save_changes, set_related
from observatorio.lib.objects import pick
from observatorio.lib.text import fold
from observatorio.practices.models import CRITERIA, GoodPractice, Mark, PanoramaFigure
from observatorio.sources.models import SourceDocument

from .document import parse_practices
from .records import PracticesFormatError, PracticesParse

STUDY = {
    "slug": "buenas-practicas-oim-conofam",
    "title": "Buenas prácticas en política migratoria desde el ámbito local",
    "publisher": (
        "Organización Internacional para las Migraciones (OIM) y Coordinación Nacional de "
        "Oficinas Estatales de Atención a Migrantes (CONOFAM)"
    ),
    "year": 2022,
    "licence": "Publicación pública de la OIM y la CONOFAM; se reproduce con mención de la fuente.",
}

# Words of the "dimensión de la población" field and the population group they name.
DIMENSION_GROUPS = {
    "origen": "origen",
    "transito": "transito",
    "destino": "destino",
    "retorno": "retorno",
    "refugio": "refugiadas",
    "refugiad": "refugiadas",
    "desplaza": "desplazamiento_forzado_interno",
}


@dataclass(kw_only=True)
class PracticesReport(ImportReport):
    parse: PracticesParse
    states: list[State | None]
    regions: list[Region | None]
    figures: int = 0


def _populations(dimension: str) -> list[PopulationGroup]:
    folded = fold(dimension)
    codes = {code for word, code in DIMENSION_GROUPS.items() if word in folded}
    return list(PopulationGroup.objects.filter(code__in=codes))


def _institutions(printed: str) -> list[Institution]:
    institution = Institution.resolve(printed)
    return [institution] if institution else []


def _practice_values(practice, state, region, source) -> dict:
    values = {
        "region": region,
        "title": practice.title,
        "coordinating_institution": practice.institution,
        "dimension": practice.dimension,
        "target_population": practice.target_population,
        "description": practice.description,
        "justification_text": practice.justification_text,
        "justifications_separated": practice.justifications_separated,
        "marks_from": GoodPractice.MarksFrom.SOURCE,
        "source_first_line": practice.line,
        "source_last_line": practice.end_line,
        "import_warnings": list(practice.warnings),
    }
    for key in CRITERIA:
        values[f"{key}_mark"] = Mark.from_bool(practice.criteria.get(key))
        values[f"{key}_justification"] = practice.justifications.get(key) or ""
    return values


def _resolve_figure_scope(figure, regions) -> tuple[State | None, Region | None]:
    if figure.scope_kind == PanoramaFigure.ScopeKind.STATE:
        return State.resolve(figure.scope), None
    if figure.scope_kind == PanoramaFigure.ScopeKind.REGION:
        return None, regions.get(fold(figure.scope.replace("Región", "").strip()))
    return None, None


def _study_regions() -> dict[str, Region]:
    return {fold(r.name): r for r in Region.objects.filter(scheme=Region.Scheme.STUDY)}


class PracticesImporter(Importer):
    """The OIM–CONOFAM study: its good practices and the figures of its panoramas."""

    name = "practices"
    document = STUDY
    format_error = PracticesFormatError

    def analyse(self, text: str) -> PracticesReport:
        """Parse the study and resolve states and regions; never writes."""
        parse = parse_practices(text)
        regions = _study_regions()
        report = PracticesReport(parse=parse, states=[], regions=[])
        for practice in parse.practices:
            state = State.resolve(practice.state)
            region = regions.get(fold(practice.region))
            report.states.append(state)
            report.regions.append(region)
            where = f"línea {practice.line} ({practice.state} {practice.number})"
            if state is None:
                report.errors.append(f"{where}: «{practice.state}» no es una entidad federativa.")
            if region is None:
                report.errors.append(
                    f"{where}: la región «{practice.region}» no está en el catálogo."
                )
            for warning in practice.warnings:
                report.warnings.append(f"{where}: {warning}")
        report.warnings.extend(at_line(line, message) for line, message in parse.warnings)
        report.errors.extend(at_line(line, message) for line, message in parse.incomplete)
        return report

    def write(self, report: PracticesReport, source: SourceDocument) -> None:
        """Create or update the practices by (source, state, number); replace changed figures."""
        existing = {
            (p.state_id, p.number): p
            for p in GoodPractice.objects.filter(source=source).prefetch_related(
                "institutions", "populations"
            )
        }
        for practice, state, region in zip(
            report.parse.practices, report.states, report.regions, strict=True
        ):
            values = _practice_values(practice, state, region, source)
            institutions = {i.pk for i in _institutions(practice.institution)}
            populations = {p.pk for p in _populations(practice.dimension)}
            current = existing.pop((state.pk, practice.number), None)
            if current is None:
                current = GoodPractice.objects.create(
                    source=source, state=state, number=practice.number, **values
                )
                current.institutions.set(institutions)
                current.populations.set(populations)
                report.created += 1
                continue
            changed = save_changes(current, values)
            changed |= set_related(current, "institutions", institutions)
            changed |= set_related(current, "populations", populations)
            report.count_existing(changed)
        for (_state, number), stale in existing.items():
            report.warnings.append(
                f"La práctica {stale.state} {number} está en la base de datos pero no en el "
                "documento; no se borró."
            )

        # Panorama figures have no natural key beyond their content: when the
        # content differs, replace them wholesale; otherwise leave them alone.
        regions = _study_regions()
        rows = []
        for figure in report.parse.figures:
            state, region = _resolve_figure_scope(figure, regions)
            rows.append(
                PanoramaFigure(
                    source=source,
                    source_line=figure.line,
                    scope_kind=figure.scope_kind,
                    scope_as_printed=figure.scope,
                    state=state,
                    region=region,
                    **pick(figure, PanoramaFigure.AS_PRINTED),
                    flags=list(figure.flags),
                )
            )
        stored = PanoramaFigure.objects.filter(source=source)
        if Counter(f.signature() for f in stored) != Counter(f.signature() for f in rows):
            stored.delete()
            PanoramaFigure.objects.bulk_create(rows)
            report.replaced = True
        report.figures = len(rows)


def import_practices(path: Path | str, *, commit: bool = False) -> PracticesReport:
    """Analyse the study at *path*; with ``commit`` write it in one transaction."""
    return PracticesImporter().run(path, commit=commit)
