"""Who may do what with reports and cycles: the one policy that pages, exports, bulk actions,
the spreadsheet, the API and the workflow ask. Every action has a rule here;
``test_every_action_has_a_rule`` fails when one is missing.

``can(user, action, obj)`` answers a :class:`~observatorio.lib.policy.Decision`; *obj* is a
report for the report's actions (``view`` … ``prefill``) and a cycle, or nothing, for the
actions that concern the reporting year (``report``, ``bulk_review``, ``completeness``,
``manage_cycles``). ``visible(user, queryset)`` narrows a list of reports by the same rule
as ``can(view)``. The other functions say who holds the roles (to tell them something)
and what a user reports for: no module outside a ``permissions.py`` tests a role.

Scopes come from ``accounts.Scope``: an enlace acts for one state's reports, an
institution reporter for the reports of their institution, reviewers (UPM) and
administrators for every report, council members may read and comment on their
state's reports while they are in review. Published reports are public.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Membership, Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.lib.policy import ALLOW, Decision, deny, only, require

from .models import Program, ReportingCycle

SIGN_IN = _("Inicie sesión para continuar.")


def _owns(scope: Scope, program: Program) -> bool:
    """Whether the scope speaks for the program's state or one of its institutions."""
    if program.section == Program.Section.STATE:
        return program.state_id in scope.states_for(Role.LIAISON)
    mine = scope.institutions_for(Role.REPORTER)
    if not mine or not program.pk:
        return False
    return bool(mine & {i.pk for i in program.institutions.all()})


def _view(scope: Scope, program: Program) -> Decision:
    if program.status == Program.Status.PUBLISHED:
        return ALLOW
    if scope.has(*REVIEW_ROLES) or _owns(scope, program):
        return ALLOW
    if _council_of(scope, program) and program.status in Program.IN_REVIEW:
        return ALLOW
    return deny(_("Este reporte no está publicado y no pertenece a su ámbito."))


def _council_of(scope: Scope, program: Program) -> bool:
    return program.state_id is not None and program.state_id in scope.states_for(Role.COUNCIL)


def _cycle_open(program: Program) -> Decision:
    cycle = program.cycle
    if not cycle.is_open():
        return deny(
            _("El ciclo «%(cycle)s» no está abierto a reportes.") % {"cycle": cycle},
            conflict=True,
        )
    return ALLOW


def _create(scope: Scope, program: Program) -> Decision:
    if program.section == Program.Section.STATE:
        if not scope.has(Role.LIAISON):
            return deny(_("Solo el enlace estatal crea reportes de su entidad."))
        if program.state_id not in scope.states_for(Role.LIAISON):
            return deny(_("Solo puede reportar programas de su propia entidad federativa."))
    else:
        if not scope.has(Role.REPORTER):
            return deny(_("Solo los informantes institucionales crean reportes federales."))
    return _cycle_open(program)


def _claims(scope: Scope, program: Program, institutions) -> Decision:
    """Whether a report may name *institutions* (ids) as the ones that report it.

    A federal report must include one of the reporter's own institutions (a joint report
    adds others). An unsaved report has no institutions yet, so the web form and the API
    pass the ones it claims when it is created or edited. State reports belong to their
    state, which ``_create`` checks.
    """
    if program.section != Program.Section.FEDERAL:
        return ALLOW
    if not set(institutions) & scope.institutions_for(Role.REPORTER):
        return deny(_("Incluya a su propia institución entre las que reportan."))
    return ALLOW


def _edit(scope: Scope, program: Program) -> Decision:
    if not _owns(scope, program):
        return deny(_("Solo quien reporta por esta entidad o institución puede editarlo."))
    if not program.is_editable:
        return deny(
            _("Un reporte en estado «%(status)s» no se puede editar.")
            % {"status": program.get_status_display()},
            conflict=True,
        )
    return ALLOW


def _review(scope: Scope, program: Program) -> Decision:
    if not scope.has(*REVIEW_ROLES):
        return deny(_("Solo el personal revisor de la UPM puede hacerlo."))
    return ALLOW


