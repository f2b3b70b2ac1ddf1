"""The homogeneous report: list, form, workflow actions, history and council comments.

Every view asks ``permissions.can`` (or ``permissions.visible`` for lists); the
workflow methods on ``Program`` ask it again, so no path can skip the policy.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from observatorio.catalog.models import State
from observatorio.lib import csvfile
from observatorio.lib.access import public

from . import actions, permissions
from .forms import (
    BulkActionForm,
    CommentForm,
    FigureFormSet,
    ReportForm,
    ReportListFilter,
    prefill,
    rearrange_figures,
)
from .history import diff
from .models import Program, ReportingCycle, Revision

#: Reports per page of the list; the CSV export holds every one.
PAGE_SIZE = 100


def _get_program(request, pk, action="view", queryset=None) -> Program:
    """The report *pk* for *action*: 404 if it does not exist or is hidden from the user."""
    return permissions.get_or_404(
        request.user,
        pk,
        action,
        queryset=queryset or Program.objects.select_related("cycle", "objective", "state"),
    )


def _section_for(user) -> tuple[str, State | None]:
    """The part a user reports in: their state for an enlace, federal for a reporter."""
    decision = permissions.can(user, "report")
    if not decision:
        raise PermissionDenied(decision.reason)
    states, _institutions = permissions.reports_for(user)
    if states:
        return Program.Section.STATE, State.objects.get(pk=min(states))
    return Program.Section.FEDERAL, None


@login_required
def report_list(request):
    """The reports that are the user's work, by cycle and status, with what they can do next.

    The page and its CSV (``?formato=csv``) hold the same reports; the page shows them
    :data:`PAGE_SIZE` at a time and says so.
    """
    cycles = list(ReportingCycle.objects.all())
    edition = request.GET.get("ciclo")
    cycle = next((c for c in cycles if str(c.edition) == edition), None)
    if cycle is None:
        cycle = next((c for c in cycles if c.is_open()), cycles[0] if cycles else None)
    filters = ReportListFilter(request.GET)
    programs = Program.objects.none()
    if cycle is not None:
        programs = filters.apply(
            permissions.worklist(
                request.user,
                Program.objects.filter(cycle=cycle)
                .select_related("objective", "state", "cycle")
                .prefetch_related("institutions"),
            )
        )
    programs = programs.order_by("section", "objective__number", "number", "pk")
    if request.GET.get("formato") == "csv":
        return _csv(programs, cycle)
    is_reviewer = bool(permissions.can(request.user, "bulk_review"))
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    can_create = cycle is not None and bool(permissions.can(request.user, "report", cycle))
    previous = []
    if can_create and cycle.previous:
        previous = permissions.visible(
            request.user, Program.objects.filter(cycle=cycle.previous)
        ).filter(followers__isnull=True)
        previous = [
            p
            for p in previous.select_related("objective")
            if permissions.can(request.user, "prefill", p)
        ]
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "programs/report_list.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "page": page,
            "programs": page.object_list,
            "query": query.urlencode(),
            "filters": filters,
            "can_create": can_create,
            "previous": previous[:100],
            "is_reviewer": is_reviewer,
            "bulk_form": BulkActionForm() if is_reviewer else None,
        },
    )


def _csv(programs, cycle):
    """The same reports the page lists, as CSV (the policy already narrowed them)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"reportes-{cycle.edition if cycle else 'todos'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csvfile.writer(response)  # text a spreadsheet would run as a formula: '=…
    writer.writerow(
        [
            "id",
            "ciclo",
            "parte",
            "objetivo",
            "numero",
            "titulo",
            "entidad",
            "instituciones",
            "estado",
            "modificado",
        ]
    )
    for p in programs:
        writer.writerow(
            [
                p.pk,
                p.cycle.edition,
                p.section,
                p.objective.number,
                p.number or "",
                p.title,
                p.state.inegi_code if p.state_id else "",
                "-".join(i.acronym for i in p.institutions.all()),
                p.status,
                p.updated_at,
            ]
        )
    return response


def _render_form(request, form, figures, program, cycle):
    return render(
        request,
        "programs/report_form.html",
        {"form": form, "figures": figures, "program": program, "cycle": cycle},
    )


