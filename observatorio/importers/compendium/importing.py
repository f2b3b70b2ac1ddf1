"""Import the compendium into the database: parse -> resolve -> dry run -> commit.

The parser (this package) knows nothing of the database. This module resolves
every printed actor to catalogue institutions or a state and writes programs
keyed by (cycle, part, objective, number); reading, the dry run, the refusals
and the transaction are the importers' shared skeleton (``importers/base.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State
from observatorio.importers.base import Importer, ImportReport, at_line, save_changes, set_related
from observatorio.programs import derived
from observatorio.programs.models import BlockStatus, Program, ReportingCycle
from observatorio.sources.models import SourceDocument

from .document import parse_compendium
from .records import CompendiumFormatError, CompendiumParse, ParsedProgram

COMPENDIUM_2022 = {
    "slug": "compendio-general-2022",
    "title": "Compendio General 2022",
    "publisher": (
        "Coordinación de Política Migratoria, Unidad de Política Migratoria, Registro e "
        "Identidad de Personas, Secretaría de Gobernación"
    ),
    "year": 2022,
    "licence": (
        "Se permite la reproducción total o parcial sin fines comerciales del presente "
        "documento con la debida mención de la fuente."
    ),
}
CYCLE_2022 = {
    "edition": 2022,
    "name": "Compendio General 2022 (junio 2021 – junio 2022)",
    "period_start": dt.date(2021, 6, 1),
    "period_end": dt.date(2022, 6, 30),
    "published_on": dt.date(2022, 10, 5),
}

_JOINT_SEPARATORS = re.compile(r"(\s*[-–/,]\s*|\s+y\s+)")


@dataclass
class Resolution:
    institutions: list[Institution]
    state: State | None
    problem: str = ""


@dataclass(kw_only=True)
class CompendiumReport(ImportReport):
    parse: CompendiumParse
    resolutions: list[Resolution]

    def counts(self) -> Counter:
        return Counter((p.section, p.objective) for p in self.parse.programs)


def _split_joint(actor: str) -> list[Institution] | None:
    """Split a joint actor into institutions, preferring the longest printed names.

    ``UPMRIP-SEGOB-SRE`` is UPMRIP (printed ``UPMRIP-SEGOB``) and SRE, not
    three bodies: at each position the longest run of parts that names one
    institution wins.
    """
    pieces = _JOINT_SEPARATORS.split(actor)
    words, separators = pieces[0::2], pieces[1::2]
    found: list[Institution] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            candidate = words[i]
            for k in range(i + 1, j):
                candidate += separators[k - 1] + words[k]
            institution = Institution.resolve(candidate) if candidate.strip() else None
            if institution is not None:
                found.append(institution)
                i = j
                break
        else:
            return None
    return list(dict.fromkeys(found)) if len(found) > 1 else None


def resolve_actor(actor: str) -> Resolution:
    """Resolve an actor as printed to institutions and/or a state."""
    state = State.resolve(actor)
    if state is not None:
        return Resolution([], state)
    institution = Institution.resolve(actor)
    if institution is not None:
        return Resolution([institution], institution.state)
    joint = _split_joint(actor)
    if joint:
        states = {i.state_id for i in joint if i.state_id}
        return Resolution(joint, joint[0].state if len(states) == 1 else None)
    return Resolution(
        [], None, f"el actor «{actor}» no corresponde a ninguna institución ni entidad"
    )


def _through(descriptor, program_id: int, related_ids) -> list:
    """Rows of a program's many-to-many table (what ``.set()`` writes for a new program)."""
    through = descriptor.through
    program_column = descriptor.field.m2m_field_name() + "_id"
    related_column = descriptor.field.m2m_reverse_field_name() + "_id"
    return [
        through(**{program_column: program_id, related_column: related_id})
        for related_id in sorted(related_ids)
    ]


def _status(text: str | None, none_reported: bool) -> tuple[str, str]:
    if none_reported:
        return text or "", BlockStatus.NONE
    if text is None:
        return "", BlockStatus.MISSING
    return text, BlockStatus.REPORTED


def _values(program: ParsedProgram, resolution: Resolution, objective: GcmObjective, source):
    results, results_status = _status(program.results, program.results_none)
    challenges, challenges_status = _status(program.challenges, program.challenges_none)
    return {
        "title": program.title,
        "actor": program.actor,
        "state": resolution.state,
        "description": program.description,
        "results": results,
        "results_status": results_status,
        "challenges": challenges,
        "challenges_status": challenges_status,
        "source": source,
        "source_first_line": program.line,
        "source_last_line": program.end_line,
        "import_warnings": list(program.warnings),
        # The compendium is what was approved and published for its cycle.
        "status": Program.Status.PUBLISHED,
    }