def _comment(scope: Scope, program: Program) -> Decision:
    if not _council_of(scope, program):
        return deny(_("Solo el consejo de la entidad comenta sus reportes."))
    if program.status not in Program.IN_REVIEW:
        return deny(_("Solo se comentan los reportes enviados a revisión."), conflict=True)
    return ALLOW


def _history(scope: Scope, program: Program) -> Decision:
    if scope.has(*REVIEW_ROLES) or _owns(scope, program):
        return ALLOW
    return deny(_("El historial de un reporte es visible para quien reporta y para la UPM."))


def _prefill(scope: Scope, program: Program) -> Decision:
    if not _owns(scope, program):
        return deny(_("Solo puede partir de reportes propios."))
    return ALLOW


def _review_material(scope: Scope, program: Program) -> Decision:
    """The review trail and the council's comments: for those who take part in the review.

    Never public, not even once the report is published: a council member's comment
    was written for the reviewers and the reporter, not for the portal.
    """
    if scope.has(*REVIEW_ROLES) or _owns(scope, program):
        return ALLOW
    if _council_of(scope, program) and program.status in Program.IN_REVIEW:
        return ALLOW
    return deny(_("La revisión de un reporte es visible solo para quienes participan en ella."))


def _report(scope: Scope, cycle: ReportingCycle | None) -> Decision:
    """Reporting at all (for a state or an institution) and, given a cycle, in that cycle."""
    if not (scope.states_for(Role.LIAISON) or scope.institutions_for(Role.REPORTER)):
        return deny(_("Su cuenta no reporta por ninguna entidad ni institución."))
    if cycle is not None and not cycle.is_open():
        return deny(
            _("El ciclo «%(cycle)s» no está abierto a reportes.") % {"cycle": cycle},
            conflict=True,
        )
    return ALLOW


def _completeness(scope: Scope, cycle: ReportingCycle | None) -> Decision:
    if not scope.has(*REVIEW_ROLES):
        return deny(_("Solo el personal revisor de la UPM y la administración ven la completitud."))
    return ALLOW


def _manage_cycles(scope: Scope, cycle: ReportingCycle | None) -> Decision:
    """Opening, extending, closing and publishing reporting cycles: UPM reviewers."""
    return only(
        scope,
        REVIEW_ROLES,
        _("Solo el personal revisor de la UPM abre y cierra ciclos de reporte."),
    )


RULES = {
    "view": _view,
    "export": _view,
    "create": _create,
    "edit": _edit,
    "submit": _edit,
    "return": _review,
    "approve": _review,
    "publish": _review,
    "withdraw": _review,
    "comment": _comment,
    "history": _history,
    "review_material": _review_material,
    "prefill": _prefill,
    # The reporting year: *obj* is a cycle or None.
    "report": _report,
    "bulk_review": _review,
    "completeness": _completeness,
    "manage_cycles": _manage_cycles,
}

#: Actions anybody may be granted without signing in (published reports are public).
PUBLIC_ACTIONS = frozenset({"view", "export"})


def can(
    user, action: str, obj: Program | ReportingCycle | None = None, *, institutions=None
) -> Decision:
    """Decide whether *user* may do *action* on *obj* (a report, a cycle or nothing).

    For ``create`` and ``edit``, *institutions* (ids, when given) are the institutions the
    report will name: a federal report must include one of the user's own (``_claims``).
    """
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if action not in PUBLIC_ACTIONS and not getattr(user, "is_authenticated", False):
        return deny(SIGN_IN)
    scope = Scope.of(user)
    decision = RULES[action](scope, obj)
    if decision and institutions is not None and action in ("create", "edit"):
        decision = _claims(scope, obj, institutions)
    return decision


def get_or_404(user, pk, action: str = "view", *, queryset=None) -> Program:
    """The report *pk* for *user* to *action*.

    A report that does not exist and one the user may not see answer the same 404, so
    that no address reveals another scope's drafts. A report the user sees but may not
    *action* because of who they are is a ``PermissionDenied`` (403) with the policy's
    reason; a refusal because of the report's state (``Decision.conflict``) is left to
    the caller, which says so in its own way (a message on a page, 409 in the API).
    """
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    qs = Program.objects.all() if queryset is None else queryset
    program = qs.filter(pk=int(text)).first()
    if program is None or not can(user, "view", program):
        raise Http404
    if action != "view":
        require(can(user, action, program))
    return program


