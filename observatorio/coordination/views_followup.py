"""The follow-up pages: the agreements tracker (by body, state, institution, status,
overdue — all in the URL), an agreement with its notes, information requests with their
completeness by state, and each state's council, Modelo, installation steps and proposals.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from observatorio.accounts.models import Membership
from observatorio.catalog.models import State
from observatorio.lib.access import public
from observatorio.programs.completeness import Lateness, lateness

from . import actions, permissions
from .forms import (
    AgreementFilter,
    AgreementForm,
    AnswerForm,
    NoteForm,
    PointForm,
    ProposalForm,
    RequestForm,
    ReviewForm,
    StepForm,
)
from .models import Agreement, Body
from .models_states import InformationRequest, InstallationStep, ModelPoint, Proposal, RequestAnswer
from .views import (
    acted,
    body_url,
    edit_page,
    flash_errors,
    of_body,
    status_counts,
    tracker_order,
    tree,
)

# --- agreements --------------------------------------------------------------------------


@public
def agreement_list(request):
    """The tracker: agreements the visitor may see, filtered by what the URL says."""
    user = request.user
    filters = AgreementFilter(user, request.GET or None)
    qs = permissions.visible(user, Agreement.objects.all()).select_related(
        "body", "body__state", "session"
    )
    query = filters.query()
    qs = qs.none() if filters.is_bound and not filters.is_valid() else qs.tracked(**query)
    rows = sorted(qs.prefetch_related("responsible").distinct(), key=tracker_order)
    return render(
        request,
        "coordination/agreement_list.html",
        {
            "filters": filters,
            "rows": rows,
            "status_counts": status_counts(rows),
            "csv_url": reverse("api:agreement-list")
            + "?"
            + urlencode({"format": "csv", "page_size": "500", **query}),
        },
    )


@public
def agreement_page(request, pk):
    agreement = permissions.agreement_or_404(request.user, pk)
    user = request.user
    follow = bool(permissions.can(user, "follow_up", agreement))
    comment = bool(permissions.can(user, "comment", agreement))
    form = NoteForm(may_follow_up=follow) if comment else None
    return render(
        request,
        "coordination/agreement_page.html",
        {
            "agreement": agreement,
            "body": agreement.body,
            "responsible": agreement.responsible.order_by("acronym"),
            "notes": agreement.notes.select_related("author").prefetch_related("evidence"),
            "centres": agreement.centres.select_related("state"),
            "form": form,
            "may_manage": bool(permissions.can(user, "manage", agreement.body)),
        },
    )


@login_required
@require_POST
def agreement_note(request, pk):
    agreement = permissions.agreement_or_404(request.user, pk, "comment")
    follow = bool(permissions.can(request.user, "follow_up", agreement))
    form = NoteForm(request.POST, request.FILES, may_follow_up=follow)
    if form.is_valid():
        data = form.cleaned_data
        acted(
            request,
            lambda: actions.add_note(
                request.user,
                agreement,
                data["kind"],
                data["text"],
                status_to=data.get("status_to", ""),
                uploads=data.get("evidence") or [],
            ),
            _("Nota registrada."),
        )
    else:
        flash_errors(request, form)
    return redirect("coordination:agreement", agreement.pk)


@login_required
def agreement_form(request, key: str | None = None, pk=None):
    found = permissions.agreement_or_404(request.user, pk) if pk else None
    body, agreement = of_body(request.user, key, found, Agreement)
    form = AgreementForm(body, request.POST or None, instance=agreement)
    return edit_page(
        request,
        form,
        lambda: actions.save_agreement(
            request.user, form.save(commit=False), form.cleaned_data["responsible"]
        ),
        _("Acuerdo guardado."),
        lambda agreement: reverse("coordination:agreement", args=[agreement.pk]),
        title=_("Acuerdo de %(body)s") % {"body": body},
        back=body_url(body),
        submit=_("Guardar el acuerdo"),
    )


# --- information requests ----------------------------------------------------------------


@login_required
def request_list(request):
    user = request.user
    permissions.require(permissions.can(user, "list_requests"))
    requests = permissions.requests_for(user).prefetch_related("states", "answers")
    rows = []
    for item in requests:
        states = list(item.states.all())
        answered = {a.state_id for a in item.answers.all()}
        rows.append((item, len(states), sum(1 for s in states if s.pk in answered)))
    return render(
        request,
        "coordination/request_list.html",
        {"rows": rows, "may_send": bool(permissions.can(user, "send_request"))},
    )


@login_required
def request_form(request):
    permissions.require(permissions.can(request.user, "send_request"))
    form = RequestForm(request.POST or None, request.FILES or None)

    def write():
        data = form.cleaned_data
        return actions.send_request(
            request.user,
            title=data["title"],
            question=data["question"],
            deadline=data["deadline"],
            states=data["states"],
            uploads=data.get("files") or [],
        )

    return edit_page(
        request,
        form,
        write,
        _("Solicitud enviada."),
        lambda sent: reverse("coordination:request", args=[sent.pk]),
        title=_("Nueva solicitud de información"),
        back=reverse("coordination:requests"),
        submit=_("Enviar la solicitud"),
        multipart=True,
    )


def completeness_rows(item: InformationRequest, on=None) -> list[dict]:
    """One row per state asked: its answer (if any), status and lateness, gaps first."""
    day = on or timezone.localdate()
    answers = {a.state_id: a for a in item.answers.prefetch_related("files")}
    rows = []
    for state in item.states.order_by("name"):
        answer = answers.get(state.pk)
        first = answer.first_answered_at if answer else None
        when = lateness(answer is not None, first, item.deadline, day)
        rows.append(
            {
                "state": state,
                "answer": answer,
                "lateness": when,
                "lateness_label": Lateness.LABELS[when],
            }
        )
    rows.sort(key=lambda r: (Lateness.ORDER[r["lateness"]], r["state"].name))
    return rows


@login_required
def request_page(request, pk):
    item = permissions.request_or_404(request.user, pk)
    user = request.user
    reviews = bool(permissions.can(user, "review_answers"))
    rows = completeness_rows(item)
    mine = list(permissions.answerable_states(user, item))
    if not reviews:
        rows = [r for r in rows if r["state"] in mine]
    answers = {r["state"].pk: r["answer"] for r in rows}
    answer_forms = []
    for state in mine:
        answer = answers.get(state.pk)
        may = bool(permissions.can(user, "answer", (item, state)))
        if may and (answer is None or answer.status != RequestAnswer.Status.ACCEPTED):
            initial = {"text": answer.text} if answer else None
            answer_forms.append((state, AnswerForm(initial=initial, prefix=f"s{state.inegi_code}")))
    if reviews:
        for row in rows:
            answer = row["answer"]
            if answer is not None and answer.status != RequestAnswer.Status.ACCEPTED:
                row["review_form"] = ReviewForm(prefix=f"r{answer.pk}")
    missing = sum(1 for r in rows if r["answer"] is None)
    return render(
        request,
        "coordination/request_page.html",
        {
            "item": item,
            "rows": rows,
            "reviews": reviews,
            "answer_forms": answer_forms,
            "answered": len(rows) - missing,
            "missing": missing,
            "attachments": item.attachments.all(),
        },
    )


@login_required
@require_POST
def request_answer(request, pk, state: str):
    item = permissions.request_or_404(request.user, pk)
    target = get_object_or_404(State, inegi_code=state)
    form = AnswerForm(request.POST, request.FILES, prefix=f"s{target.inegi_code}")
    if form.is_valid():
        data = form.cleaned_data
        acted(
            request,
            lambda: actions.answer_request(request.user, item, target, data["text"], data["files"]),
            _("Respuesta enviada."),
        )
    else:
        flash_errors(request, form)
    return redirect("coordination:request", item.pk)


@login_required
@require_POST
def request_close(request, pk):
    """UPM closes a request (no more answers) or opens it again."""
    item = permissions.request_or_404(request.user, pk)
    closing = request.POST.get("closed") == "1"
    acted(
        request,
        lambda: actions.close_request(request.user, item, closed=closing),
        _("Solicitud cerrada.") if closing else _("Solicitud abierta de nuevo."),
    )
    return redirect("coordination:request", item.pk)


@login_required
@require_POST
def answer_review(request, pk):
    answer = get_object_or_404(RequestAnswer.objects.select_related("request"), pk=pk)
    permissions.request_or_404(request.user, answer.request_id)
    permissions.require(permissions.can(request.user, "review_answers"))
    form = ReviewForm(request.POST, prefix=f"r{answer.pk}")
    if form.is_valid():
        data = form.cleaned_data
        acted(
            request,
            lambda: actions.review_answer(request.user, answer, data["status"], data["note"]),
            _("Respuesta revisada."),
        )
    else:
        flash_errors(request, form)
    return redirect("coordination:request", answer.request_id)


# --- each state --------------------------------------------------------------------------


def _state(slug: str) -> State:
    for state in State.objects.all():
        if state.slug == slug:
            return state
    raise Http404


@public
def state_page(request, slug: str):
    state = _state(slug)
    user = request.user
    bodies = permissions.visible(user, Body.objects.filter(state=state)).select_related(
        "parent", "lead_institution"
    )
    steps = {
        s.step: s for s in InstallationStep.objects.filter(state=state).prefetch_related("files")
    }
    may_edit = bool(permissions.can(user, "edit_state", state))
    return render(
        request,
        "coordination/state_page.html",
        {
            "state": state,
            "bodies": tree(bodies),
            "liaisons": Membership.objects.liaison_history(state),
            "steps": [
                (number, label, steps.get(number), InstallationStep.SOURCE_LINES[number])
                for number, label in InstallationStep.Step.choices
            ],
            "points": ModelPoint.objects.filter(state=state),
            "proposals": Proposal.objects.filter(state=state),
            "may_edit": may_edit,
            "step_form": StepForm() if may_edit else None,
            "agreements": permissions.visible(
                user, Agreement.objects.filter(Q(body__state=state))
            ).count(),
        },
    )


@login_required
@require_POST
def step_save(request, slug: str, step: int):
    state = _state(slug)
    form = StepForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        acted(
            request,
            lambda: actions.save_step(
                request.user, state, step, data["status"], data["evidence"], data["files"]
            ),
            _("Paso actualizado."),
        )
    else:
        flash_errors(request, form)
    return redirect("coordination:state", state.slug)


def _state_record(request, slug, pk, model, form_class, save, success, title):
    """The form of one of a state's records (a point of its Modelo, a proposal)."""
    state = _state(slug)
    permissions.require(permissions.can(request.user, "edit_state", state))
    record = get_object_or_404(model, pk=pk, state=state) if pk else model(state=state)
    form = form_class(request.POST or None, instance=record)
    back = reverse("coordination:state", args=[state.slug])
    return edit_page(
        request,
        form,
        lambda: save(request.user, form.save(commit=False)),
        str(success),
        lambda _record: back,
        title=str(title) % {"state": state.name},
        back=back,
        submit=_("Guardar"),
    )


#: A state's records edited on its page: model, form, action, message, page title.
STATE_RECORDS = {
    "point": (
        ModelPoint,
        PointForm,
        actions.save_point,
        gettext_lazy("Punto del Modelo guardado."),
        gettext_lazy("Modelo de %(state)s: punto de acción"),
    ),
    "proposal": (
        Proposal,
        ProposalForm,
        actions.save_proposal,
        gettext_lazy("Propuesta guardada."),
        gettext_lazy("Propuesta recibida en %(state)s"),
    ),
}


@login_required
def point_form(request, slug: str, pk=None):
    return _state_record(request, slug, pk, *STATE_RECORDS["point"])


@login_required
def proposal_form(request, slug: str, pk=None):
    return _state_record(request, slug, pk, *STATE_RECORDS["proposal"])
