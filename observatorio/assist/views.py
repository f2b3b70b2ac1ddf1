"""Assistance pages: suggestions in the report form, a report's panel, the reviewers' links
and the agreement of suggestions with choices.

Every view asks ``permissions``; a report the user may not see answers 404 like a
missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from observatorio.programs.models import Program

from . import actions, permissions, training
from .models import ProgramLink, SuggestionRecord
from .text import program_text

#: What the form sends of a report's texts (the rest is not read).
_FORM_FIELDS = ("title", "description", "results")


@never_cache
@login_required
def objectives(request):
    """The suggestions for what the form holds (htmx, POST): a fragment, never a page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    decision = permissions.can(request.user, "suggest")
    if not decision:
        raise PermissionDenied(decision.reason)
    text = "\n".join(request.POST.get(f, "") for f in _FORM_FIELDS)
    context = {"results": [], "notice": "", "error": "", "choose": True}
    if text.strip():
        try:
            found = actions.suggest(text)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        else:
            context.update(results=found.results, notice=found.notice, model=found.model)
    return render(request, "assist/_suggestions.html", context)


@never_cache
@login_required
def panel(request, pk):
    """A report's assistance: suggested objectives, similar programs and their links."""
    program = permissions.program_or_404(request.user, pk, "see")
    found = None
    error = ""
    try:
        found = actions.suggest(program_text(program))
    except ValidationError as exc:
        error = " ".join(exc.messages)
    similar = actions.similar(program=program, user=request.user, limit=8)
    context = {
        "program": program,
        "suggested": found,
        "error": error,
        "similar": similar,
        "may_link": bool(permissions.can(request.user, "link", (program, program))),
        "joint": actions.joint_partners(program),
        "dismissed": Program.objects.filter(pk__in=actions.dismissed(program)).select_related(
            "cycle"
        ),
        "editions": actions.history(program, published_only=False),
    }
    template = "assist/_panel.html" if request.headers.get("HX-Request") else "assist/panel.html"
    return render(request, template, context)


@login_required
def link(request, pk):
    """A reviewer's decision on the report *pk* and another program (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    program = permissions.program_or_404(request.user, pk, "see")
    other_id = request.POST.get("otro", "")
    back = reverse("reports:detail", args=[program.pk]) + "#asistencia"
    try:
        other = permissions.visible_or_404(request.user, other_id) if other_id else None
    except Http404:
        other = None
    if other is None:
        messages.error(request, _("No existe el otro programa."))
        return redirect(back)
    try:
        message = actions.decide(program, other, request.POST.get("decision", ""), request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(back)


@never_cache
@login_required
def agreement(request):
    """How often the objective chosen was the first suggestion, or among the first three."""
    decision = permissions.can(request.user, "agreement")
    if not decision:
        raise PermissionDenied(decision.reason)
    rows = (
        SuggestionRecord.objects.values("cycle__edition", "cycle__name", "event")
        .annotate(
            total=Count("pk"),
            first=Count("pk", filter=Q(rank=1)),
            top3=Count("pk", filter=Q(rank__isnull=False)),
        )
        .order_by("-cycle__edition", "event")
    )
    table = [
        {
            **row,
            "event_label": SuggestionRecord.Event(row["event"]).label,
            "first_pct": round(100 * row["first"] / row["total"]) if row["total"] else 0,
            "top3_pct": round(100 * row["top3"] / row["total"]) if row["total"] else 0,
        }
        for row in rows
    ]
    loaded = training.current()
    return render(
        request,
        "assist/agreement.html",
        {
            "table": table,
            "model": loaded[0] if loaded else None,
            "links": ProgramLink.objects.values("kind").annotate(n=Count("pk")).order_by("kind"),
            "continuations": Program.objects.filter(previous__isnull=False).count(),
        },
    )
