"""The pages of coordination bodies (``/coordinacion/``): the list, a body with its members,
history, sessions and agreements, a session with its attendance and minutes, the calendar
feed, and the forms to keep them. Every read asks ``permissions``; every write ``actions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatorio.accounts.models import Membership
from observatorio.catalog.models import State
from observatorio.lib.access import public

from . import actions, calendar, permissions
from .forms import BodyForm, EventForm, MemberForm, SessionForm
from .models import Agreement, Body, BodyEvent, Member, Session, StoredFile


def form_page(
    request, form, *, title: str, back: str, submit: str, intro: str = "", multipart=False
):
    return render(
        request,
        "coordination/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "intro": intro,
            "multipart": multipart,
        },
    )


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def saved(request, form, write, success: str) -> bool:
    """Run *write* (an action) for a valid *form*: True with *success* as the page's
    message, or False with the action's refusal among the form's errors."""
    try:
        write()
    except ValidationError as error:
        _form_error(form, error)
        return False
    messages.success(request, success)
    return True


def edit_page(request, form, write, success: str, done, **page):
    """A form page for one action: on a valid POST, *write()* (the action, returning the
    record) and go to *done(record)*; otherwise the form with its errors."""
    if request.method == "POST" and form.is_valid():
        written = []
        if saved(request, form, lambda: written.append(write()), success):
            return redirect(done(written[0]))
    return form_page(request, form, **page)


def of_body(user, key, record, model):
    """The body *user* manages and the record to edit in it: *record* (found), or a new
    *model* of the body *key*."""
    if record is not None:
        return permissions.body_or_404(user, record.body.key, "manage"), record
    body = permissions.body_or_404(user, key, "manage")
    return body, model(body=body)


def body_url(body: Body) -> str:
    return reverse("coordination:body", args=[body.key])


def flash_errors(request, form) -> None:
    """A posted form whose page is elsewhere: its errors become the page's messages."""
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def acted(request, write, success: str) -> None:
    """Run *write* (an action) for a button: its refusal or *success* as a message."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


# --- bodies ------------------------------------------------------------------------------


@public
def body_list(request):
    """Every body the visitor may see: the federal ones, then each state's."""
    kind = request.GET.get("tipo", "")
    bodies = (
        permissions.visible(request.user, Body.objects.all())
        .select_related("state", "parent", "lead_institution")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_agreements=Count("agreements", distinct=True),
        )
    )
    if kind in Body.Kind.values:
        bodies = bodies.filter(kind=kind)
    bodies = tree(bodies)
    federal = [b for b in bodies if b.state_id is None]
    by_state: dict[State, list[Body]] = {}
    for body in bodies:
        if body.state_id is not None:
            by_state.setdefault(body.state, []).append(body)
    return render(
        request,
        "coordination/body_list.html",
        {
            "federal": federal,
            "by_state": sorted(by_state.items(), key=lambda item: item[0].name),
            "kinds": Body.Kind.choices,
            "kind": kind,
            "may_create": bool(permissions.can(request.user, "create_body", None)),
            "overdue": permissions.visible(request.user, Agreement.objects.overdue()).count(),
        },
    )


def tree(bodies) -> list[Body]:
    """*bodies* with each one followed by its children (alphabetical at each level); a
    body whose parent is not among them starts a branch. Sets ``depth`` on each."""
    bodies = list(bodies)
    present = {b.pk for b in bodies}
    children: dict[int | None, list[Body]] = {}
    for body in bodies:
        parent = body.parent_id if body.parent_id in present else None
        children.setdefault(parent, []).append(body)
    ordered: list[Body] = []

    def walk(parent, depth):
        for body in sorted(children.get(parent, []), key=lambda b: b.name.casefold()):
            body.depth = depth
            ordered.append(body)
            walk(body.pk, depth + 1)

    walk(None, 0)
    return ordered


@public
def body_page(request, key: str):
    body = permissions.body_or_404(request.user, key)
    user = request.user
    sessions = (
        permissions.visible(user, body.sessions.all())
        .prefetch_related("attending")
        .order_by("-date", "-pk")
    )
    agreements = sorted(
        permissions.visible(user, body.agreements.all())
        .select_related("session")
        .prefetch_related("responsible"),
        key=tracker_order,
    )
    today = timezone.localdate()
    rank = {role: n for n, role in enumerate(Member.Position.values)}
    members = sorted(
        body.members.select_related("institution"),
        key=lambda m: (rank[m.role], m.institution.acronym if m.institution else "", m.person),
    )
    current = [m for m in members if m.in_force(today)]
    former = [m for m in members if not m.in_force(today)]
    children = permissions.visible(user, body.children.all()).order_by("name")
    liaisons = Membership.objects.liaison_history(body.state) if body.state_id else []
    return render(
        request,
        "coordination/body_page.html",
        {
            "body": body,
            "lineage": body.lineage(),
            "names": body.names.select_related("source"),
            "events": body.events.select_related("session", "session__body", "merged_into"),
            "members": current,
            "former": former,
            "children": children,
            "sessions": sessions,
            "agreements": agreements,
            "liaisons": liaisons,
            "may_manage": bool(permissions.can(user, "manage", body)),
            "contacts": permissions.sees_contacts(user, body),
            "status_counts": status_counts(agreements),
        },
    )


def tracker_order(agreement: Agreement):
    order = {"overdue": 0, "in_progress": 1, "pending": 2, "done": 3, "cancelled": 4}
    return (order[agreement.shown_status()], agreement.due_on or timezone.localdate(), agreement.pk)


