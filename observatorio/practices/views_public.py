"""Public pages of the good practices: the catalogue and the ficha of one practice.

The catalogue's filters live in the URL: ``?entidad=<INEGI code>`` and
``?criterio=<criterion>`` (repeatable: every criterion given must be met).
Unknown or malformed values are ignored, never an error page.
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatorio.catalog.models import State
from observatorio.lib.access import public

from . import permissions
from .models import CRITERIA, CRITERIA_LABELS, GoodPractice, Mark

# Column headings of the catalogue (the full names are read out and shown on hover).
CRITERIA_SHORT = {
    "sostenibilidad": gettext_lazy("Sost."),
    "asociacion": gettext_lazy("Asoc."),
    "innovacion": gettext_lazy("Innov."),
    "replicabilidad": gettext_lazy("Replic."),
    "eficacia": gettext_lazy("Efic."),
}


@public
def practice_list(request):
    """All good practices with their five marks, filterable by state and criterion met."""
    practices = GoodPractice.objects.select_related("state").order_by("state__name", "number")
    everything = practices.count()
    states = list(State.objects.annotate(n=Count("practices")).filter(n__gt=0).order_by("name"))
    state = next((s for s in states if s.inegi_code == request.GET.get("entidad")), None)
    if state is not None:
        practices = practices.filter(state=state)
    criteria = [key for key in CRITERIA if key in request.GET.getlist("criterio")]
    for key in criteria:
        practices = practices.filter(**{f"{key}_mark": Mark.MEETS})
    return render(
        request,
        "practices/list.html",
        {
            "practices": list(practices),
            "everything": everything,
            "states": states,
            "state": state,
            "criteria": [
                (key, CRITERIA_LABELS[key], CRITERIA_SHORT[key], key in criteria)
                for key in CRITERIA
            ],
            "filtered": bool(state or criteria),
        },
    )


@public
def practice_detail(request, pk: int):
    """The ficha: who, for whom, what, the five criteria with marks and justifications."""
    practice = get_object_or_404(
        GoodPractice.objects.select_related("state", "region", "source", "program"), pk=pk
    )
    source_reference = ""
    if practice.source_id:
        source_reference = _("%(doc)s, líneas %(first)s–%(last)s") % {
            "doc": practice.source.title,
            "first": practice.source_first_line,
            "last": practice.source_last_line,
        }
    program = practice.program
    if program is not None and program.status != program.Status.PUBLISHED:
        program = None
    user = request.user
    signed_in = user.is_authenticated
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "rows": practice.criteria_rows(),
            "met": sum(1 for mark in practice.marks().values() if mark == Mark.MEETS),
            "institutions": list(practice.institutions.all()),
            "populations": list(practice.populations.all()),
            "objectives": list(practice.objectives.order_by("number")),
            "program": program,
            "source_reference": source_reference,
            "may_view_ratings": signed_in and bool(permissions.can(user, "view_ratings", practice)),
            "may_rate": signed_in and bool(permissions.can(user, "rate", practice)),
        },
    )
