"""Who may do what with coordination bodies: the one policy the pages, the calendar feeds,
the downloads and the API ask.

- **Public**: bodies marked public, their published sessions, public minutes and public
  agreements with their status and notes. Nothing else is shown to anonymous visitors.
- **Manage** a body (edit it, its members, sessions, minutes and agreements): UPM reviewers
  and administrators for any body; a state's enlace for the bodies of their state.
- **Participate** in a body (read its internal minutes, drafts and internal agreements):
  whoever manages it; a council member (``council`` role) of its state; a person with a
  current seat on it (``Member.user``); a reporter of a current member institution.
- **Follow up** an agreement (record progress, change its status, add evidence): whoever
  manages its body and the reporters of a responsible institution.
- **Comment** on an agreement: anyone who follows it up or participates in its body. A
  council member comments on their bodies' agreements and edits none.
- **Information requests**: reviewers send them and review the answers; an enlace sees the
  requests sent to their state and answers for it alone.
- **A state's Modelo, installation steps and proposals**: edited by its enlace and by
  reviewers; public to read.

``can(user, action, obj)`` takes a :class:`~.models.Body` for ``view``, ``manage``,
``participate``; a :class:`~.models.Session` for ``view_session`` and ``minutes``; an
:class:`~.models.Agreement` for ``view_agreement``, ``follow_up``, ``comment``; a
:class:`~catalog.models.State` (or None: any) for ``create_body`` and ``edit_state``; an
:class:`~.models.InformationRequest` for ``view_request``; ``(request, state)`` for
``answer``; nothing for ``send_request``, ``review_answers`` and ``create_federal_body``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.lib.policy import ALLOW, Decision, deny, only, require

from .models import Agreement, Body, InformationRequest, Member, Session

SIGN_IN = _("Inicie sesión para continuar.")
NOT_YOURS = _("Este órgano no es de su entidad federativa ni de su ámbito.")


# --- who the scope is ------------------------------------------------------------------


def _reviews(scope: Scope) -> bool:
    return scope.has(*REVIEW_ROLES)


def _seat_bodies(user) -> set[int]:
    """Bodies where *user* has a current seat, or a current member institution reports."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_coordination_seats", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    current = Q(started_on__isnull=True) | Q(started_on__lte=today)
    current &= Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    who = Q(user=user)
    institutions = Scope.of(user).institutions_for(Role.REPORTER)
    if institutions:
        who |= Q(institution__in=institutions)
    seats = set(Member.objects.filter(current & who).values_list("body_id", flat=True))
    user._coordination_seats = seats
    return seats


def _manages(scope: Scope, body: Body) -> bool:
    if _reviews(scope):
        return True
    return body.state_id is not None and body.state_id in scope.states_for(Role.LIAISON)


def _participates(user, scope: Scope, body: Body) -> bool:
    if _manages(scope, body):
        return True
    if body.state_id is not None and body.state_id in scope.states_for(Role.COUNCIL):
        return True
    return body.pk in _seat_bodies(user)


def _responsible(scope: Scope, agreement: Agreement) -> bool:
    institutions = scope.institutions_for(Role.REPORTER)
    if not institutions:
        return False
    return agreement.responsible.filter(pk__in=institutions).exists()


# --- the rules -------------------------------------------------------------------------


def _view(user, scope, body: Body) -> Decision:
    if body.public or _participates(user, scope, body):
        return ALLOW
    return deny(NOT_YOURS)


def _manage(user, scope, body: Body) -> Decision:
    if _manages(scope, body):
        return ALLOW
    if body.state_id is not None and scope.states_for(Role.LIAISON):
        return deny(_("Solo puede editar los órganos de su propia entidad federativa."))
    return deny(_("Solo el enlace de la entidad y la UPM editan este órgano."))


def _participate(user, scope, body: Body) -> Decision:
    return ALLOW if _participates(user, scope, body) else deny(NOT_YOURS)


def _view_session(user, scope, session: Session) -> Decision:
    body = session.body
    if (session.public and body.public) or _participates(user, scope, body):
        return ALLOW
    return deny(NOT_YOURS)


