"""Every change to coordination records: each asks the policy, validates, and writes in one
transaction (all or nothing). Pages and the API call these; a refusal is a
``PermissionDenied`` (who asks) or a ``ValidationError`` (what was sent), in Spanish.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio.accounts.models import Membership
from observatorio.lib.policy import require
from observatorio.notifications.models import Kind
from observatorio.notifications.sending import notify

from . import files as file_checks
from . import permissions
from .models import Agreement, AgreementNote, Body, BodyEvent, BodyName, Member, Session, StoredFile
from .models_states import InformationRequest, InstallationStep, ModelPoint, Proposal, RequestAnswer

MAX_TEXT = 10_000


def _require(decision) -> None:
    """Who asks: a 403 (``lib.policy.require``); the record's state: a Spanish error."""
    require(decision)
    if not decision:
        raise ValidationError(decision.reason)


def _keep(checked: list, user) -> list[StoredFile]:
    return [StoredFile.keep(c.name, c.media_type, c.content, by=user) for c in checked]


def _text(value: str, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(_("Escriba %(what)s.") % {"what": label})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("%(what)s admite hasta %(n)s caracteres.")
            % {"what": label.capitalize(), "n": MAX_TEXT}
        )
    return text


# --- bodies and members ----------------------------------------------------------------


def save_body(user, body: Body) -> Body:
    """Create or update *body* (validated by its form)."""
    if body.pk:
        original = Body.objects.get(pk=body.pk)
        _require(permissions.can(user, "manage", original))
        if original.state_id != body.state_id:
            _require(permissions.can(user, "create_body", body.state))
    else:
        _require(permissions.can(user, "create_body", body.state))
    if body.state_id is None:
        _require(permissions.can(user, "create_federal_body"))
    if body.parent_id and body.parent_id == body.pk:
        raise ValidationError(_("Un órgano no puede depender de sí mismo."))
    if body.parent is not None and body.pk and body.pk in {b.pk for b in body.parent.lineage()}:
        raise ValidationError(_("Ese órgano depende de este: la dependencia sería circular."))
    if body.installed_on and body.dissolved_on and body.dissolved_on < body.installed_on:
        raise ValidationError(_("La fecha de disolución es anterior a la de instalación."))
    with transaction.atomic():
        body.save()
    return body


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    low, high = dt.date.min, dt.date.max
    return (a_start or low) < (b_end or high) and (b_start or low) < (a_end or high)


def check_member(member: Member) -> None:
    """Refuse a seat that clashes: the same person or institution in two roles of one body
    at once, or two holders of a one-holder role (presidency, technical secretariat)."""
    if member.started_on and member.ended_on and member.ended_on < member.started_on:
        raise ValidationError(_("La fecha de término es anterior a la de inicio."))
    if member.institution_id is None and not (member.person or "").strip():
        raise ValidationError(_("Indique la institución o la persona que ocupa el lugar."))
    others = Member.objects.filter(body_id=member.body_id).exclude(pk=member.pk)
    for other in others:
        if not _overlaps(member.started_on, member.ended_on, other.started_on, other.ended_on):
            continue
        same_person = member.person.strip() and other.person.strip().casefold() == (
            member.person.strip().casefold()
        )
        same_seat = same_person or (
            not member.person.strip()
            and not other.person.strip()
            and member.institution_id
            and member.institution_id == other.institution_id
        )
        if same_seat and other.role != member.role:
            raise ValidationError(
                _(
                    "%(who)s ya ocupa el lugar de «%(role)s» en este órgano en esas fechas: "
                    "nadie tiene dos funciones a la vez. Termine primero la otra."
                )
                % {"who": member.person or member.institution, "role": other.get_role_display()}
            )
        if same_seat:
            raise ValidationError(
                _("%(who)s ya es integrante de este órgano en esas fechas.")
                % {"who": member.person or member.institution}
            )
        if member.role in Member.SINGLE and other.role == member.role:
            raise ValidationError(
                _(
                    "El órgano ya tiene %(role)s en esas fechas (%(who)s): termine ese "
                    "periodo antes."
                )
                % {"role": member.get_role_display().lower(), "who": other}
            )