class CompendiumImporter(Importer):
    """The 2022 compendium: programs of its reporting cycle, published."""

    name = "compendium"
    document = COMPENDIUM_2022
    format_error = CompendiumFormatError

    def analyse(self, text: str) -> CompendiumReport:
        """Parse *text* and resolve every actor; never writes."""
        state_names = [
            alias for alias in State.objects.values_list("aliases__text", flat=True) if alias
        ]
        parse = parse_compendium(text, state_names=state_names)
        report = CompendiumReport(parse=parse, resolutions=[])
        objectives = set(GcmObjective.objects.values_list("number", flat=True))
        resolved: dict[str, Resolution] = {}  # actors repeat (states, SRE, INM…): ask once each
        for program in parse.programs:
            resolution = resolved.get(program.actor)
            if resolution is None:
                resolution = resolved[program.actor] = resolve_actor(program.actor)
            report.resolutions.append(resolution)
            where = f"línea {program.line} ({program.section} {program.objective}.{program.number})"
            if resolution.problem:
                report.errors.append(f"{where}: {resolution.problem}.")
            elif program.section == Program.Section.STATE and resolution.state is None:
                report.errors.append(f"{where}: programa estatal sin entidad federativa.")
            elif program.section == Program.Section.FEDERAL and not resolution.institutions:
                report.errors.append(f"{where}: programa federal sin institución.")
            if program.objective not in objectives:
                report.errors.append(
                    f"{where}: el objetivo {program.objective} no está en el catálogo."
                )
            for warning in program.warnings:
                report.warnings.append(f"{where}: {warning}")
        # The parser's document warnings are signs of a truncated or misread compendium.
        report.errors.extend(at_line(line, message) for line, message in parse.warnings)
        return report

    def write(self, report: CompendiumReport, source: SourceDocument) -> None:
        """Create or update the cycle's programs; new programs' relations in bulk."""
        cycle, _ = ReportingCycle.objects.get_or_create(
            edition=CYCLE_2022["edition"],
            defaults={k: v for k, v in CYCLE_2022.items() if k != "edition"},
        )
        objectives = {o.number: o for o in GcmObjective.objects.all()}
        groups = derived.catalogue_keywords()
        group_ids = dict(PopulationGroup.objects.values_list("code", "pk"))
        existing = {
            (p.section, p.objective_id, p.number): p
            for p in Program.objects.filter(cycle=cycle)
            .annotate(figure_count=Count("figures"))
            .prefetch_related("institutions", "populations")
        }
        # New programs' institutions and groups, written in two statements at the end
        # (bulk_create sends no m2m_changed signal: the commit's ``imported`` signal covers it).
        through_institutions, through_populations = [], []
        for program, resolution in zip(report.parse.programs, report.resolutions, strict=True):
            objective = objectives[program.objective]
            values = _values(program, resolution, objective, source)
            wanted_institutions = {i.pk for i in resolution.institutions}
            # The compendium does not tag population groups: infer them from the text.
            inferred = {
                group_ids[code]
                for code in derived.tag_populations(
                    derived.population_text(program.title, program.description), groups
                )
            }
            key = (program.section, objective.pk, program.number)
            current = existing.pop(key, None)
            if current is None:
                current = Program.objects.create(
                    cycle=cycle,
                    section=program.section,
                    objective=objective,
                    number=program.number,
                    has_quantitative_results=derived.has_quantitative_results(values["results"], 0),
                    populations_inferred=True,
                    **values,
                )
                through_institutions.extend(
                    _through(Program.institutions, current.pk, wanted_institutions)
                )
                through_populations.extend(_through(Program.populations, current.pk, inferred))
                report.created += 1
                continue
            values["has_quantitative_results"] = derived.has_quantitative_results(
                values["results"], current.figure_count
            )
            have_populations = {g.pk for g in current.populations.all()}
            # Groups a person chose are kept; inferred ones (or none yet) follow the text.
            person_chose = not current.populations_inferred and bool(have_populations)
            if not person_chose:
                values["populations_inferred"] = True
            changed = save_changes(current, values)
            have_institutions = {i.pk for i in current.institutions.all()}
            changed |= set_related(current, "institutions", wanted_institutions, have_institutions)
            if not person_chose:
                changed |= set_related(current, "populations", inferred, have_populations)
            report.count_existing(changed)
        for descriptor, rows in (
            (Program.institutions, through_institutions),
            (Program.populations, through_populations),
        ):
            descriptor.through.objects.bulk_create(rows, batch_size=1000)
        for (section, _obj, number), stale in existing.items():
            report.warnings.append(
                f"El programa {stale.objective.number}.{number} ({section}) está en la base "
                "de datos pero no en el documento; no se borró."
            )


def import_compendium(path: Path | str, *, commit: bool = False) -> CompendiumReport:
    """Analyse the compendium at *path*; with ``commit`` write it in one transaction.

    Raises ImportRefused when the file cannot be read, is not a compendium, or
    has problems that a commit must not paper over (unresolved actors, a
    truncated document); in that case nothing is written.
    """
    return CompendiumImporter().run(path, commit=commit)