def _minutes(user, scope, session: Session) -> Decision:
    if session.minutes_id is None:
        return deny(_("Esta sesión no tiene acta."))
    if session.minutes_public and session.public and session.body.public:
        return ALLOW
    if _participates(user, scope, session.body):
        return ALLOW
    return deny(_("El acta es interna: solo la ven quienes participan en el órgano."))


def _view_agreement(user, scope, agreement: Agreement) -> Decision:
    if (agreement.public and agreement.body.public) or _participates(user, scope, agreement.body):
        return ALLOW
    if _responsible(scope, agreement):
        return ALLOW
    return deny(NOT_YOURS)


def _follow_up(user, scope, agreement: Agreement) -> Decision:
    if _manages(scope, agreement.body) or _responsible(scope, agreement):
        return ALLOW
    return deny(
        _("Solo las instituciones responsables y quien coordina el órgano registran avances.")
    )


def _comment(user, scope, agreement: Agreement) -> Decision:
    if _follow_up(user, scope, agreement) or _participates(user, scope, agreement.body):
        return ALLOW
    return deny(_("Solo quienes participan en el órgano comentan sus acuerdos."))


def _for_state(nobody: str, elsewhere: str):
    """A rule on a state's records: UPM for any state, an enlace for their own; *nobody*
    and *elsewhere* say why another user, or an enlace of another state, is refused."""

    def rule(user, scope, state) -> Decision:
        if _reviews(scope):
            return ALLOW
        mine = scope.states_for(Role.LIAISON)
        if state is None:
            return ALLOW if mine else deny(nobody)
        return ALLOW if state.pk in mine else deny(elsewhere)

    return rule


_create_body = _for_state(
    _("Solo los enlaces estatales y la UPM registran órganos."),
    _("Solo puede registrar órganos de su propia entidad federativa."),
)
_edit_state = _for_state(
    _("Solo el enlace de la entidad y la UPM lo editan."),
    _("Solo puede editar los registros de su propia entidad federativa."),
)


def _view_request(user, scope, request: InformationRequest) -> Decision:
    if _reviews(scope):
        return ALLOW
    mine = scope.states_for(Role.LIAISON)
    if mine and request.states.filter(pk__in=mine).exists():
        return ALLOW
    return deny(_("Esta solicitud no se envió a su entidad federativa."))


def _answer(user, scope, pair) -> Decision:
    request, state = pair
    if state.pk not in scope.states_for(Role.LIAISON):
        return deny(_("Solo el enlace de la entidad responde por ella."))
    if not request.states.filter(pk=state.pk).exists():
        return deny(_("Esta solicitud no se envió a su entidad federativa."))
    if request.closed:
        return deny(_("La solicitud está cerrada: ya no recibe respuestas."), conflict=True)
    return ALLOW


def _upm(user, scope, obj) -> Decision:
    return only(scope, REVIEW_ROLES, _("Solo el personal de la UPM y la administración lo hacen."))


RULES = {
    "view": _view,
    "manage": _manage,
    "participate": _participate,
    "view_session": _view_session,
    "minutes": _minutes,
    "view_agreement": _view_agreement,
    "follow_up": _follow_up,
    "comment": _comment,
    "create_body": _create_body,
    "edit_state": _edit_state,
    "view_request": _view_request,
    "answer": _answer,
    "send_request": _upm,
    "review_answers": _upm,
    "create_federal_body": _upm,
}

#: Actions that may be granted without signing in (what is public).
PUBLIC_ACTIONS = frozenset({"view", "view_session", "minutes", "view_agreement"})