def _figure_rows(request, program, cycle, section):
    """Add or take out a figure row without saving, or None when the POST asks for neither.

    With htmx only the figures come back (the rest of the page keeps what was typed);
    without JavaScript the whole form does, as typed, with no errors shown yet.
    """
    if "otra_cifra" in request.POST:
        data = rearrange_figures(request.POST, add=True)
    elif "quitar_cifra" in request.POST:
        row = request.POST["quitar_cifra"]
        data = rearrange_figures(request.POST, remove=int(row) if row.isdigit() else None)
    else:
        return None
    figures = FigureFormSet(data, instance=program)
    if "otra_cifra" in request.POST and figures.forms:
        figures.forms[-1].fields["label"].widget.attrs["autofocus"] = True
    if request.headers.get("HX-Request"):
        return render(request, "programs/_figures.html", {"figures": figures})
    form = ReportForm(data, instance=program, user=request.user, section=section)
    form._errors = ErrorDict()  # nothing was submitted yet: no error to show
    return _render_form(request, form, figures, program if program.pk else None, cycle)


@login_required
def report_create(request):
    """Start a report in an open cycle, optionally pre-filled from last cycle's report."""
    edition = request.GET.get("ciclo", "")
    if not edition.isdigit():
        raise Http404(_("Indique el ciclo del reporte."))
    cycle = get_object_or_404(ReportingCycle, edition=int(edition))
    section, state = _section_for(request.user)
    program = Program(cycle=cycle, section=section, state=state, created_by=request.user)
    decision = permissions.can(request.user, "create", program)
    if not decision:
        raise PermissionDenied(decision.reason)
    source = None
    if request.GET.get("previo"):
        # Hidden or missing: the same 404. Public but someone else's: refused.
        source = _get_program(request, request.GET["previo"], "prefill")
    if request.method == "POST":
        rows = _figure_rows(request, program, cycle, section)
        if rows is not None:
            return rows
        form = ReportForm(request.POST, instance=program, user=request.user, section=section)
        figures = FigureFormSet(request.POST, instance=program)
        if form.is_valid() and figures.is_valid():
            with transaction.atomic():
                program = form.save(commit=False)
                program.previous = source
                program.save()
                form.save_m2m()
                figures.instance = program
                figures.save()
                Revision.capture(program, request.user, note=_("creado"))
            return _after_save(request, program)
        return _render_form(request, form, figures, None, cycle)
    initial = {}
    if source is not None:
        initial = prefill(source)
    form = ReportForm(instance=program, initial=initial, user=request.user, section=section)
    figures = FigureFormSet(instance=program)
    return _render_form(request, form, figures, None, cycle)


