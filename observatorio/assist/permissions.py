"""Who may use assistance: the one policy its pages, htmx fragments and the API ask.

Assistance adds no roles; it follows the reports' policy (``programs.permissions``):

* ``suggest`` — objective suggestions inside the report form: whoever may report in a
  cycle or review reports. (The same suggestions are public through the API: they are
  learned from published programs only.)
* ``see`` a report's assistance panel (suggestions, similar programs, its links): whoever
  takes part in the report's review (``review_material``: its reporters and the UPM).
* ``link`` two programs (continuation, joint program, dismissal): UPM reviewers, when both
  programs are visible to them.
* ``agreement`` — the agreement of suggestions and choices by cycle: UPM reviewers.

A report hidden from the user answers 404 exactly like a missing one (``program_or_404``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from observatorio.lib.policy import ALLOW, Decision, deny
from observatorio.programs import permissions as reports
from observatorio.programs.models import Program

SIGN_IN = _("Inicie sesión para continuar.")


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _suggest(user, obj) -> Decision:
    if reports.can(user, "report") or reports.can(user, "bulk_review"):
        return ALLOW
    return deny(_("Las sugerencias del formulario son para quien reporta o revisa."))


def _see(user, program: Program) -> Decision:
    decision = reports.can(user, "review_material", program)
    if not decision:
        return deny(_("La asistencia de un reporte es para quienes participan en su revisión."))
    return ALLOW


def _link(user, pair) -> Decision:
    program, other = pair
    if not reports.can(user, "bulk_review"):
        return deny(_("Solo el personal revisor de la UPM vincula programas."))
    if not (reports.can(user, "view", program) and reports.can(user, "view", other)):
        return deny(_("Uno de los programas no pertenece a su ámbito."))
    return ALLOW


def _agreement(user, obj) -> Decision:
    if reports.can(user, "bulk_review"):
        return ALLOW
    return deny(_("La concordancia de las sugerencias es para el personal revisor."))


RULES = {"suggest": _suggest, "see": _see, "link": _link, "agreement": _agreement}


def can(user, action: str, obj=None) -> Decision:
    rule = RULES[action]  # an action without a rule is a programming error (KeyError)
    if not _signed_in(user):
        return deny(SIGN_IN)
    return rule(user, obj)


def program_or_404(user, pk, action: str = "see") -> Program:
    """The report *pk* if the user may *action* it; 404 if missing or hidden, alike."""
    program = reports.get_or_404(user, pk, "view")
    if not can(user, action, program):
        raise Http404(_("No existe ese reporte."))
    return program


def visible_or_404(user, pk) -> Program:
    """A program the user may see (published ones for everyone); 404 otherwise, alike."""
    return reports.get_or_404(user, pk, "view")


def visible(user, queryset=None):
    """The reports of *queryset* the user may see (published ones for everyone)."""
    return reports.visible(user, queryset)
