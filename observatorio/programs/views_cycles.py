"""Reporting cycles run by UPM from the site, and the page each user lands on: their work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import cycles as cycle_actions
from . import permissions
from .completeness import completeness
from .forms import CycleForm
from .models import Program, ReportingCycle

S = Program.Status


def _reviewer(request) -> None:
    decision = permissions.can(request.user, "manage_cycles")
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def cycle_list(request):
    """Every cycle with where it stands, and the way to open the next one."""
    _reviewer(request)
    cycles = ReportingCycle.objects.annotate(
        reports=Count("programs"),
        in_review=Count("programs", filter=Q(programs__status__in=Program.IN_REVIEW)),
        published=Count("programs", filter=Q(programs__status=S.PUBLISHED)),
    ).order_by("-edition")
    return render(
        request, "programs/cycles.html", {"cycles": cycles, "today": timezone.localdate()}
    )


@login_required
def cycle_create(request):
    """Open a new cycle; every field starts from the previous cycle's."""
    _reviewer(request)
    form = CycleForm(request.POST or None, initial=cycle_actions.next_cycle_defaults())
    if request.method == "POST" and form.is_valid():
        cycle = form.save()
        messages.success(
            request,
            _("Se abrió el ciclo «%(cycle)s»: los enlaces e informantes ya pueden reportar.")
            % {"cycle": cycle},
        )
        return redirect("reports:cycles")
    return render(request, "programs/cycle_form.html", {"form": form, "cycle": None})


@login_required
def cycle_edit(request, edition):
    """Change a cycle's dates (extend the deadline) or its contact."""
    _reviewer(request)
    cycle = get_object_or_404(ReportingCycle, edition=edition)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Se guardaron los cambios del ciclo."))
        return redirect("reports:cycles")
    return render(request, "programs/cycle_form.html", {"form": form, "cycle": cycle})


ACTIONS = {
    "cerrar": (cycle_actions.close_now, _("Se cerró el ciclo: ya no recibe reportes.")),
    "publicar": (
        cycle_actions.publish_edition,
        _("Se publicó la edición: es la que el portal muestra por omisión."),
    ),
}


@login_required
def cycle_action(request, edition, verb):
    """Close a cycle now, or publish its edition (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _reviewer(request)
    cycle = get_object_or_404(ReportingCycle, edition=edition)
    if verb not in ACTIONS:
        return redirect("reports:cycles")
    act, done = ACTIONS[verb]
    try:
        act(cycle)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("reports:cycles")


@login_required
def my_work(request):
    """Where each user lands after signing in: what is theirs to do now."""
    work = permissions.work_of(request.user)
    if work == "none":
        return redirect("portal:home")
    today = timezone.localdate()
    open_cycles = list(ReportingCycle.objects.open(today).order_by("-edition"))
    for cycle in open_cycles:
        cycle.days_left = (cycle.deadline - today).days if cycle.deadline else None
    context = {"work": work, "open_cycles": open_cycles, "today": today}
    if work == "review":
        queue = (
            Program.objects.filter(status__in=Program.IN_REVIEW)
            .select_related("cycle", "objective", "state")
            .prefetch_related("institutions")
            .order_by("updated_at", "pk")
        )
        context.update(
            queue=queue[:20],
            queue_count=queue.count(),
            to_publish=Program.objects.filter(status=S.APPROVED).count(),
            summaries=[completeness(cycle, today) for cycle in open_cycles],
        )
    else:
        mine = permissions.worklist(
            request.user,
            Program.objects.filter(cycle__in=open_cycles)
            .select_related("cycle", "objective", "state")
            .prefetch_related("institutions"),
        ).order_by("cycle", "status", "pk")
        context.update(
            returned=[p for p in mine if p.status == S.RETURNED],
            drafts=[p for p in mine if p.status == S.DRAFT],
            waiting=[p for p in mine if p.status in Program.IN_REVIEW],
            done=[p for p in mine if p.status in (S.APPROVED, S.PUBLISHED)],
            last_contact=ReportingCycle.objects.exclude(contact="")
            .order_by("-edition")
            .values_list("contact", flat=True)
            .first(),
        )
    return render(request, "programs/work.html", context)