def save_member(user, member: Member) -> Member:
    _require(permissions.can(user, "manage", member.body))
    check_member(member)
    with transaction.atomic():
        member.save()
    return member


def end_member(user, member: Member, on: dt.date | None = None) -> Member:
    _require(permissions.can(user, "manage", member.body))
    day = on or timezone.localdate()
    if member.started_on and day < member.started_on:
        raise ValidationError(_("La fecha de término es anterior a la de inicio."))
    member.ended_on = day
    with transaction.atomic():
        member.save(update_fields=["ended_on"])
    return member


def record_event(user, event: BodyEvent) -> BodyEvent:
    """Record a change in a body's life and apply it: a new name keeps the old one as
    another name, a dissolution or a merger dates the body's end."""
    body = event.body
    _require(permissions.can(user, "manage", body))
    if event.session_id and event.session.date != event.date:
        raise ValidationError(_("La fecha no es la de la sesión elegida."))
    if body.installed_on and event.date < body.installed_on:
        raise ValidationError(_("La fecha es anterior a la instalación del órgano."))
    kind = event.kind
    with transaction.atomic():
        if kind == BodyEvent.Kind.RENAMED:
            new_name = (event.new_name or "").strip()
            if not new_name or new_name == body.name:
                raise ValidationError(_("Escriba el nombre nuevo del órgano."))
            event.former_name = body.name
            BodyName.objects.get_or_create(body=body, name=body.name)
            body.name = new_name[:300]
            body.save(update_fields=["name"])
        elif kind in (BodyEvent.Kind.DISSOLVED, BodyEvent.Kind.MERGED):
            if kind == BodyEvent.Kind.MERGED:
                if event.merged_into_id is None or event.merged_into_id == body.pk:
                    raise ValidationError(_("Elija el órgano en que se fusionó."))
                _require(permissions.can(user, "manage", event.merged_into))
            if body.dissolved_on:
                raise ValidationError(_("El órgano ya está disuelto."))
            body.dissolved_on = event.date
            body.save(update_fields=["dissolved_on"])
        event.save()
    return event


# --- sessions ----------------------------------------------------------------------------


def save_session(user, session: Session, *, attending=(), linked=(), minutes=None) -> Session:
    """Create or update *session*; *minutes* an upload (PDF, at most 10 MB) replaces the
    current minutes. A file that is not a PDF or is too large changes nothing."""
    _require(permissions.can(user, "manage", session.body))
    if session.pk:
        original = Session.objects.select_related("body").get(pk=session.pk)
        _require(permissions.can(user, "manage", original.body))
    checked = file_checks.check(minutes, pdf_only=True) if minutes else None
    linked = [s for s in linked if s.pk != session.pk]
    if any(s.body_id == session.body_id for s in linked):
        raise ValidationError(
            _("Una sesión se vincula con sesiones de otros órganos, no del mismo.")
        )
    with transaction.atomic():
        if checked is not None:
            session.minutes = _keep([checked], user)[0]
        session.save()
        session.attending.set(attending)
        session.linked.set(linked)
    return session


# --- agreements --------------------------------------------------------------------------


def save_agreement(user, agreement: Agreement, responsible) -> Agreement:
    """Create or update *agreement* with its responsible institutions (at least one)."""
    _require(permissions.can(user, "manage", agreement.body))
    if agreement.pk:
        original = Agreement.objects.select_related("body").get(pk=agreement.pk)
        _require(permissions.can(user, "manage", original.body))
    responsible = list(responsible or [])
    if not responsible:
        raise ValidationError(
            _(
                "Indique al menos una institución responsable: un acuerdo sin "
                "responsable no se sigue."
            )
        )
    if agreement.session_id and agreement.session.body_id != agreement.body_id:
        raise ValidationError(_("La sesión elegida es de otro órgano."))
    if agreement.due_on and agreement.agreed_on and agreement.due_on < agreement.agreed_on:
        raise ValidationError(_("La fecha compromiso es anterior a la fecha del acuerdo."))
    if agreement.status in (Agreement.Status.DONE, Agreement.Status.CANCELLED):
        agreement.closed_on = agreement.closed_on or timezone.localdate()
    else:
        agreement.closed_on = None
    agreement.updated_at = timezone.now()
    with transaction.atomic():
        agreement.save()
        agreement.responsible.set(responsible)
    return agreement