def can(user, action: str, obj=None) -> Decision:
    """Decide whether *user* may do *action* (see the module's docstring) with *obj*."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if action not in PUBLIC_ACTIONS and not getattr(user, "is_authenticated", False):
        return deny(SIGN_IN)
    return RULES[action](user, Scope.of(user), obj)


# --- querysets -------------------------------------------------------------------------


def _participating(user, prefix: str = "") -> Q | None:
    """The bodies *user* participates in, as a filter (None: every body)."""
    scope = Scope.of(user)
    if _reviews(scope):
        return None
    rule = Q(pk__in=[])
    states = scope.states_for(Role.LIAISON) | scope.states_for(Role.COUNCIL)
    if states:
        rule |= Q(**{f"{prefix}state__in": states})
    seats = _seat_bodies(user)
    if seats:
        rule |= Q(**{f"{prefix}pk__in": seats})
    return rule


def visible(user, queryset: QuerySet | None = None) -> QuerySet:
    """Narrow *queryset* (bodies, sessions, agreements or information requests; bodies by
    default) to what *user* may see."""
    qs = Body.objects.all() if queryset is None else queryset
    model = qs.model
    if model is InformationRequest:
        return requests_for(user, qs)
    prefix = "" if model is Body else "body__"
    mine = _participating(user, prefix)
    if mine is None:
        return qs
    if model is Body:
        return qs.filter(Q(public=True) | mine)
    if model is Session:
        return qs.filter(Q(public=True, body__public=True) | mine)
    if model is Agreement:
        rule = Q(public=True, body__public=True) | mine
        institutions = Scope.of(user).institutions_for(Role.REPORTER)
        if institutions:
            rule |= Q(responsible__in=institutions)
        return qs.filter(rule).distinct()
    raise TypeError(f"No visibility rule for {model.__name__}")


def requests_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The information requests *user* may see: all for UPM, their state's for an enlace."""
    qs = InformationRequest.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = Scope.of(user)
    if _reviews(scope):
        return qs
    mine = scope.states_for(Role.LIAISON)
    if not mine:
        return qs.none()
    return qs.filter(states__in=mine).distinct()


def answerable_states(user, request: InformationRequest) -> QuerySet:
    """The states *user* answers *request* for (their own, if it was sent to them)."""
    scope = Scope.of(user)
    return request.states.filter(pk__in=scope.states_for(Role.LIAISON))


def manageable_bodies(user, queryset: QuerySet | None = None) -> QuerySet:
    """The bodies *user* manages (the pick-lists of the forms)."""
    qs = Body.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = Scope.of(user)
    if _reviews(scope):
        return qs
    return qs.filter(state__in=scope.states_for(Role.LIAISON))


def editable_states(user, queryset: QuerySet):
    """The states whose council records *user* edits."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    scope = Scope.of(user)
    if _reviews(scope):
        return queryset
    return queryset.filter(pk__in=scope.states_for(Role.LIAISON))


def sees_contacts(user, body: Body) -> bool:
    """Whether *user* sees the contact directory of *body* (e-mails and phones)."""
    return getattr(user, "is_authenticated", False) and bool(can(user, "participate", body))


def _digits(pk) -> int:
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def body_or_404(user, key: str, action: str = "view") -> Body:
    """The body *key* for *user*; one the user may not see is a 404 like a missing one."""
    body = (
        Body.objects.select_related("state", "parent", "lead_institution").filter(key=key).first()
    )
    if body is None or not can(user, "view", body):
        raise Http404
    if action != "view":
        require(can(user, action, body))
    return body


def session_or_404(user, pk, action: str = "view_session") -> Session:
    session = Session.objects.select_related("body", "body__state").filter(pk=_digits(pk)).first()
    if session is None or not can(user, "view_session", session):
        raise Http404
    if action != "view_session":
        require(can(user, action, session))
    return session


def agreement_or_404(user, pk, action: str = "view_agreement") -> Agreement:
    agreement = (
        Agreement.objects.select_related("body", "body__state", "session")
        .filter(pk=_digits(pk))
        .first()
    )
    if agreement is None or not can(user, "view_agreement", agreement):
        raise Http404
    if action != "view_agreement":
        require(can(user, action, agreement))
    return agreement


def request_or_404(user, pk) -> InformationRequest:
    found = InformationRequest.objects.filter(pk=_digits(pk)).first()
    if found is None or not can(user, "view_request", found):
        raise Http404
    return found
