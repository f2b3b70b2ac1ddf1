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
``answer``; a :class:`~.models.StoredFile` for ``read_file`` (whoever may see what it
belongs to); nothing for ``send_request``, ``review_answers``, ``create_federal_body`` and
``list_requests``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.lib.policy import ALLOW, Decision, deny, only, require

from .models import Agreement, AgreementNote, Body, Member, Session, StoredFile
from .models_states import InformationRequest, InstallationStep, RequestAnswer

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


def _read_file(user, scope, stored) -> Decision:
    """A stored file is read by whoever may see what it belongs to."""

    session = Session.objects.filter(minutes=stored).select_related("body").first()
    if session is not None:
        return _view_session(user, scope, session) and _minutes(user, scope, session)
    note = AgreementNote.objects.filter(evidence=stored).select_related("agreement__body").first()
    if note is not None:
        return _view_agreement(user, scope, note.agreement)
    request = InformationRequest.objects.filter(attachments=stored).first()
    if request is not None:
        return _view_request(user, scope, request)
    answer = RequestAnswer.objects.filter(files=stored).select_related("request", "state").first()
    if answer is not None:
        if _reviews(scope) or answer.state_id in scope.states_for(Role.LIAISON):
            return ALLOW
        return deny(_("Esta respuesta es de otra entidad federativa."))
    if InstallationStep.objects.filter(files=stored).exists():
        return ALLOW  # installation evidence is public, like the steps
    return deny(_("Este archivo no pertenece a ningún registro visible."))


def _list_requests(user, scope, obj) -> Decision:
    if _reviews(scope) or scope.states_for(Role.LIAISON):
        return ALLOW
    return deny(_("Las solicitudes de información son de la UPM y los enlaces."))


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
    "read_file": _read_file,
    "list_requests": _list_requests,
}

#: Actions that may be granted without signing in (what is public).
PUBLIC_ACTIONS = frozenset({"view", "view_session", "minutes", "view_agreement", "read_file"})


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


def _by_enlace(user, qs: QuerySet, lookup: str) -> QuerySet:
    """*qs* whole for UPM, nothing for anonymous users, and for anybody else the rows whose
    *lookup* is one of the states they are enlace of."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = Scope.of(user)
    if _reviews(scope):
        return qs
    return qs.filter(**{f"{lookup}__in": scope.states_for(Role.LIAISON)})


def requests_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The information requests *user* may see: all for UPM, their state's for an enlace."""
    qs = InformationRequest.objects.all() if queryset is None else queryset
    return _by_enlace(user, qs, "states").distinct()


def answerable_states(user, request: InformationRequest) -> QuerySet:
    """The states *user* answers *request* for (their own, if it was sent to them)."""
    scope = Scope.of(user)
    return request.states.filter(pk__in=scope.states_for(Role.LIAISON))


def manageable_bodies(user, queryset: QuerySet | None = None) -> QuerySet:
    """The bodies *user* manages (the pick-lists of the forms)."""
    return _by_enlace(user, Body.objects.all() if queryset is None else queryset, "state")


def editable_states(user, queryset: QuerySet):
    """The states whose council records *user* edits."""
    return _by_enlace(user, queryset, "pk")


def sees_contacts(user, body: Body) -> bool:
    """Whether *user* sees the contact directory of *body* (e-mails and phones)."""
    return bool(can(user, "participate", body))


def _digits(pk) -> int:
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def _found(user, queryset, seen: str, action: str):
    """The one record of *queryset* that *user* may *seen* (else a 404, like a missing
    one); an *action* refused because of who asks is a 403 with the reason."""
    record = queryset.first()
    if record is None or not can(user, seen, record):
        raise Http404
    if action != seen:
        require(can(user, action, record))
    return record


def body_or_404(user, key: str, action: str = "view") -> Body:
    """The body *key* for *user*."""
    related = Body.objects.select_related("state", "parent", "lead_institution")
    return _found(user, related.filter(key=key), "view", action)


def session_or_404(user, pk, action: str = "view_session") -> Session:
    related = Session.objects.select_related("body", "body__state")
    return _found(user, related.filter(pk=_digits(pk)), "view_session", action)


def agreement_or_404(user, pk, action: str = "view_agreement") -> Agreement:
    related = Agreement.objects.select_related("body", "body__state", "session")
    return _found(user, related.filter(pk=_digits(pk)), "view_agreement", action)


def file_or_404(user, pk) -> StoredFile:
    return _found(user, StoredFile.objects.filter(pk=_digits(pk)), "read_file", "read_file")


def request_or_404(user, pk) -> InformationRequest:
    found = InformationRequest.objects.filter(pk=_digits(pk))
    return _found(user, found, "view_request", "view_request")
