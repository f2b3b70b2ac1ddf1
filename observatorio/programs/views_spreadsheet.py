"""Download the report template as a spreadsheet and upload a filled one (thin views).

The reading, validation and writing live in ``spreadsheet/``; these views only find the
cycle, ask whether the user may report in it, and show the result.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import spreadsheet
from .models import ReportingCycle

MAX_ERRORS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # spreadsheet.read_upload says why an empty file is refused
        label=gettext_lazy("Archivo .xlsx"),
        help_text=gettext_lazy("La plantilla llenada, hasta 5 MB y 1000 reportes."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + spreadsheet.XLSX_CONTENT_TYPE}),
    )


def _cycle(request) -> ReportingCycle:
    """The cycle named by ``?ciclo=<edition>``, or the open one when none is named."""
    edition = request.GET.get("ciclo", "").strip()
    if edition:
        if not edition.isdigit():
            raise Http404(_("No existe ese ciclo de reporte."))
        cycle = ReportingCycle.objects.filter(edition=int(edition)).first()
    else:
        cycle = ReportingCycle.objects.open().order_by("-edition").first()
    if cycle is None:
        raise Http404(_("No existe ese ciclo de reporte."))
    return cycle


def _allowed_cycle(request) -> ReportingCycle:
    cycle = _cycle(request)
    decision = spreadsheet.may_upload(request.user, cycle)
    if not decision:
        raise PermissionDenied(decision.reason)
    return cycle


@login_required
def template_download(request):
    """The XLSX template for the user's state or institution in the cycle."""
    cycle = _allowed_cycle(request)
    mine = spreadsheet.reporting_scope(request.user)
    owners = mine.states or mine.institutions
    owner = mine.owner_label(owners[0]) if len(owners) == 1 else ""
    slug = "".join(ch if ch.isalnum() else "-" for ch in owner.lower()) if owner else ""
    name = "-".join(p for p in ("plantilla-reportes", str(cycle.edition), slug) if p)
    response = HttpResponse(
        spreadsheet.build_template(request.user, cycle),
        content_type=spreadsheet.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def upload(request):
    """Show the upload form; on POST create the drafts, or list every error found."""
    cycle = _allowed_cycle(request)
    result = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = spreadsheet.read_upload(form.cleaned_data["file"], request.user, cycle)
            if result.ok:
                programs = spreadsheet.commit(result, request.user, cycle)
                messages.success(
                    request,
                    ngettext(
                        "Se creó %(n)s borrador desde la hoja de cálculo.",
                        "Se crearon %(n)s borradores desde la hoja de cálculo.",
                        len(programs),
                    )
                    % {"n": len(programs)},
                )
                return redirect(f"{reverse('reports:list')}?ciclo={cycle.edition}")
    else:
        form = UploadForm()
    row_errors = result.row_errors if result else []
    return render(
        request,
        "programs/spreadsheet_upload.html",
        {
            "cycle": cycle,
            "form": form,
            "result": result,
            "file_errors": result.file_errors if result else [],
            "row_errors": row_errors[:MAX_ERRORS_SHOWN],
            "hidden_errors": max(0, len(row_errors) - MAX_ERRORS_SHOWN),
            "max_rows": spreadsheet.MAX_ROWS,
        },
    )