def _after_save(request, program):
    if "enviar" in request.POST:
        try:
            actions.submit(program, request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            messages.warning(request, _("Se guardó como borrador; complete lo que falta."))
            return redirect("reports:edit", pk=program.pk)
        messages.success(request, actions.ACTIONS["submit"].done)
    else:
        messages.success(request, _("Se guardó el borrador."))
    return redirect("reports:detail", pk=program.pk)


@login_required
def report_edit(request, pk):
    program = _get_program(request, pk, "edit")
    decision = permissions.can(request.user, "edit", program)
    if not decision:  # the report's status: say so on its page
        messages.error(request, decision.reason)
        return redirect("reports:detail", pk=program.pk)
    if request.method == "POST":
        rows = _figure_rows(request, program, program.cycle, program.section)
        if rows is not None:
            return rows
        form = ReportForm(
            request.POST, instance=program, user=request.user, section=program.section
        )
        figures = FigureFormSet(request.POST, instance=program)
        if form.is_valid() and figures.is_valid():
            with transaction.atomic():
                current = Program.objects.select_for_update().get(pk=program.pk)
                if form.cleaned_data.get("version") != current.version:
                    form.add_error(
                        None,
                        _(
                            "Otra persona modificó este reporte mientras usted lo editaba "
                            "(versión %(theirs)s). No se guardaron sus cambios: recargue la "
                            "página y vuelva a aplicarlos."
                        )
                        % {"theirs": current.version},
                    )
                    return _render_form(request, form, figures, program, program.cycle)
                if not current.is_editable:
                    raise PermissionDenied(_("El reporte ya no se puede editar."))
                program = form.save(commit=False)
                program.version = current.version + 1
                program.save()
                form.save_m2m()
                figures.save()
                Revision.capture(program, request.user, note=_("editado"))
            return _after_save(request, program)
        return _render_form(request, form, figures, program, program.cycle)
    form = ReportForm(instance=program, user=request.user, section=program.section)
    figures = FigureFormSet(instance=program)
    return _render_form(request, form, figures, program, program.cycle)


@public
def report_detail(request, pk):
    """A report with its status, audit trail and the actions the user may take."""
    program = get_object_or_404(
        Program.objects.select_related("cycle", "objective", "state", "source").prefetch_related(
            "institutions",
            "secondary_objectives",
            "populations",
            "figures",
            Prefetch("transitions__actor"),
            Prefetch("council_comments__author"),
        ),
        pk=pk,
    )
    decision = permissions.can(request.user, "view", program)
    if not decision:
        raise Http404(decision.reason)
    allowed = {
        action: bool(permissions.can(request.user, action, program))
        for action in (
            "edit",
            "submit",
            "return",
            "approve",
            "publish",
            "withdraw",
            "comment",
            "history",
            "review_material",
        )
    }
    # The reviewer's comments stay on top of the report until it is sent again.
    pending = None
    if program.status == Program.Status.RETURNED and allowed["review_material"]:
        pending = next(
            (t for t in reversed(program.transitions.all()) if t.to_status == program.status),
            None,
        )
    return render(
        request,
        "programs/report_detail.html",
        {
            "program": program,
            "allowed": allowed,
            "comment_form": CommentForm(),
            "pending_return": pending,
        },
    )


@login_required
def report_transition(request, pk, verb):
    """Run one workflow transition (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = actions.BY_URL.get(verb)
    if action is None:
        raise Http404
    program = _get_program(request, pk, action.name)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("El comentario es demasiado largo."))
        return redirect("reports:detail", pk=program.pk)
    try:
        actions.transition(program, action.name, request.user, form.cleaned_data["comment"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:detail", pk=program.pk)
    messages.success(request, action.done)
    return redirect("reports:detail", pk=program.pk)


@login_required
def report_bulk(request):
    """Approve, publish or return several reports at once: all of them or none."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    decision = permissions.can(request.user, "bulk_review")
    if not decision:
        raise PermissionDenied(decision.reason)
    form = BulkActionForm(request.POST)
    back = request.POST.get("next") or reverse("reports:list")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("reports:list")
    if not form.is_valid():
        messages.error(request, _("Seleccione al menos un reporte y una acción válida."))
        return redirect(back)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    programs = list(form.cleaned_data["programs"])
    try:
        with transaction.atomic():
            for program in programs:
                try:
                    actions.transition(program, action, request.user, comment)
                except (ValidationError, PermissionDenied) as exc:
                    reason = "; ".join(getattr(exc, "messages", [str(exc)]))
                    raise ValidationError(
                        _("«%(title)s»: %(reason)s") % {"title": program.title, "reason": reason}
                    ) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        messages.warning(request, _("No se cambió ningún reporte."))
        return redirect(back)
    messages.success(
        request,
        _("Listo: %(n)s reportes. %(done)s")
        % {"n": len(programs), "done": actions.ACTIONS[action].done},
    )
    return redirect(back)


@login_required
def report_history(request, pk):
    """Every revision of a report and a readable difference between two of them."""
    program = _get_program(request, pk, "history")
    revisions = list(program.revisions.select_related("author"))
    by_number = {r.number: r for r in revisions}
    changes, older, newer = [], None, None
    if len(revisions) >= 2:
        try:
            newer = by_number[int(request.GET.get("b", revisions[-1].number))]
            older = by_number[int(request.GET.get("a", newer.number - 1))]
        except (KeyError, ValueError):
            raise Http404(_("No existe esa revisión.")) from None
        changes = diff(older.data, newer.data)
    return render(
        request,
        "programs/report_history.html",
        {
            "program": program,
            "revisions": revisions,
            "changes": changes,
            "older": older,
            "newer": newer,
        },
    )


@login_required
def report_comment(request, pk):
    """A council member comments on their state's report during review."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    program = _get_program(request, pk, "comment")
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("El comentario es demasiado largo."))
        actions.comment(program, request.user, form.cleaned_data["comment"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Se agregó su comentario."))
    return redirect("reports:detail", pk=program.pk)
