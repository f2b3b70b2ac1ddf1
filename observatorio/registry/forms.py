"""The registry's forms: pick-lists from the catalogues, Spanish first. The forms only
shape input; the rules live in :mod:`.checks` and the actions, whose refusals come back
as the forms' errors (:func:`refused_into`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.countries import countries
from observatorio.catalog.models import Institution, PopulationGroup

from .checks import Refused
from .models import Consent, FamilyLink, Need, Person
from .models_care import Referral

DATE = forms.DateInput(attrs={"type": "date"})


def _countries():
    english = get_language().startswith("en")
    named = [(c.alpha_3, c.name_en if english else c.name_es) for c in countries()]
    return [("", _("— Elija —"))] + sorted(named, key=lambda item: item[1])


def _populations():
    return [("", _("— Elija —"))] + [(p.code, p.name) for p in PopulationGroup.objects.all()]


class IdentityForm(forms.Form):
    given_names = forms.CharField(label=_("Nombre(s)"), max_length=120)
    surnames = forms.CharField(label=_("Apellidos"), max_length=120, required=False)
    birth_date = forms.DateField(label=_("Fecha de nacimiento"), required=False, widget=DATE)
    declared_age = forms.IntegerField(
        label=_("Edad (si no sabe la fecha)"), required=False, min_value=0, max_value=120
    )
    sex = forms.ChoiceField(label=_("Sexo"), choices=Person.Sex.choices)
    nationality = forms.ChoiceField(label=_("Nacionalidad"))
    country_of_birth = forms.ChoiceField(label=_("País de nacimiento"))
    population = forms.ChoiceField(label=_("Grupo de población"))
    languages = forms.CharField(
        label=_("Idiomas"), required=False, max_length=200, help_text=_("Separados por comas.")
    )
    curp = forms.CharField(label=_("CURP (si tiene)"), required=False, max_length=18)
    phone = forms.CharField(label=_("Teléfono"), required=False, max_length=25)
    without_documents = forms.BooleanField(
        label=_("No tiene documento de identidad"), required=False
    )
    guardian = forms.ChoiceField(
        label=_("Si es menor de edad: quién le acompaña o representa"),
        choices=Person.Guardian.choices,
        required=False,
    )
    guardian_name = forms.CharField(
        label=_("Nombre de quien le acompaña"), required=False, max_length=120
    )
    authority = forms.CharField(
        label=_("Procuraduría de Protección que interviene (sin compañía)"),
        required=False,
        max_length=120,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _countries()
        self.fields["country_of_birth"].choices = _countries()
        self.fields["population"].choices = _populations()
        self.fields["birth_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name in ("given_names", "surnames", "curp", "phone", "guardian_name", "authority"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    @classmethod
    def initial_from(cls, person: Person) -> dict:
        return {
            "given_names": person.given_names,
            "surnames": person.surnames,
            "birth_date": person.birth(),
            "declared_age": person.declared_age,
            "sex": person.sex,
            "nationality": person.nationality,
            "country_of_birth": person.country_of_birth,
            "population": person.population,
            "languages": ", ".join(person.languages),
            "curp": person.curp,
            "phone": person.phone,
            "without_documents": person.without_documents,
            "guardian": person.guardian,
            "guardian_name": person.guardian_name,
            "authority": person.authority,
        }


class RegistrationForm(IdentityForm):
    centre = forms.ModelChoiceField(label=_("Centro"), queryset=None, empty_label=None)
    consent_registro = forms.BooleanField(
        label=_("Acepta que se registren sus datos (obligatorio)"), required=False
    )
    consent_compartir = forms.BooleanField(
        label=_("Acepta que se compartan sus datos con el servicio al que se le canalice"),
        required=False,
    )
    consent_seguimiento = forms.BooleanField(
        label=_("Acepta que se le contacte para dar seguimiento"), required=False
    )
    consent_estadistica = forms.BooleanField(
        label=_("Acepta que se le cuente en estadísticas anónimas"), required=False
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Necesidades identificadas"),
        queryset=Need.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["centre", "consent_registro", "consent_compartir", "consent_seguimiento"]

    def __init__(self, centres, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean(self):
        data = super().clean()
        if not data.get("consent_registro"):
            self.add_error(
                "consent_registro",
                _("Sin el consentimiento para el registro no se registra a nadie."),
            )
        return data

    def consents(self) -> dict[str, bool]:
        return {p: bool(self.cleaned_data.get(f"consent_{p}")) for p in Consent.Purpose.values}


class ContactForm(forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("Necesidades identificadas"),
        queryset=Need.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notas"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferralForm(forms.Form):
    need = forms.ModelChoiceField(
        label=_("Necesidad"), queryset=Need.objects.all(), to_field_name="code"
    )
    service = forms.ModelChoiceField(
        label=_("Servicio de un centro"), queryset=None, required=False
    )
    institution = forms.ModelChoiceField(
        label=_("O una institución externa"), queryset=Institution.objects.all(), required=False
    )
    due_on = forms.DateField(label=_("Fecha compromiso"), required=False, widget=DATE)
    shared = forms.MultipleChoiceField(
        label=_("Datos que se comparten (según su consentimiento)"),
        choices=[
            ("nombre", _("Nombre")),
            ("fecha_nacimiento", _("Fecha de nacimiento")),
            ("telefono", _("Teléfono")),
            ("curp", _("CURP")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Nota"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, services, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.centre.name} · {s.name}"


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=Referral.Status.choices)
    note = forms.CharField(
        label=_("Nota de seguimiento"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RelativeForm(forms.Form):
    relation = forms.ChoiceField(label=_("Parentesco"), choices=FamilyLink.Relation.choices)
    relative_name = forms.CharField(label=_("Nombre del familiar"), max_length=120)
    searching = forms.BooleanField(label=_("Lo busca (reunificación familiar)"), required=False)


class SearchForm(forms.Form):
    curp = forms.CharField(label=_("CURP"), required=False, max_length=18)
    phone = forms.CharField(label=_("Teléfono"), required=False, max_length=25)
    names = forms.CharField(label=_("Nombre y apellidos"), required=False, max_length=240)
    birth_date = forms.DateField(label=_("Fecha de nacimiento"), required=False, widget=DATE)


def refused_into(form: forms.Form, refused: Refused) -> None:
    """Put an action's refusal on *form*: on its field when the form has it."""
    for field, messages in refused.errors.items():
        target = field if field in form.fields else None
        if field.startswith("consent_") and field in form.fields:
            target = field
        for message in messages:
            form.add_error(target, message)
