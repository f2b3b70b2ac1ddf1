"""The homogeneous report form, its result figures, and the reviewer's forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State

from . import derived, permissions
from .models import BlockStatus, Program, ReportingCycle, ResultFigure

MAX_TITLE = 500
MAX_TEXT = 20_000
MAX_LINKS = 10
MAX_FIGURES = 50


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class ObjectivesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short or obj.title}"


class ReportForm(forms.ModelForm):
    """One program or action, in the homogeneous format every reporter uses."""

    objective = ObjectiveChoiceField(
        queryset=GcmObjective.objects.all(),
        label=_("Objetivo principal del Pacto Mundial"),
        empty_label=_("Seleccione un objetivo"),
    )
    secondary_objectives = ObjectivesField(
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Objetivos secundarios"),
    )
    populations = forms.ModelMultipleChoiceField(
        queryset=PopulationGroup.objects.order_by("name_es"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Grupos de población que atiende"),
    )
    challenges_none = forms.BooleanField(
        required=False,
        label=_("No se reportan retos"),
        help_text=_("Márquelo solo si no hubo retos; si los hubo, descríbalos."),
    )
    links_text = forms.CharField(
        required=False,
        label=_("Enlaces"),
        help_text=_("Una dirección web por línea (https://…)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Program
        fields = [
            "title",
            "objective",
            "secondary_objectives",
            "institutions",
            "populations",
            "description",
            "results",
            "challenges",
            "start_date",
            "end_date",
            "permanent",
            "budget",
            "execution",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": MAX_TITLE}),
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
            "results": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
            "challenges": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "budget": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "institutions": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "title": _("Nombre del programa o acción, sin siglas de la institución."),
            "description": _("Qué es, a quién atiende y cómo opera."),
            "results": _("Resultados en el periodo del ciclo; las cifras van abajo."),
            "budget": _("Opcional, en pesos mexicanos."),
        }

    def __init__(self, *args, user, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.section = section
        self.fields["title"].required = True
        self.fields["execution"].required = False
        if section == Program.Section.FEDERAL:
            # Joint reports may add other institutions; one of the reporter's own is required.
            self.fields["institutions"].queryset = Institution.objects.filter(
                order=Institution.Order.FEDERAL
            ).order_by("acronym")
            self.fields["institutions"].required = True
            self.fields["institutions"].help_text = _(
                "Su institución y, si el reporte es conjunto, las demás."
            )
        else:
            del self.fields["institutions"]
        if self.instance.pk:
            self.fields["challenges_none"].initial = self.instance.challenges_none
            self.fields["links_text"].initial = "\n".join(self.instance.links or [])
            self.fields["version"].initial = self.instance.version

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) > MAX_TITLE:
            raise ValidationError(_("El título admite hasta %(n)s caracteres.") % {"n": MAX_TITLE})
        return title

    def clean_links_text(self):
        lines = [line.strip() for line in self.cleaned_data["links_text"].splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_LINKS:
            raise ValidationError(_("Se admiten hasta %(n)s enlaces.") % {"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError as exc:
                raise ValidationError(
                    _("«%(link)s» no es una dirección web válida.") % {"link": link[:80]}
                ) from exc
        return links

    def clean_institutions(self):
        chosen = self.cleaned_data["institutions"]
        # The policy decides which institutions a report may name (the API asks it too).
        action = "edit" if self.instance.pk else "create"
        decision = permissions.can(
            self.user, action, self.instance, institutions={i.pk for i in chosen}
        )
        if not decision:
            raise ValidationError(decision.reason)
        return chosen

    def clean(self):
        cleaned = super().clean()
        for name in ("description", "results", "challenges"):
            if len(cleaned.get(name) or "") > MAX_TEXT:
                self.add_error(
                    name, _("Este texto admite hasta %(n)s caracteres.") % {"n": MAX_TEXT}
                )
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fecha de término es anterior a la de inicio."))
        if cleaned.get("permanent") and end:
            self.add_error("end_date", _("Un programa permanente no tiene fecha de término."))
        primary = cleaned.get("objective")
        secondary = cleaned.get("secondary_objectives") or []
        if primary and primary in secondary:
            self.add_error(
                "secondary_objectives",
                _("El objetivo principal no se repite entre los secundarios."),
            )
        if cleaned.get("challenges_none") and (cleaned.get("challenges") or "").strip():
            self.add_error(
                "challenges",
                _("Describa los retos o marque «No se reportan retos», no ambas cosas."),
            )
        budget = cleaned.get("budget")
        if budget is not None and budget < 0:
            self.add_error("budget", _("El presupuesto no puede ser negativo."))
        return cleaned

    def save(self, commit=True):
        program = super().save(commit=False)
        program.links = self.cleaned_data["links_text"]
        program.challenges_status = (
            BlockStatus.NONE if self.cleaned_data["challenges_none"] else BlockStatus.REPORTED
        )
        # The groups are now a person's choice, even an empty one: nothing is inferred.
        program.populations_inferred = False
        # Figures are saved after the program; FigureFormSet.save() settles the flag then.
        program.has_quantitative_results = derived.has_quantitative_results(
            program.results, program.figures.count() if program.pk else 0
        )
        if commit:
            program.save()
            self.save_m2m()
        return program


class FigureForm(forms.ModelForm):
    class Meta:
        model = ResultFigure
        fields = ["label", "value", "unit", "sex", "age_group", "nationality"]
        widgets = {"value": forms.NumberInput(attrs={"min": "0", "step": "any"})}

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise ValidationError(_("Las cifras no pueden ser negativas."))
        return value


class BaseFigureFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Se admite hasta %(num)d cifra de resultados; quite las que sobran.",
            "Se admiten hasta %(num)d cifras de resultados; quite las que sobran.",
            "num",
        )
    }

    def save(self, commit=True):
        saved = super().save(commit=commit)
        if commit:
            # The figures are in the database now: recompute the program's flag.
            derived.refresh_quantitative(self.instance)
        return saved


FigureFormSet = forms.inlineformset_factory(
    Program,
    ResultFigure,
    form=FigureForm,
    formset=BaseFigureFormSet,
    extra=1,  # one empty row; "Añadir otra cifra" adds more (htmx, or a reload without it)
    max_num=MAX_FIGURES,
    validate_max=True,
    # A hard limit: a POST that claims 100,000 forms builds no more than these.
    absolute_max=MAX_FIGURES,
    can_delete=True,
)


FIGURE_PREFIX = "figures"  # the inline formset's prefix: the related name of Program.figures
_FIGURE_KEYS = (
    "id",
    "program",
    "label",
    "value",
    "unit",
    "sex",
    "age_group",
    "nationality",
    "DELETE",
)


def rearrange_figures(data, *, add: bool = False, remove: int | None = None):
    """The report form's POST data with one more empty figure row, or without row *remove*.

    Only rows not saved yet can be taken out this way (saved ones have their "Quitar al
    guardar" box); the rows are renumbered so that the formset reads them back in order.
    Nothing is validated or saved: the form comes back as it was typed.
    """
    data = data.copy()
    try:
        total = int(data.get(f"{FIGURE_PREFIX}-TOTAL_FORMS", ""))
        saved = int(data.get(f"{FIGURE_PREFIX}-INITIAL_FORMS", ""))
    except ValueError:
        total = saved = 0
    total = max(0, min(total, MAX_FIGURES))
    rows = [
        {key: data.getlist(f"{FIGURE_PREFIX}-{i}-{key}") for key in _FIGURE_KEYS}
        for i in range(total)
    ]
    if remove is not None and max(saved, 0) <= remove < len(rows):
        del rows[remove]
    if add and len(rows) < MAX_FIGURES:
        # The new row starts as an unbound one would: the model's defaults.
        fields = ResultFigure._meta
        rows.append(
            {key: [fields.get_field(key).get_default()] for key in ("unit", "sex", "age_group")}
        )
    for key in [k for k in data if k.split("-")[1:2] and k.split("-")[1].isdigit()]:
        if key.startswith(f"{FIGURE_PREFIX}-"):
            del data[key]
    for i, row in enumerate(rows):
        for key, values in row.items():
            data.setlist(f"{FIGURE_PREFIX}-{i}-{key}", values)
    data[f"{FIGURE_PREFIX}-TOTAL_FORMS"] = str(len(rows))
    return data


class ReportListFilter(forms.Form):
    """What the report list (and its CSV) narrows to: all kept in the URL."""

    q = forms.CharField(label=_("Palabras"), required=False, max_length=200)
    entidad = forms.ModelChoiceField(
        label=_("Entidad"),
        queryset=State.objects.order_by("name"),
        to_field_name="inegi_code",
        required=False,
        empty_label=_("Todas"),
    )
    objetivo = forms.ModelChoiceField(
        label=_("Objetivo"),
        queryset=GcmObjective.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("Todos"),
    )
    parte = forms.ChoiceField(
        label=_("Parte"),
        choices=[("", _("Ambas")), *Program.Section.choices],
        required=False,
    )
    estado = forms.ChoiceField(
        label=_("Estado"),
        choices=[("", _("Todos")), *Program.Status.choices],
        required=False,
    )

    def apply(self, programs):
        """*programs* narrowed by the valid filters (an invalid one is dropped)."""
        data = self.cleaned_data if self.is_valid() else {}
        words = " ".join((data.get("q") or "").split())
        if words:
            for word in words.split(" ")[:10]:
                programs = programs.filter(
                    Q(title__icontains=word)
                    | Q(description__icontains=word)
                    | Q(actor__icontains=word)
                )
        if data.get("entidad"):
            programs = programs.filter(state=data["entidad"])
        if data.get("objetivo"):
            programs = programs.filter(objective=data["objetivo"])
        if data.get("parte"):
            programs = programs.filter(section=data["parte"])
        if data.get("estado"):
            programs = programs.filter(status=data["estado"])
        return programs


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comentario"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


BULK_ACTIONS = [
    ("approve", _("Aprobar")),
    ("publish", _("Publicar")),
    ("return", _("Devolver con comentarios")),
]


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Acción"), choices=BULK_ACTIONS)
    programs = forms.ModelMultipleChoiceField(
        queryset=Program.objects.all(), label=_("Reportes"), widget=forms.MultipleHiddenInput
    )
    comment = forms.CharField(
        label=_("Comentario"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CycleForm(forms.ModelForm):
    """A reporting cycle as UPM opens or extends it (every date required)."""

    class Meta:
        model = ReportingCycle
        fields = [
            "edition",
            "name",
            "period_start",
            "period_end",
            "opens_on",
            "deadline",
            "closes_on",
            "contact",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("period_start", "period_end", "opens_on", "deadline", "closes_on")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "deadline", "closes_on"):
            self.fields[name].required = True
        self.fields["edition"].widget.attrs.update({"min": 2000, "max": 2999})
        if self.instance.pk:
            # The edition names the cycle's reports and compendium: it does not change.
            self.fields["edition"].disabled = True

    def clean_edition(self):
        edition = self.cleaned_data["edition"]
        if not 2000 <= edition <= 2999:
            raise ValidationError(_("Escriba el año de la edición, p. ej. 2024."))
        return edition