def _work(scope: Scope) -> Q:
    """The reports that are the scope's work: its state's or institution's, in any status,
    and its council's state's reports in review."""
    rule = Q(pk__in=[])
    if scope.states_for(Role.LIAISON):
        rule |= Q(section=Program.Section.STATE, state__in=scope.states_for(Role.LIAISON))
    if scope.institutions_for(Role.REPORTER):
        rule |= Q(
            section=Program.Section.FEDERAL,
            institutions__in=scope.institutions_for(Role.REPORTER),
        )
    if scope.states_for(Role.COUNCIL):
        rule |= Q(state__in=scope.states_for(Role.COUNCIL), status__in=Program.IN_REVIEW)
    return rule


def visible(user, queryset: QuerySet[Program] | None = None) -> QuerySet[Program]:
    """Narrow *queryset* to the reports *user* may see (the same rule as ``can(view)``)."""
    qs = Program.objects.all() if queryset is None else queryset
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return qs
    if not scope.roles & {Role.LIAISON, Role.REPORTER, Role.COUNCIL}:
        # Anonymous clients and users with no reporting role: published reports, with no
        # subquery (the API's anonymous lists take this path on every request).
        return qs.filter(status=Program.Status.PUBLISHED)
    rule = Q(status=Program.Status.PUBLISHED) | _work(scope)
    return qs.filter(pk__in=qs.filter(rule).values("pk"))


def worklist(user, queryset: QuerySet[Program] | None = None) -> QuerySet[Program]:
    """Narrow *queryset* to the reports that are *user*'s work (the report list and its CSV).

    Reviewers: every report. Others: the reports they report (their state's or their
    institution's, in any status) and, for council members, their state's reports in
    review. Other states' published reports are public but not their work: the portal
    lists them. A subset of :func:`visible`.
    """
    qs = Program.objects.all() if queryset is None else queryset
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return qs
    return qs.filter(pk__in=Program.objects.filter(_work(scope)).values("pk"))


def reporters_of(program: Program):
    """The users who report *program* today: its state's enlace, or its institutions' reporters."""
    memberships = Membership.objects.current()
    if program.section == Program.Section.STATE:
        memberships = memberships.filter(role=Role.LIAISON, state=program.state_id)
    else:
        memberships = memberships.filter(
            role=Role.REPORTER, institution__in=program.institutions.all()
        )
    return get_user_model().objects.filter(pk__in=memberships.values("user"), is_active=True)


def reviewers():
    """The users who review reports today (UPM staff and administrators): told of reports."""
    staff = Membership.objects.current().filter(role__in=REVIEW_ROLES).values("user")
    return get_user_model().objects.filter(Q(pk__in=staff) | Q(is_superuser=True), is_active=True)


def upm_reviewers(on=None):
    """The UPM's reviewers on *on* (today by default), not administrators: the memberships
    that receive a cycle's summary of who has not reported."""
    return Membership.objects.current(on).filter(role=Role.REVIEWER, user__is_active=True)


def liaisons(on=None):
    """The state enlaces in force on *on* (today by default): a state's contacts."""
    return Membership.objects.current(on).filter(role=Role.LIAISON, state__isnull=False)


def institution_reporters(on=None):
    """The institution reporters in force on *on* (today by default): an institution's contacts."""
    return Membership.objects.current(on).filter(role=Role.REPORTER, institution__isnull=False)


def reports_for(user) -> tuple[frozenset[int], frozenset[int]]:
    """The states (as their enlace) and institutions (as their reporter) *user* reports for."""
    scope = Scope.of(user)
    return scope.states_for(Role.LIAISON), scope.institutions_for(Role.REPORTER)


def work_of(user) -> str:
    """What a user's own work is, for the page they land on: review, report or none."""
    scope = Scope.of(user)
    if scope.has(*REVIEW_ROLES):
        return "review"
    if scope.states_for(Role.LIAISON) or scope.institutions_for(Role.REPORTER):
        return "report"
    if scope.states_for(Role.COUNCIL):
        return "council"
    return "none"
