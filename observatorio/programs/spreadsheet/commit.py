"""Writing a valid upload: its draft reports, all of them or none, with a revision each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from observatorio.lib.objects import pick

from .. import derived, permissions
from ..models import BlockStatus, Program, ReportingCycle, ResultFigure, Revision
from ..report import TERMS
from .cells import UploadResult
from .scope import reporting_scope

#: What a valid row gives its draft as it is: the model's fields of the same names.
AS_IS = ("objective", "title", "state", "description", "results", "challenges", *TERMS)


def commit(result: UploadResult, user, cycle: ReportingCycle) -> list[Program]:
    """Create the draft reports of a valid upload, all of them or none."""
    if result.errors or not result.rows:
        raise ValueError("Only a valid upload with rows can be committed.")
    mine = reporting_scope(user)
    if mine is None:
        raise PermissionDenied(_("Su cuenta no reporta por ninguna entidad ni institución."))
    note = _("importado de hoja de cálculo")
    created = []
    with transaction.atomic():
        for row in result.rows:
            program = Program(
                cycle=cycle,
                section=mine.section,
                **pick(row, AS_IS),
                challenges_status=BlockStatus.NONE if row.no_challenges else BlockStatus.REPORTED,
                status=Program.Status.DRAFT,
                created_by=user,
                # The groups in the sheet are a person's choice (even none).
                populations_inferred=False,
                has_quantitative_results=derived.has_quantitative_results(
                    row.results, len(row.figures)
                ),
            )
            decision = permissions.can(user, "create", program)
            if not decision:
                raise PermissionDenied(decision.reason)
            program.save()
            created.append(program)
        # The relations and first revisions of every new draft, a few statements in all
        # (a row at a time, a 1,000-row sheet took tens of seconds on PostgreSQL). Drafts
        # are not on the portal, so no data version changes (search/signals.py).
        relations = (
            (Program.institutions, lambda row: [row.institution] if row.institution else []),
            (Program.secondary_objectives, lambda row: row.secondary),
            (Program.populations, lambda row: row.populations),
        )
        for descriptor, targets in relations:
            through = descriptor.through
            source = descriptor.field.m2m_field_name() + "_id"
            target = descriptor.field.m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                [
                    through(**{source: program.pk, target: item.pk})
                    for program, row in zip(created, result.rows, strict=True)
                    for item in dict.fromkeys(targets(row))
                ]
            )
        ResultFigure.objects.bulk_create(
            [
                ResultFigure(program=program, **figure)
                for program, row in zip(created, result.rows, strict=True)
                for figure in row.figures
            ]
        )
        loaded = Program.objects.filter(pk__in=[p.pk for p in created]).select_related(
            "objective", "state"
        )
        loaded = loaded.prefetch_related(
            "secondary_objectives", "institutions", "populations", "figures"
        ).in_bulk()
        author = user if getattr(user, "pk", None) else None
        Revision.objects.bulk_create(
            [
                # New drafts: each one's first revision.
                Revision(
                    program=program,
                    number=1,
                    author=author,
                    note=str(note),
                    data=Revision.snapshot(loaded[program.pk]),
                )
                for program in created
            ]
        )
    return created
