"""The value capture pages (``/indicadores/captura/``): the values a user may see, the form
to enter or correct one, a period's values sent, approved or unlocked at once, and each
value's history. Every change goes through ``actions_values`` (which asks the policy)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import actions_values, importing, permissions
from .actions import ValuesRefused
from .forms import (
    BatchForm,
    FilterForm,
    ImportForm,
    ValueForm,
    age_choices,
    country_choices,
    objective_choices,
    sex_choices,
)
from .models import Indicator, Value

#: Rows a list shows at most; a longer list says it is cut.
LIST_LIMIT = 300


def labels() -> dict[str, dict[str, str]]:
    """Labels of the members shown in the list and the history."""
    from observatorio.catalog.models import PopulationGroup, State

    countries = dict(country_choices()[1:])
    return {
        "state": dict(State.objects.values_list("inegi_code", "name")),
        "sex": dict(sex_choices()),
        "age_group": dict(age_choices()),
        "nationality": countries,
        "country_of_birth": countries,
        "population": dict(PopulationGroup.objects.values_list("code", "name_es")),
        "objective": dict(objective_choices()[1:]),
    }


def _describe(value: Value, names: dict) -> str:
    """The cell of a value in words: «Jalisco · Mujeres · GTM»."""
    parts = [names["state"].get(value.state, value.state) if value.state else _("Nacional")]
    if value.sex:
        parts.append(str(names["sex"].get(value.sex, value.sex)))
    if value.age_group:
        parts.append(str(names["age_group"].get(value.age_group, value.age_group)))
    for field in ("nationality", "country_of_birth", "population", "objective"):
        code = getattr(value, field)
        if code:
            parts.append(str(names[field].get(code, code)))
    if value.period_label:
        parts.append(value.period_label)
    return " · ".join(parts)


@login_required
def value_list(request):
    """The values the user may see, filtered by what the URL says."""
    filters = FilterForm(request.GET or None)
    qs = permissions.visible(request.user, Value.objects.select_related("indicator"))
    if filters.is_bound and filters.is_valid():
        qs = filters.narrow(qs)
    elif filters.is_bound:
        qs = qs.none()
    qs = qs.order_by("indicator__name_es", "-period", "state", "sex", "age_group", "pk")
    rows = list(qs[: LIST_LIMIT + 1])
    cut = len(rows) > LIST_LIMIT
    rows = rows[:LIST_LIMIT]
    names = labels()
    for row in rows:
        row.cell_text = _describe(row, names)
    may_enter = permissions.submittable(request.user).exists()
    may_review = bool(permissions.can(request.user, "approve"))
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    batch = BatchForm(
        initial={"indicator": chosen.get("indicador"), "period": chosen.get("periodo")}
    )
    return render(
        request,
        "indicators/value_list.html",
        {
            "filters": filters,
            "rows": rows,
            "cut": cut,
            "limit": LIST_LIMIT,
            "may_enter": may_enter,
            "may_review": may_review,
            "batch": batch,
        },
    )


def _initial_from(value: Value) -> dict:
    initial = {name: getattr(value, name) for name in ValueForm.CELL}
    initial.update(indicator=value.indicator_id, value=value.value, status=value.status)
    return initial


@login_required
def value_form(request):
    """Enter a value, or correct one (``?valor=<id>`` starts from it)."""
    if not permissions.submittable(request.user).exists():
        raise PermissionDenied(_("Su cuenta no captura valores de ningún indicador."))
    initial = {}
    start = request.GET.get("valor", "")
    if start:
        current = permissions.get_or_404(request.user, start, "edit")
        initial = _initial_from(current)
    elif request.GET.get("indicador"):
        code = request.GET["indicador"][:60]
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is not None:
            initial["indicator"] = indicator.pk
    form = ValueForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions_values.save_value(
                request.user,
                data["indicator"],
                value=data["value"],
                status=data["status"],
                comment=data["comment"],
                **form.cell(),
            )
        except ValuesRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Se guardó el valor."))
            return redirect("indicator_values:detail", saved.pk)
    return render(
        request,
        "indicators/value_form.html",
        {"form": form, "breakdowns": _breakdowns(form.fields["indicator"].queryset)},
    )


def _breakdowns(indicators) -> list[tuple[str, str]]:
    """Each indicator the user enters, with the breakdowns its values may have."""
    names = {
        "entidad": _("entidad"),
        "sexo": _("sexo"),
        "grupo_edad": _("grupo de edad"),
        "nacionalidad": _("nacionalidad"),
        "pais_nacimiento": _("país de nacimiento"),
        "poblacion": _("grupo de población"),
    }
    return [
        (
            indicator.name_es,
            ", ".join(str(names.get(d, d)) for d in indicator.dimensions or [])
            or _("solo el total nacional"),
        )
        for indicator in indicators
    ]


@login_required
def value_detail(request, pk):
    """One value and its history."""
    value = permissions.get_or_404(request.user, pk)
    history = None
    if permissions.can(request.user, "history", value):
        history = list(value.revisions.select_related("by").order_by("at", "pk"))
    return render(
        request,
        "indicators/value_detail.html",
        {
            "value": value,
            "cell_text": _describe(value, labels()),
            "history": history,
            "may_edit": bool(permissions.can(request.user, "edit", value))
            and value.origin != Value.Origin.FORMULA,
        },
    )


DONE = {
    "enviar": lambda n: (
        ngettext("Se envió %(n)s valor a revisión.", "Se enviaron %(n)s valores a revisión.", n)
        % {"n": n}
    ),
    "aprobar": lambda n: (
        ngettext(
            "Se aprobó %(n)s valor: queda bloqueado.",
            "Se aprobaron %(n)s valores: quedan bloqueados.",
            n,
        )
        % {"n": n}
    ),
    "desbloquear": lambda n: (
        ngettext(
            "Se desbloqueó %(n)s valor: vuelve a borrador.",
            "Se desbloquearon %(n)s valores: vuelven a borrador.",
            n,
        )
        % {"n": n}
    ),
}


@login_required
@require_POST
def batch(request):
    """Send, approve or unlock every value of one indicator and period."""
    form = BatchForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or not back.startswith("/"):
        back = reverse("indicator_values:list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    indicator, period, action = data["indicator"], data["period"], data["action"]
    try:
        if action == "enviar":
            done = actions_values.submit_values(request.user, indicator, period)
        elif action == "aprobar":
            done = actions_values.approve_values(request.user, indicator, period, data["comment"])
        else:
            done = actions_values.unlock_values(request.user, indicator, period, data["comment"])
    except ValuesRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, DONE[action](done))
    return redirect(back)


@login_required
def value_import(request):
    """Values of one indicator from a file: «Revisar» is a dry run, «Importar» writes all
    the rows or none."""
    if not permissions.submittable(request.user).exists():
        raise PermissionDenied(_("Su cuenta no captura valores de ningún indicador."))
    form = ImportForm(request.user, request.POST or None, request.FILES or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        indicator = form.cleaned_data["indicator"]
        upload = form.cleaned_data["file"]
        data = upload.read(importing.MAX_BYTES + 1)
        try:
            if request.POST.get("commit"):
                checked = importing.import_values(request.user, indicator, data, upload.name)
                messages.success(
                    request,
                    _("Se importó el archivo: %(new)s valores nuevos, %(changed)s corregidos.")
                    % {"new": checked.new, "changed": checked.changed},
                )
                url = reverse("indicator_values:list")
                return redirect(f"{url}?indicador={indicator.code}")
            checked = importing.check(request.user, indicator, data, upload.name)
        except ValuesRefused as refused:
            form.add_error(None, refused.message)
            if request.POST.get("commit"):
                checked = _checked_quietly(request.user, indicator, data, upload.name)
    return render(
        request,
        "indicators/value_import.html",
        {"form": form, "checked": checked, "max_errors": importing.MAX_ERRORS},
    )


def _checked_quietly(user, indicator, data, name):
    """The dry run's errors, to show beside a refused import (None if it cannot run)."""
    try:
        return importing.check(user, indicator, data, name)
    except ValuesRefused:
        return None
