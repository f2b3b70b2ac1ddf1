"""The reviewers' completeness dashboard: who has reported in a cycle, and its CSV download.

Only reviewers (UPM) and administrators see it (``permissions.can(user, "completeness")``);
anyone else signed in gets 403, anonymous visitors are sent to log in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio.lib import csvfile

from . import permissions
from .completeness import (
    COLUMNS,
    TABLE_COLUMNS,
    completeness,
    current_cycle,
    gaps_first,
    waiting_for_review,
)
from .models import ReportingCycle


def _require_reviewer(user) -> None:
    decision = permissions.can(user, "completeness")
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def dashboard(request, edition: int | None = None):
    """Totals, the 32 states, the institutions and the reports waiting for review."""
    _require_reviewer(request.user)
    if edition is None:
        cycle = current_cycle()
    else:
        cycle = get_object_or_404(ReportingCycle, edition=edition)
    if cycle is not None and request.GET.get("formato") == "csv":
        return _csv(completeness(cycle))
    context = {"cycle": cycle, "cycles": ReportingCycle.objects.all(), "columns": TABLE_COLUMNS}
    if cycle is not None:
        data = completeness(cycle)
        now = timezone.now()
        waiting = list(waiting_for_review(cycle))
        for program in waiting:
            program.waiting_days = (
                (now - program.waiting_since).days if program.waiting_since else None
            )
            program.review_url = f"/reportes/{program.pk}/"
        context.update(
            data=data,
            states=gaps_first(data.states),
            institutions=gaps_first(data.institutions),
            waiting=waiting,
        )
    return render(request, "programs/completeness.html", context)


def _csv(data) -> HttpResponse:
    """The completeness table as CSV (UTF-8 with BOM, so spreadsheets read the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="completitud-{data.cycle.edition}.csv"'
    response.write("\ufeff")
    writer = csvfile.writer(response)  # text a spreadsheet would run as a formula: '=…
    writer.writerow(
        [
            _("tipo"),
            _("clave"),
            _("nombre"),
            _("contacto vigente"),
            _("esperada"),
            *[str(label) for _key, _statuses, label in COLUMNS],
            _("total"),
            _("envió"),
            _("primer envío"),
            _("situación"),
        ]
    )
    yes, no = _("sí"), _("no")
    kinds = {"estado": _("entidad federativa"), "institucion": _("institución")}
    for row in data.rows:
        first = row.first_submitted_on
        writer.writerow(
            [
                kinds[row.kind],
                row.code,
                row.name,
                row.contact_names,
                yes if row.expected else no,
                *row.by_column,
                row.total,
                yes if row.submitted else no,
                first.isoformat() if first else "",
                row.lateness_label,
            ]
        )
    return response