def add_note(user, agreement: Agreement, kind: str, text: str, *, status_to="", uploads=()):
    """Record progress (may change the status, with evidence) or a comment."""
    action = "follow_up" if kind == AgreementNote.Kind.PROGRESS else "comment"
    if kind not in AgreementNote.Kind.values:
        raise ValidationError(_("Tipo de nota desconocido."))
    _require(permissions.can(user, action, agreement))
    text = _text(text, _("el texto de la nota"))
    if status_to and kind != AgreementNote.Kind.PROGRESS:
        raise ValidationError(_("Un comentario no cambia el estado del acuerdo."))
    if status_to and status_to not in Agreement.Status.values:
        raise ValidationError(_("Estado desconocido."))
    checked = file_checks.check_many(uploads)
    if checked and kind != AgreementNote.Kind.PROGRESS:
        raise ValidationError(_("La evidencia se adjunta a un avance, no a un comentario."))
    with transaction.atomic():
        note = AgreementNote.objects.create(
            agreement=agreement, kind=kind, text=text, status_to=status_to or "", author=user
        )
        if checked:
            note.evidence.set(_keep(checked, user))
        if status_to and status_to != agreement.status:
            agreement.status = status_to
            closed = status_to in (Agreement.Status.DONE, Agreement.Status.CANCELLED)
            agreement.closed_on = timezone.localdate() if closed else None
        agreement.updated_at = timezone.now()
        agreement.save(update_fields=["status", "closed_on", "updated_at"])
    return note


def responsible_users(agreement: Agreement) -> list:
    """The users who answer for *agreement*: whoever speaks today for one of its
    institutions (not for a state)."""
    ids = list(agreement.responsible.values_list("pk", flat=True))
    return [
        m.user
        for m in Membership.objects.current()
        .filter(institution__in=ids)
        .exclude(state__isnull=False)
        .select_related("user")
        .order_by("user__username")
    ]


def remind_overdue(on: dt.date | None = None) -> list[tuple[Agreement, int]]:
    """Tell the responsible institutions' users of each agreement that passed its due date,
    once per due date; return the agreements reminded and how many people each reached."""
    day = on or timezone.localdate()
    done = []
    pending = (
        Agreement.objects.overdue(day)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_on")))
        .select_related("body")
        .order_by("due_on", "pk")
    )
    for agreement in pending:
        with transaction.atomic():
            # Claim it first: a second run (or a concurrent one) finds it reminded.
            claimed = (
                Agreement.objects.filter(pk=agreement.pk)
                .exclude(reminded_for=agreement.due_on)
                .update(reminded_for=agreement.due_on)
            )
            if not claimed:
                continue
            users = responsible_users(agreement)
            notify(
                users,
                Kind.AGREEMENT_OVERDUE,
                _("Acuerdo vencido de %(body)s")
                % {"body": agreement.body.acronym or agreement.body.name},
                _("La fecha compromiso era el %(due)s: %(text)s")
                % {"due": agreement.due_on.isoformat(), "text": agreement.text[:500]},
                reverse("coordination:agreement", args=[agreement.pk]),
            )
        done.append((agreement, len(users)))
    return done


# --- information requests ----------------------------------------------------------------


def send_request(user, *, title, question, deadline, states, uploads=()) -> InformationRequest:
    """Send an information request to *states*; their enlaces are told."""
    _require(permissions.can(user, "send_request"))
    title = _text(title, _("el asunto"))[:200]
    question = _text(question, _("la solicitud"))
    states = list(states or [])
    if not states:
        raise ValidationError(_("Elija al menos una entidad federativa."))
    if deadline is None:
        raise ValidationError(_("Indique la fecha límite."))
    if deadline < timezone.localdate():
        raise ValidationError(_("La fecha límite ya pasó."))
    checked = file_checks.check_many(uploads)
    with transaction.atomic():
        request = InformationRequest.objects.create(
            title=title, question=question, deadline=deadline, created_by=user
        )
        request.states.set(states)
        if checked:
            request.attachments.set(_keep(checked, user))
        enlaces = [
            m.user
            for m in Membership.objects.current()
            .filter(state__in=states, institution__isnull=True)
            .exclude(user=user)
            .select_related("user")
            if permissions.can(m.user, "answer", (request, m.state))
        ]
        notify(
            enlaces,
            Kind.INFO_REQUEST,
            _("Solicitud de información: %(title)s") % {"title": title},
            _("Fecha límite: %(deadline)s.") % {"deadline": deadline.isoformat()},
            reverse("coordination:request", args=[request.pk]),
        )
    return request


