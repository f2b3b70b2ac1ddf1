"""The forms of the coordination pages. Each validates what it can see; the actions check the
rest (who may, clashes with other records) and write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State

from . import files as file_checks
from . import permissions
from .models import Agreement, AgreementNote, Body, BodyEvent, Member, Session
from .models_states import InformationRequest, InstallationStep, ModelPoint, Proposal, RequestAnswer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ORDER = _("La fecha de término es anterior a la de inicio.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (each checked by ``files.check``)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _dates(form: forms.ModelForm, *fields: str) -> None:
    for name in fields:
        if name in form.fields:
            form.fields[name].widget = DATE
            form.fields[name].error_messages["invalid"] = _("Escriba la fecha como AAAA-MM-DD.")


def _institutions(field) -> None:
    field.queryset = Institution.objects.order_by("acronym")
    field.label_from_instance = lambda i: f"{i.acronym} — {i.name}"


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = [
            *Body.DETAILS,
            "dissolved_on",
            "lead_institution",
            "lead_person",
            "description",
            "public",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "installed_on", "dissolved_on")
        self.fields["state"].queryset = permissions.editable_states(
            user, State.objects.order_by("name")
        )
        # Only UPM registers federal bodies (no state); an enlace registers their state's.
        self.fields["state"].required = not permissions.can(user, "create_federal_body")
        self.fields["parent"].queryset = permissions.manageable_bodies(user).order_by("name")
        _institutions(self.fields["lead_institution"])
        self.fields["description"].widget.attrs["rows"] = 3

    def clean(self):
        data = super().clean()
        start, end = data.get("installed_on"), data.get("dissolved_on")
        if start and end and end < start:
            self.add_error(
                "dissolved_on", _("La fecha de disolución es anterior a la de instalación.")
            )
        parent, state = data.get("parent"), data.get("state")
        if parent is not None and parent.state_id and state and parent.state_id != state.pk:
            self.add_error("parent", _("El órgano del que depende es de otra entidad federativa."))
        return data


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "institution",
            "person",
            "sector",
            "role",
            "started_on",
            "ended_on",
            "email",
            "phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "started_on", "ended_on")
        _institutions(self.fields["institution"])

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", ORDER)
        if not data.get("institution") and not (data.get("person") or "").strip():
            raise forms.ValidationError(
                _("Indique la institución o la persona que ocupa el lugar.")
            )
        return data


class SessionForm(forms.ModelForm):
    minutes_file = forms.FileField(
        label=_("Acta (PDF)"),
        required=False,
        help_text=_("Un PDF de hasta 10 MB. Si sube otro, reemplaza al actual."),
    )

    class Meta:
        model = Session
        fields = [
            *Session.DETAILS,
            "description",
            "attending",
            "attendees",
            "linked",
            "public",
            "minutes_public",
        ]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, user, body: Body, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        _dates(self, "date")
        _institutions(self.fields["convened_by"])
        _institutions(self.fields["attending"])
        self.fields["attending"].widget.attrs["size"] = 8
        self.fields["linked"].queryset = (
            permissions.visible(user, Session.objects.exclude(body=body))
            .select_related("body")
            .order_by("-date")
        )
        self.fields["linked"].label_from_instance = lambda s: str(s)
        self.fields["attendees"].widget.attrs["rows"] = 3
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_date(self):
        day = self.cleaned_data["date"]
        installed = self.body.installed_on
        if installed and day < installed:
            raise forms.ValidationError(
                _("La sesión es anterior a la instalación del órgano (%(d)s).")
                % {"d": installed.isoformat()}
            )
        if self.body.dissolved_on and day > self.body.dissolved_on:
            raise forms.ValidationError(_("La sesión es posterior a la disolución del órgano."))
        return day

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload:
            file_checks.check(upload, pdf_only=True)
            upload.seek(0)
        return upload


class EventForm(forms.ModelForm):
    new_name = forms.CharField(
        label=_("Nombre nuevo"),
        max_length=300,
        required=False,
        help_text=_("Solo para un cambio de nombre: el anterior queda como otro nombre."),
    )

    class Meta:
        model = BodyEvent
        fields = ["kind", "date", "session", "new_name", "merged_into", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, user, body: Body, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "date")
        self.fields["session"].queryset = (
            Session.objects.filter(Q(body=body) | Q(body=body.parent_id)).order_by("-date")
            if body.parent_id
            else body.sessions.order_by("-date")
        )
        self.fields["session"].label_from_instance = lambda s: str(s)
        self.fields["session"].help_text = _("La sesión en que se decidió, si la hay.")
        self.fields["merged_into"].queryset = (
            permissions.manageable_bodies(user).exclude(pk=body.pk).order_by("name")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == BodyEvent.Kind.RENAMED and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Escriba el nombre nuevo del órgano."))
        if kind == BodyEvent.Kind.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Elija el órgano en que se fusionó."))
        session = data.get("session")
        if session and data.get("date") and session.date != data["date"]:
            self.add_error("date", _("La fecha no es la de la sesión elegida."))
        return data


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["text", "session", "responsible", "agreed_on", "due_on", "status", "public"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "responsible": {
                "required": _(
                    "Indique al menos una institución responsable: un acuerdo sin "
                    "responsable no se sigue."
                )
            }
        }

    def __init__(self, body: Body, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        _dates(self, "agreed_on", "due_on")
        _institutions(self.fields["responsible"])
        self.fields["responsible"].widget.attrs["size"] = 8
        self.fields["session"].queryset = body.sessions.order_by("-date")
        self.fields["session"].label_from_instance = lambda s: str(s)
        self.fields["agreed_on"].required = True
        if not self.instance.pk:
            self.fields["agreed_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        agreed, due = data.get("agreed_on"), data.get("due_on")
        if agreed and due and due < agreed:
            self.add_error("due_on", _("La fecha compromiso es anterior a la fecha del acuerdo."))
        session = data.get("session")
        if session and agreed and agreed < session.date:
            self.add_error("agreed_on", _("El acuerdo es anterior a la sesión en que se tomó."))
        return data


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo"), choices=AgreementNote.Kind.choices, initial=AgreementNote.Kind.PROGRESS
    )
    text = forms.CharField(
        label=_("Texto"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    status_to = forms.ChoiceField(
        label=_("Cambiar el estado a"),
        choices=[("", _("Sin cambio"))] + list(Agreement.Status.choices),
        required=False,
    )
    evidence = MultipleFileField(
        label=_("Evidencia"),
        help_text=_("Hasta 5 archivos PDF, Word, Excel, CSV o imagen, de 10 MB."),
    )

    def __init__(self, *args, may_follow_up: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_follow_up:
            self.fields["kind"].choices = [AgreementNote.Kind.choices[1]]
            self.fields["kind"].initial = AgreementNote.Kind.COMMENT
            del self.fields["status_to"]
            del self.fields["evidence"]


class AgreementFilter(forms.Form):
    """The tracker's filters; they live in the URL."""

    organo = forms.ModelChoiceField(
        label=_("Órgano"), queryset=Body.objects.none(), required=False, to_field_name="key"
    )
    entidad = forms.ModelChoiceField(
        label=_("Entidad"),
        queryset=State.objects.order_by("name"),
        required=False,
        to_field_name="inegi_code",
    )
    institucion = forms.ModelChoiceField(
        label=_("Institución responsable"),
        queryset=Institution.objects.order_by("acronym"),
        required=False,
        to_field_name="acronym",
    )
    estado = forms.ChoiceField(
        label=_("Estado"),
        choices=[("", _("Todos"))] + list(Agreement.STATUS_LABELS.items()),
        required=False,
    )
    vencidos = forms.BooleanField(label=_("Solo vencidos"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organo"].queryset = permissions.visible(user).order_by("name")
        self.fields["institucion"].label_from_instance = lambda i: i.acronym

    def query(self) -> dict[str, str]:
        """The chosen filters by the API's names (``AgreementQuerySet.tracked``)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        data = self.cleaned_data
        chosen = {
            "body": data["organo"].key if data.get("organo") else "",
            "state": data["entidad"].inegi_code if data.get("entidad") else "",
            "institution": data["institucion"].acronym if data.get("institucion") else "",
            "status": data.get("estado") or "",
            "overdue": "true" if data.get("vencidos") else "",
        }
        return {name: value for name, value in chosen.items() if value}


class RequestForm(forms.ModelForm):
    all_states = forms.BooleanField(label=_("A todas las entidades"), required=False)
    files = MultipleFileField(
        label=_("Anexos"), help_text=_("Hasta 5 archivos PDF, Word, Excel, CSV o imagen, de 10 MB.")
    )

    class Meta:
        model = InformationRequest
        fields = ["title", "question", "deadline", "states"]
        widgets = {"question": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "deadline")
        self.fields["states"].queryset = State.objects.order_by("name")
        self.fields["states"].required = False
        self.fields["states"].widget = forms.CheckboxSelectMultiple()
        self.fields["states"].choices = [(s.pk, s.name) for s in State.objects.order_by("name")]

    def clean(self):
        data = super().clean()
        if data.get("all_states"):
            data["states"] = list(State.objects.all())
        elif not data.get("states"):
            self.add_error("states", _("Elija al menos una entidad federativa."))
        deadline = data.get("deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("La fecha límite ya pasó."))
        return data


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Respuesta"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    files = MultipleFileField(
        label=_("Archivos"),
        help_text=_("Hasta 5 archivos PDF, Word, Excel, CSV o imagen, de 10 MB."),
    )


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decisión"),
        choices=[
            (RequestAnswer.Status.ACCEPTED, _("Aceptar")),
            (RequestAnswer.Status.RETURNED, _("Devolver para completar")),
        ],
    )
    note = forms.CharField(
        label=_("Observaciones"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10_000,
    )


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=InstallationStep.Status.choices)
    evidence = forms.CharField(
        label=_("Evidencia o nota"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10_000,
    )
    files = MultipleFileField(label=_("Archivos"))


class PointForm(forms.ModelForm):
    class Meta:
        model = ModelPoint
        fields = ["number", "text", "status", "evidence"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.instance.state_id:
            taken = ModelPoint.objects.filter(state=self.instance.state_id).count()
            self.fields["number"].initial = taken + 1


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["sector", "proposer", "text", "received_on", "status", "response"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "received_on")
