"""The forms of the value capture pages: one value, the list's filters, a batch of values.

The forms check shapes and pick-lists; the rules of a value (its indicator's dimensions,
its kind, who may enter it, the lock) are checked once, by ``actions_values``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.countries import countries
from observatorio.catalog.models import GcmObjective, PopulationGroup, State

from . import permissions
from .actions_values import MAX_COMMENT
from .models import AGE_GROUPS, CELL, DIMENSION_FIELDS, SEXES, Indicator, Value

ALL = ("", _("Todos"))


def sex_choices():
    labels = {
        "mujer": _("Mujeres"),
        "hombre": _("Hombres"),
        "no_especificado": _("No especificado"),
    }
    return [(code, labels[code]) for code in SEXES]


def age_choices():
    return [
        (code, _("No especificado") if code == "no_especificado" else _("%(g)s años") % {"g": code})
        for code in AGE_GROUPS
    ]


def state_choices():
    return [("", _("Nacional")), *State.objects.values_list("inegi_code", "name")]


def country_choices():
    english = get_language() == "en"
    return [ALL] + [(c.alpha_3, c.name_en if english else c.name_es) for c in countries()]


def population_choices():
    return [ALL, *PopulationGroup.objects.order_by("name_es").values_list("code", "name_es")]


def objective_choices():
    return [ALL] + [
        (str(o.number), f"{o.number}. {o.short or o.title}")
        for o in GcmObjective.objects.order_by("number")
    ]


def years():
    last = dt.date.today().year + 1
    return 1900, last


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.name_en if get_language() == "en" and obj.name_en else obj.name_es


def indicator_field() -> IndicatorChoice:
    """The indicator of a form: its choices are set per user (what they may enter)."""
    return IndicatorChoice(
        label=_("Indicador"),
        queryset=Indicator.objects.none(),
        empty_label=_("Elija un indicador"),
        error_messages={"invalid_choice": _("Elija un indicador de la lista.")},
    )


class ValueForm(forms.Form):
    """One value of one cell. The cell's members are chosen from lists."""

    indicator = indicator_field()
    period = forms.IntegerField(
        label=_("Periodo (año)"),
        error_messages={"invalid": _("Escriba un año, p. ej. 2024.")},
    )
    period_label = forms.CharField(
        label=_("Parte del año"),
        required=False,
        max_length=60,
        help_text=_("Vacío: el año completo; si no, los meses, p. ej. «enero-junio»."),
    )
    state = forms.ChoiceField(label=_("Entidad federativa"), required=False)
    sex = forms.ChoiceField(label=_("Sexo"), required=False)
    age_group = forms.ChoiceField(label=_("Grupo de edad"), required=False)
    nationality = forms.ChoiceField(label=_("Nacionalidad"), required=False)
    country_of_birth = forms.ChoiceField(label=_("País de nacimiento"), required=False)
    population = forms.ChoiceField(label=_("Grupo de población"), required=False)
    objective = forms.ChoiceField(label=_("Objetivo del Pacto Mundial"), required=False)
    value = forms.DecimalField(
        label=_("Valor"),
        min_value=0,
        max_digits=20,
        decimal_places=4,
        error_messages={
            "invalid": _("Escriba un número, p. ej. 1250 o 12.5."),
            "min_value": _("El valor no puede ser negativo."),
            "max_digits": _("El valor es demasiado grande."),
            "max_decimal_places": _("El valor tiene como máximo cuatro decimales."),
            "max_whole_digits": _("El valor es demasiado grande."),
        },
    )
    status = forms.ChoiceField(
        label=_("Estado del dato"), choices=Value.Status.choices, initial=Value.Status.PRELIMINARY
    )
    comment = forms.CharField(
        label=_("Comentario"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Opcional: la fuente o el motivo de una corrección."),
    )

    CELL = CELL

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = permissions.submittable(
            user, Indicator.objects.filter(numerator__isnull=True, measure="")
        ).order_by("name_es")
        first, last = years()
        self.fields["period"].min_value = first
        self.fields["period"].max_value = last
        self.fields["period"].widget.attrs.update(min=first, max=last)
        self.fields["state"].choices = state_choices()
        self.fields["sex"].choices = [ALL, *sex_choices()]
        self.fields["age_group"].choices = [ALL, *age_choices()]
        self.fields["nationality"].choices = country_choices()
        self.fields["country_of_birth"].choices = country_choices()
        self.fields["population"].choices = population_choices()
        self.fields["objective"].choices = objective_choices()
        for field in ("state", *DIMENSION_FIELDS):
            self.fields[field].error_messages["invalid_choice"] = _("Elija una opción de la lista.")
        self.fields["period"].error_messages.update(
            min_value=_("El periodo debe estar entre %(first)s y %(last)s.")
            % {"first": first, "last": last},
            max_value=_("El periodo debe estar entre %(first)s y %(last)s.")
            % {"first": first, "last": last},
        )
        self.fields["comment"].error_messages["max_length"] = _(
            "El comentario tiene como máximo %(max)s caracteres."
        ) % {"max": MAX_COMMENT}

    def cell(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CELL}


class FilterForm(forms.Form):
    """The list's filters, in the URL: indicator, period, state and review status."""

    indicador = forms.SlugField(label=_("Indicador"), required=False, max_length=60)
    periodo = forms.IntegerField(label=_("Periodo"), required=False, min_value=1900, max_value=9999)
    entidad = forms.ChoiceField(label=_("Entidad"), required=False)
    revision = forms.ChoiceField(label=_("Revisión"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicador"].widget = forms.Select(
            choices=[ALL, *Indicator.objects.order_by("name_es").values_list("code", "name_es")]
        )
        self.fields["entidad"].choices = [
            ("", _("Todas")),
            ("nacional", _("Nacional")),
            *State.objects.values_list("inegi_code", "name"),
        ]
        self.fields["revision"].choices = [ALL, *Value.Review.choices]
        self.fields["periodo"].error_messages.update(
            invalid=_("Escriba un año, p. ej. 2024."),
            min_value=_("Escriba un año a partir de 1900."),
            max_value=_("Escriba un año de cuatro cifras."),
        )
        for name in ("entidad", "revision"):
            self.fields[name].error_messages["invalid_choice"] = _("Elija una opción de la lista.")

    def narrow(self, qs):
        data = self.cleaned_data
        if data.get("indicador"):
            qs = qs.filter(indicator__code=data["indicador"])
        if data.get("periodo"):
            qs = qs.filter(period=data["periodo"])
        if data.get("entidad") == "nacional":
            qs = qs.filter(state="")
        elif data.get("entidad"):
            qs = qs.filter(state=data["entidad"])
        if data.get("revision"):
            qs = qs.filter(review=data["revision"])
        return qs


class BatchForm(forms.Form):
    """Send, approve or unlock every value of one indicator and period."""

    ACTIONS = ("enviar", "aprobar", "desbloquear")

    indicator = IndicatorChoice(
        label=_("Indicador"),
        queryset=Indicator.objects.order_by("name_es"),
        to_field_name="code",
        empty_label=_("Elija un indicador"),
        error_messages={"invalid_choice": _("Elija un indicador de la lista.")},
    )
    period = forms.IntegerField(
        label=_("Periodo (año)"),
        min_value=1900,
        max_value=9999,
        error_messages={
            "invalid": _("Escriba un año, p. ej. 2024."),
            "min_value": _("Escriba un año a partir de 1900."),
            "max_value": _("Escriba un año de cuatro cifras."),
        },
    )
    action = forms.ChoiceField(
        choices=[(a, a) for a in ACTIONS],
        error_messages={"invalid_choice": _("Acción desconocida.")},
    )
    comment = forms.CharField(
        label=_("Comentario o motivo"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("El comentario tiene como máximo 2000 caracteres.")},
    )


class ImportForm(forms.Form):
    """A CSV or XLSX file of values of one indicator."""

    indicator = indicator_field()
    file = forms.FileField(
        label=_("Archivo CSV o XLSX"),
        help_text=_(
            "Columnas: period, state, sex, age_group, nationality, country_of_birth, "
            "population, objective, value, status. Hasta 5 MB y 50,000 filas."
        ),
        error_messages={
            "required": _("Elija el archivo."),
            "empty": _("El archivo está vacío."),
            "invalid": _("Elija el archivo."),
        },
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = permissions.submittable(
            user, Indicator.objects.filter(numerator__isnull=True, measure="")
        ).order_by("name_es")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Suba un archivo .csv o .xlsx."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("El archivo pesa más de 5 MB."))
        return upload


MAX_UPLOAD = 5 * 1024 * 1024
