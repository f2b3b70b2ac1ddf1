"""The registry's staff pages (a desk at a centre, on a phone): search, register, a
person's timeline, contacts, referrals, consents, ARCO, duplicates and the access log.

Every page asks the policy (:mod:`.permissions`); a person or referral the user may not
see answers 404 like a missing one and the attempt is logged. Every read of a record is
written to the access log. Posted identity never reaches an error report
(``sensitive_post_parameters``) and no page is cached.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from observatorio.catalog.countries import countries
from observatorio.catalog.models import State
from observatorio.lib.access import public

from . import actions, audit, checks, permissions
from .aggregates import KEY_ORDER, indicators, protected, publish, stored
from .checks import Refused
from .forms import (
    ContactForm,
    IdentityForm,
    ReferralForm,
    ReferralUpdateForm,
    RegistrationForm,
    RelativeForm,
    SearchForm,
    refused_into,
)
from .models import Centre, Consent, Person, Service
from .models_care import AccessLog, Referral

Action = AccessLog.Action


def staff_page(view):
    """Signed in, registry staff with a post (else 403 with the reason and a log line),
    nothing cached, posted identity hidden from error reports."""

    @never_cache
    @sensitive_post_parameters()
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # Refused and logged like any other attempt, then sent to sign in.
            ref = str(kwargs.get("ref", ""))
            permissions.refuse_and_log(request.user, view.__name__, permissions.SIGN_IN, ref)
            return redirect_to_login(request.get_full_path())
        decision = permissions.can(request.user, "work")
        if not decision:
            permissions.refuse_and_log(request.user, "registro", decision.reason)
            raise PermissionDenied(decision.reason)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def person_url(person) -> str:
    return reverse("registry:person", args=[person.ref])


@staff_page
@sensitive_variables()
def home(request):
    """Search by CURP, phone or name and birth date; today's work of the user's centres."""
    user = request.user
    # Searched by POST: an identity never travels in a URL (server logs, history, referrers).
    search = SearchForm(request.POST or None)
    found = None
    if search.is_bound and search.is_valid():
        data = search.cleaned_data
        if any(data.values()):
            found = actions.find(
                user,
                curp=data["curp"],
                phone=data["phone"],
                names=data["names"],
                birth_date=data["birth_date"].isoformat() if data["birth_date"] else "",
            )
    referrals = permissions.referrals_for(user).select_related(
        "need", "service__centre", "institution", "person", "from_centre"
    )
    centres = Centre.objects.filter(pk__in=permissions.Posts.of(user).centres)
    today = timezone.localdate()
    open_ = referrals.filter(status__in=Referral.OPEN)
    return render(
        request,
        "registry/home.html",
        {
            "search": search,
            "found": found,
            "centres": centres,
            "overdue": open_.filter(due_on__lt=today).order_by("due_on")[:50],
            "received": open_.filter(service__centre__in=centres).order_by("due_on")[:50],
            "recent": permissions.visible(user).select_related("centre")[:20],
            "may_read_log": permissions.can(user, "read_log"),
        },
    )


@staff_page
@sensitive_variables()
def register(request):
    user = request.user
    centres = Centre.objects.filter(pk__in=permissions.Posts.of(user).centres, active=True)
    form = RegistrationForm(centres, request.POST or None, initial={"sex": "no_especificado"})
    if request.method == "POST" and request.GET.get("validar"):
        # As the desk types (htmx): the same checks, nothing saved, errors only for what
        # has been filled in (and for who accompanies a child, once the age says so).
        checked_form(form)
        return render(request, "registry/_checked.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = actions.register(
                user,
                data.pop("centre"),
                data,
                form.consents(),
                [n.code for n in data.pop("needs")],
            )
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, _("Persona registrada."))
            return redirect(person_url(person))
    return render(request, "registry/register.html", {"form": form})


#: Fields whose errors show while typing even when empty (a child's company).
MINOR_FIELDS = ("guardian", "guardian_name", "authority")


@sensitive_variables()
def checked_form(form: RegistrationForm) -> None:
    """Validate *form* as the action would, then keep only the errors of the fields filled
    in (an empty field the person has not reached is not yet an error)."""
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("centre", "needs")}
    try:
        checks.identity(data)
    except Refused as refused:
        refused_into(form, refused)
    posted = {name for name, value in form.data.items() if value not in ("", None)}
    minor = any(
        message
        for message in form.errors.get("guardian", [])
        + form.errors.get("guardian_name", [])
        + form.errors.get("authority", [])
    )
    for name in list(form.errors):
        if name in posted or (minor and name in MINOR_FIELDS):
            continue
        del form.errors[name]


@staff_page
def person(request, ref):
    user = request.user
    person = permissions.person_or_404(user, ref)
    audit.note(user, Action.READ, "persona", person=person)
    contacts = person.contacts.select_related("centre").prefetch_related("needs__need")
    referrals = person.referrals.select_related("need", "service__centre", "institution")
    consents = {}
    for consent in person.consents.order_by("at", "pk"):
        consents[consent.purpose] = consent
    services = Service.objects.filter(active=True).select_related("centre", "need")
    return render(
        request,
        "registry/person.html",
        {
            "person": person,
            "age": person.age(),
            "contacts": contacts,
            "referrals": referrals.prefetch_related("notes"),
            "consents": [(p, consents.get(p.value)) for p in Consent.Purpose],
            "family": person.family.all(),
            "contact_form": ContactForm(),
            "referral_form": ReferralForm(services),
            "relative_form": RelativeForm(),
            "may_change": permissions.can(user, "change_person", person),
        },
    )


def _posted(request, person, form, write, success: str):
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except Refused as refused:
            for message in refused.errors.values():
                messages.error(request, " ".join(message))
        else:
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(person_url(person))


@staff_page
@require_POST
def contact(request, ref):
    person = permissions.person_or_404(request.user, ref)
    return _posted(
        request,
        person,
        ContactForm(request.POST),
        lambda d: actions.record_contact(
            request.user, person, [n.code for n in d["needs"]], d["notes"]
        ),
        _("Atención registrada."),
    )


@staff_page
@require_POST
def refer(request, ref):
    person = permissions.person_or_404(request.user, ref)
    form = ReferralForm(Service.objects.filter(active=True), request.POST)
    return _posted(
        request,
        person,
        form,
        lambda d: actions.refer(
            request.user,
            person,
            d["need"].code,
            service=d["service"],
            institution=d["institution"],
            due_on=d["due_on"],
            shared=d["shared"],
            note=d["note"],
        ),
        _("Canalización enviada."),
    )


@staff_page
@require_POST
def relative(request, ref):
    person = permissions.person_or_404(request.user, ref)
    return _posted(
        request,
        person,
        RelativeForm(request.POST),
        lambda d: actions.add_relative(
            request.user, person, d["relation"], d["relative_name"], searching=d["searching"]
        ),
        _("Familiar registrado."),
    )


@staff_page
@require_POST
def consent(request, ref):
    person = permissions.person_or_404(request.user, ref)
    purpose = request.POST.get("purpose", "")
    granted = request.POST.get("granted") == "si"
    if (
        purpose == Consent.Purpose.REGISTRATION
        and not granted
        and request.POST.get("confirmar") != "si"
    ):
        messages.error(
            request,
            _(
                "Marque la confirmación: retirar este consentimiento borra la identidad de la "
                "persona."
            ),
        )
        return redirect(person_url(person))
    try:
        actions.set_consent(request.user, person, purpose, granted)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        if purpose == Consent.Purpose.REGISTRATION and not granted:
            messages.success(
                request,
                _(
                    "Consentimiento retirado: el registro quedó anonimizado; sus conteos "
                    "se conservan."
                ),
            )
        else:
            messages.success(request, _("Consentimiento actualizado."))
    return redirect(person_url(person))


@staff_page
@sensitive_variables()
def rectify(request, ref):
    person = permissions.person_or_404(request.user, ref, "change_person")
    if person.anonymised:
        messages.error(request, permissions.ANONYMISED)
        return redirect(person_url(person))
    audit.note(request.user, Action.READ, "persona", person=person, detail="rectificacion")
    form = IdentityForm(request.POST or None, initial=IdentityForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        try:
            actions.rectify(request.user, person, form.cleaned_data)
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, _("Datos corregidos."))
            return redirect(person_url(person))
    return render(request, "registry/rectify.html", {"form": form, "person": person})


@staff_page
def export(request, ref):
    """ARCO access: the person's whole record, to hand to them (JSON)."""
    person = permissions.person_or_404(request.user, ref)
    record = actions.export_record(request.user, person)
    response = HttpResponse(
        json.dumps(record, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="registro-{str(person.ref)[:8]}.json"'
    response["Cache-Control"] = "no-store"
    return response


@staff_page
def referral(request, pk):
    user = request.user
    referral = permissions.referral_or_404(user, pk)
    holder = bool(permissions.can(user, "view_person", referral.person))
    audit.note(user, Action.READ, "canalizacion", person=referral.person)
    form = ReferralUpdateForm(request.POST or None, initial={"status": referral.status})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_referral(
                user, referral, form.cleaned_data["status"], form.cleaned_data["note"]
            )
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, _("Canalización actualizada."))
            return redirect(reverse("registry:referral", args=[referral.pk]))
    return render(
        request,
        "registry/referral.html",
        {
            "referral": referral,
            "person": referral.person,
            "holder": holder,
            "shared": set(referral.shared),
            "notes": referral.notes.all(),
            "form": form,
        },
    )


@staff_page
def duplicates(request):
    user = request.user
    if request.method == "POST":
        first = permissions.person_or_404(user, request.POST.get("first", ""), "view_person")
        second = permissions.Person.objects.filter(ref=request.POST.get("second", "")).first()
        if second is None:
            raise PermissionDenied
        try:
            actions.dismiss_duplicate(user, first, second)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Sugerencia descartada: no se volverá a mostrar."))
        return redirect(reverse("registry:duplicates"))
    return render(request, "registry/duplicates.html", {"pairs": actions.possible_duplicates(user)})


@staff_page
def access_log(request):
    user = request.user
    decision = permissions.can(user, "read_log")
    if not decision:
        permissions.refuse_and_log(user, "bitacora", decision.reason)
        raise PermissionDenied(decision.reason)
    entries = permissions.log_for(user).select_related("user", "centre")
    person_ref = request.GET.get("persona", "").strip()[:36]
    if person_ref:
        entries = entries.filter(person_ref=person_ref)
    action = request.GET.get("accion", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    audit.note(user, Action.READ, "bitacora")
    return render(
        request,
        "registry/access_log.html",
        {
            "entries": entries[:500],
            "actions": Action.choices,
            "chosen": action,
            "person_ref": person_ref,
        },
    )


#: The tables the page of figures shows, of every indicator: (title, dimension).
SHOWN = (
    (gettext_lazy("Por sexo"), "sex"),
    (gettext_lazy("Por grupo de edad"), "age_group"),
    (gettext_lazy("Por nacionalidad"), "nationality"),
    (gettext_lazy("Por entidad del centro"), "state"),
)


def _year(request) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("anio", today))
    except ValueError:
        return today
    return year if 2000 <= year <= today else today


def member_names() -> dict[tuple[str, str], str]:
    """How the page names a member of a dimension: states, sexes and countries by name."""
    english = get_language().startswith("en")
    names = {("state", s.inegi_code): s.name for s in State.objects.all()}
    names.update({("sex", value): label for value, label in Person.Sex.choices})
    names[("age_group", "no_especificado")] = _("No especificado")
    for country in countries():
        names[("nationality", country.alpha_3)] = country.name_en if english else country.name_es
    return names


@public
@never_cache
def figures(request):
    """The registry's counts, protected like every published statistic (no identity, small
    cells suppressed over the whole table). Staff and reviewers compute them again."""
    year = _year(request)
    user = request.user
    may_compute = bool(permissions.can(user, "aggregate"))
    if request.method == "POST":
        if not may_compute:
            raise PermissionDenied(_("Solo el personal del registro y la UPM calculan las cifras."))
        result = publish(year)
        messages.success(
            request,
            _("Cifras de %(year)s calculadas: %(n)d indicadores.")
            % {"year": year, "n": len(result.written)},
        )
        for code, reason in result.skipped.items():
            messages.warning(request, f"{code}: {reason}")
        return redirect(reverse("registry:figures") + f"?anio={year}")
    blocks = []
    names = member_names()
    for indicator, _kind, _need in indicators():
        cells = stored(indicator, year)
        if not cells:
            continue
        shown = protected(indicator, cells)
        total = shown.get(("", "", "", "", "", "", ""))
        tables = []
        for title, dimension in SHOWN:
            position = KEY_ORDER.index(dimension)
            rows = sorted(
                ((key[position], names.get((dimension, key[position]), key[position])), value)
                for key, value in shown.items()
                if key[position] and sum(bool(part) for part in key) == 1
            )
            tables.append((title, dimension, rows))
        blocks.append({"indicator": indicator, "total": total, "tables": tables})
    return render(
        request,
        "registry/figures.html",
        {"year": year, "blocks": blocks, "may_compute": may_compute},
    )