def answer_request(user, request: InformationRequest, state, text: str, uploads=()):
    """Save *state*'s answer (a new answer, or a completed one after it was returned)."""
    _require(permissions.can(user, "answer", (request, state)))
    text = _text(text, _("la respuesta"))
    checked = file_checks.check_many(uploads)
    now = timezone.now()
    with transaction.atomic():
        answer = (
            RequestAnswer.objects.select_for_update().filter(request=request, state=state).first()
        )
        if answer is not None and answer.status == RequestAnswer.Status.ACCEPTED:
            raise ValidationError(_("La UPM ya aceptó esta respuesta: no se modifica."))
        if answer is None:
            answer = RequestAnswer(request=request, state=state, first_answered_at=now)
        answer.text = text
        answer.status = RequestAnswer.Status.ANSWERED
        answer.answered_by = user
        answer.answered_at = now
        answer.save()
        if checked:
            answer.files.add(*_keep(checked, user))
        if request.created_by_id and request.created_by_id != user.pk:
            notify(
                [request.created_by],
                Kind.INFO_ANSWER,
                _("%(state)s respondió: %(title)s") % {"state": state.name, "title": request.title},
                "",
                reverse("coordination:request", args=[request.pk]),
            )
    return answer


def review_answer(user, answer: RequestAnswer, status: str, note: str = "") -> RequestAnswer:
    _require(permissions.can(user, "review_answers"))
    if status not in (RequestAnswer.Status.RETURNED, RequestAnswer.Status.ACCEPTED):
        raise ValidationError(_("Elija aceptar o devolver la respuesta."))
    note = _text(note, _("las observaciones"), required=status == RequestAnswer.Status.RETURNED)
    answer.status = status
    answer.review_note = note
    with transaction.atomic():
        answer.save(update_fields=["status", "review_note"])
    return answer


def close_request(user, request: InformationRequest, closed: bool = True) -> None:
    _require(permissions.can(user, "send_request"))
    request.closed = closed
    with transaction.atomic():
        request.save(update_fields=["closed"])


# --- each state's Modelo, installation and proposals -------------------------------------


def save_step(user, state, step: int, status: str, evidence: str, uploads=()) -> InstallationStep:
    _require(permissions.can(user, "edit_state", state))
    if step not in InstallationStep.Step.values:
        raise ValidationError(_("Paso desconocido."))
    if status not in InstallationStep.Status.values:
        raise ValidationError(_("Estado desconocido."))
    evidence = _text(evidence, _("la evidencia"), required=status == InstallationStep.Status.DONE)
    checked = file_checks.check_many(uploads)
    with transaction.atomic():
        row, _created = InstallationStep.objects.get_or_create(state=state, step=step)
        row.status, row.evidence = status, evidence
        row.updated_at, row.updated_by = timezone.now(), user
        row.save()
        if checked:
            row.files.add(*_keep(checked, user))
    return row


def save_point(user, point: ModelPoint) -> ModelPoint:
    _require(permissions.can(user, "edit_state", point.state))
    point.text = _text(point.text, _("el punto de acción"))
    if (
        ModelPoint.objects.filter(state=point.state, number=point.number)
        .exclude(pk=point.pk)
        .exists()
    ):
        raise ValidationError(_("Ya hay un punto con ese número en el Modelo de la entidad."))
    point.updated_at = timezone.now()
    with transaction.atomic():
        point.save()
    return point


def save_proposal(user, proposal: Proposal) -> Proposal:
    _require(permissions.can(user, "edit_state", proposal.state))
    proposal.text = _text(proposal.text, _("la propuesta"))
    if proposal.received_on and proposal.received_on > timezone.localdate():
        raise ValidationError(_("La fecha de recepción es posterior a hoy."))
    with transaction.atomic():
        proposal.save()
    return proposal