def status_counts(agreements) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for agreement in agreements:
        counts[agreement.shown_status()] = counts.get(agreement.shown_status(), 0) + 1
    return [(key, label, counts.get(key, 0)) for key, label in Agreement.STATUS_LABELS.items()]


@login_required
def body_form(request, key: str | None = None):
    body = permissions.body_or_404(request.user, key, "manage") if key else Body()
    if not key:
        permissions.require(permissions.can(request.user, "create_body", None))
    form = BodyForm(request.user, request.POST or None, instance=body)

    def write():
        obj = form.save(commit=False)
        obj.key = obj.key or _new_key(obj)
        return actions.save_body(request.user, obj)

    return edit_page(
        request,
        form,
        write,
        _("Órgano guardado."),
        body_url,
        title=_("Editar %(body)s") % {"body": body} if key else _("Registrar un órgano"),
        back=body_url(body) if key else reverse("coordination:bodies"),
        submit=_("Guardar el órgano"),
    )


def _new_key(body: Body) -> str:
    stem = slugify(f"{body.state.iso_code[3:] if body.state else ''} {body.acronym or body.name}")[
        :50
    ]
    stem = stem.strip("-") or "organo"
    key, n = stem, 2
    while Body.objects.filter(key=key).exists():
        key, n = f"{stem}-{n}", n + 1
    return key


@login_required
def member_form(request, key: str | None = None, pk: int | None = None):
    found = get_object_or_404(Member.objects.select_related("body"), pk=pk) if pk else None
    body, member = of_body(request.user, key, found, Member)
    form = MemberForm(request.POST or None, instance=member)
    return edit_page(
        request,
        form,
        lambda: actions.save_member(request.user, form.save(commit=False)),
        _("Integrante guardado."),
        lambda member: body_url(member.body),
        title=_("Integrante de %(body)s") % {"body": body},
        back=body_url(body),
        submit=_("Guardar"),
        intro=_("Una persona o institución tiene una sola función a la vez en el órgano."),
    )


@login_required
@require_POST
def member_end(request, pk: int):
    member = get_object_or_404(Member.objects.select_related("body"), pk=pk)
    body = permissions.body_or_404(request.user, member.body.key, "manage")
    acted(
        request,
        lambda: actions.end_member(request.user, member),
        _("El periodo del integrante terminó hoy."),
    )
    return redirect("coordination:body", body.key)


@login_required
def event_form(request, key: str):
    """Record a change in the body's life (created, renamed, merged, dissolved…)."""
    body = permissions.body_or_404(request.user, key, "manage")
    form = EventForm(request.user, body, request.POST or None, instance=BodyEvent(body=body))

    def write():
        event = form.save(commit=False)
        event.new_name = form.cleaned_data.get("new_name", "")
        return actions.record_event(request.user, event)

    return edit_page(
        request,
        form,
        write,
        _("Cambio registrado en la historia del órgano."),
        lambda event: body_url(event.body),
        title=_("Historia de %(body)s: registrar un cambio") % {"body": body},
        back=body_url(body),
        submit=_("Registrar el cambio"),
    )


# --- sessions ----------------------------------------------------------------------------


@public
def session_page(request, pk):
    session = permissions.session_or_404(request.user, pk)
    user = request.user
    return render(
        request,
        "coordination/session_page.html",
        {
            "session": session,
            "body": session.body,
            "attending": session.attending.order_by("acronym"),
            "linked": permissions.visible(user, session.linked.select_related("body")),
            "agreements": permissions.visible(user, session.agreements.all()).prefetch_related(
                "responsible"
            ),
            "events": session.events.select_related("body"),
            "minutes": session.minutes if permissions.can(user, "minutes", session) else None,
            "may_manage": bool(permissions.can(user, "manage", session.body)),
        },
    )


@login_required
def session_form(request, key: str | None = None, pk=None):
    found = permissions.session_or_404(request.user, pk) if pk else None
    body, session = of_body(request.user, key, found, Session)
    form = SessionForm(
        request.user, body, request.POST or None, request.FILES or None, instance=session
    )

    def write():
        data = form.cleaned_data
        return actions.save_session(
            request.user,
            form.save(commit=False),
            attending=data["attending"],
            linked=data["linked"],
            minutes=data.get("minutes_file"),
        )

    return edit_page(
        request,
        form,
        write,
        _("Sesión guardada."),
        lambda session: reverse("coordination:session", args=[session.pk]),
        title=_("Sesión de %(body)s") % {"body": body},
        back=body_url(body),
        submit=_("Guardar la sesión"),
        multipart=True,
    )


@public
def minutes(request, pk):
    session = permissions.session_or_404(request.user, pk)
    if not permissions.can(request.user, "minutes", session):
        raise Http404
    return _file_response(session.minutes)


def _file_response(stored: StoredFile) -> HttpResponse:
    response = HttpResponse(bytes(stored.content), content_type=stored.media_type)
    disposition = "inline" if stored.media_type == "application/pdf" else "attachment"
    safe = stored.name.encode("ascii", "ignore").decode() or "archivo"
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@public
def stored_file(request, pk):
    """A file attached to a note, a request or an answer, for whoever may see its owner."""
    return _file_response(permissions.file_or_404(request.user, pk))


@public
def body_calendar(request, key: str):
    """The body's sessions as an iCalendar feed (published sessions only, for everyone)."""
    body = permissions.body_or_404(request.user, key)
    sessions = body.sessions.filter(public=True).order_by("date", "pk")
    text = calendar.feed(body, sessions, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{body.key}.ics"'
    return response
