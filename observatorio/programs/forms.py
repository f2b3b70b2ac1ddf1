"""The homogeneous report form, its result figures, and the reviewer's forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from observatorio.catalog import countries
from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State

from . import derived, permissions, report
from .models import BlockStatus, Program, ReportingCycle, ResultFigure
from .report import MAX_FIGURES, MAX_LINKS, MAX_TEXT, MAX_TITLE

_validate_url = URLValidator(schemes=["http", "https"])


class KnownChoiceField(forms.ModelChoiceField):
    """A catalogue record, found in :attr:`known` (``{pk: record}``) when a caller gives it.

    An upload validates up to a thousand reports with the same catalogues: it loads them
    once instead of a query per field and report.
    """

    known: dict | None = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class KnownMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several catalogue records, found in :attr:`known` when a caller gives it."""

    known: dict | None = None

    def clean(self, value):
        if self.known is None:
            return super().clean(value)
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        found = []
        for item in value:
            try:
                found.append(self.known[int(item)])
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                ) from None
        self.run_validators(value)
        return found


class ObjectiveChoiceField(KnownChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class ObjectivesField(KnownMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short or obj.title}"


class AmountField(forms.Field):
    """An amount in pesos as a person writes it; :func:`report.parse_amount` judges it."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        return report.parse_amount(value)


class ReportDateField(forms.DateField):
    """A date as the page's picker sends it (ISO) or as a person types it (dd/mm/aaaa)."""

    input_formats = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(
                report.message("not_a_date", value=report.shown(value)), code="invalid"
            ) from exc


def _execution_choice_message() -> str:
    options = ", ".join(f"«{label}»" for label in Program.Execution.labels)
    # Django fills %(value)s; the options are known now.
    return report.message("not_an_execution", value="%(value)s", options=options)


class ReportForm(forms.ModelForm):
    """One program or action, in the homogeneous format every reporter uses.

    Labels, help texts, required fields, limits and messages come from
    :mod:`observatorio.programs.report`; the spreadsheet and the API validate through
    this form.
    """

    objective = ObjectiveChoiceField(
        queryset=GcmObjective.objects.all(), empty_label=_("Seleccione un objetivo")
    )
    secondary_objectives = ObjectivesField(
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    populations = KnownMultipleChoiceField(
        queryset=PopulationGroup.objects.order_by("name_es"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    challenges_none = forms.BooleanField(required=False)
    links_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = ReportDateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = ReportDateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    budget = AmountField(required=False)
    institutions = KnownMultipleChoiceField(
        queryset=Institution.objects.filter(order=Institution.Order.FEDERAL).order_by("acronym"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Program
        fields = list(report.MODEL_FORM_FIELDS)
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": MAX_TITLE}),
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
            "results": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
            "challenges": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        }

    def __init__(self, *args, user, section: str, known: dict | None = None, **kwargs):
        """*known* (``{field: {pk: record}}``) resolves catalogue choices without queries."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.section = section
        if section != Program.Section.FEDERAL:
            # Joint federal reports name their institutions; a state report its state.
            del self.fields["institutions"]
        for name, records in (known or {}).items():
            if name in self.fields:
                self.fields[name].known = records
        self.fields["execution"].error_messages["invalid_choice"] = _execution_choice_message()
        if self.instance.pk:
            self.fields["challenges_none"].initial = self.instance.challenges_none
            self.fields["links_text"].initial = "\n".join(self.instance.links or [])
            self.fields["version"].initial = self.instance.version

    def _get_validation_exclusions(self):
        # The form's own fields already proved these: the objective exists (it was chosen
        # from the catalogue) and the budget is within the column and not negative. Model
        # validation would ask the database again, once per report of an upload.
        return super()._get_validation_exclusions() | {"objective", "budget"}

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        report.check_length(title, MAX_TITLE)
        return title

    def clean_links_text(self):
        lines = [line.strip() for line in self.cleaned_data["links_text"].splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_LINKS:
            raise ValidationError(report.message("too_many_links", n=MAX_LINKS))
        validate = _validate_url
        errors = []
        for link in links:
            try:
                validate(link)
            except ValidationError:
                errors.append(report.message("not_a_link", link=report.shown(link)))
        if errors:
            raise ValidationError(errors)
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
        for declared in report.FIELDS:
            if declared.kind == "long_text" and declared.name in cleaned:
                try:
                    report.check_length(cleaned[declared.name] or "", declared.limit)
                except ValidationError as exc:
                    self.add_error(declared.name, exc)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", report.message("end_before_start"))
        if cleaned.get("permanent") and end:
            self.add_error("end_date", report.message("permanent_with_end"))
        primary = cleaned.get("objective")
        secondary = cleaned.get("secondary_objectives") or []
        if primary and primary in secondary:
            self.add_error("secondary_objectives", report.message("secondary_repeats_primary"))
        if cleaned.get("challenges_none") and (cleaned.get("challenges") or "").strip():
            self.add_error("challenges", report.message("challenges_and_none"))
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


def _declare(form_class) -> None:
    """Give the form's fields the declared labels, help texts, required flags and messages."""
    for declared in report.FIELDS:
        field = form_class.base_fields.get(declared.form_key) if declared.form else None
        if field is None:
            continue
        field.label = declared.label
        field.help_text = declared.help
        field.required = declared.required
        field.error_messages = {**field.error_messages, "required": report.MESSAGES["required"]}


_declare(ReportForm)


def prefill(source: Program) -> dict:
    """The form's initial values from last cycle's report :data:`report.PREFILLED_FIELDS`."""
    initial = {}
    for name in report.PREFILLED_FIELDS:
        declared = report.BY_NAME[name]
        if declared.kind in ("objectives", "institutions", "populations"):
            value = list(getattr(source, name).all())
        elif declared.kind == "objective":
            value = source.objective_id
        elif declared.name == "links":
            value = "\n".join(source.links or [])
        else:
            value = getattr(source, name)
        initial[declared.form_key] = value
    return initial


def _kept(choices: list, current: str) -> list:
    """*choices*, plus a saved value that is no longer on the list (kept, not lost)."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, current)]
    return choices


class FigureForm(forms.ModelForm):
    """A result figure: unit and nationality chosen from lists (ISO 3166 for countries)."""

    unit = forms.ChoiceField(label=_("Unidad"), initial="personas")
    nationality = forms.ChoiceField(label=_("Nacionalidad"), required=False)

    class Meta:
        model = ResultFigure
        fields = list(ResultFigure.CONTENT)
        widgets = {"value": forms.NumberInput(attrs={"min": "0", "step": "any"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.choices = _kept(list(report.UNITS), self.instance.unit if self.instance.pk else "")
        unit.error_messages["invalid_choice"] = report.message("not_a_unit", value="%(value)s")
        nationality = self.fields["nationality"]
        nationality.choices = _kept(
            [("", _("Todas o sin especificar"))] + [(n, n) for n in countries.spanish_names()],
            self.instance.nationality if self.instance.pk else "",
        )
        nationality.error_messages["invalid_choice"] = report.message(
            "not_a_country", value="%(value)s"
        )

    def has_changed(self):
        # A figure removed from the page before saving sends nothing: it is no figure (its
        # lists' defaults would otherwise count as a change).
        if self.is_bound and not any(self.add_prefix(name) in self.data for name in self.fields):
            return False
        return super().has_changed()

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise ValidationError(report.message("negative_figure"))
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
_FIGURE_KEYS = ("id", "program", *ResultFigure.CONTENT, "DELETE")


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
    for key in [k for k in data if k.startswith(f"{FIGURE_PREFIX}-")]:
        if key.split("-")[1].isdigit():  # a row's field, not the management form
            del data[key]
    for i, row in enumerate(rows):
        for key, values in row.items():
            data.setlist(f"{FIGURE_PREFIX}-{i}-{key}", values)
    data[f"{FIGURE_PREFIX}-TOTAL_FORMS"] = str(len(rows))
    return data


def _entry(label, queryset, key: str, everything) -> forms.ModelChoiceField:
    """An optional filter on one catalogue entry, named in the URL by its *key*."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, to_field_name=key, required=False, empty_label=everything
    )


def _choice(label, everything, choices) -> forms.ChoiceField:
    """An optional filter on one of *choices*; blank (*everything*) first."""
    return forms.ChoiceField(label=label, choices=[("", everything), *choices], required=False)


class ReportListFilter(forms.Form):
    """What the report list (and its CSV) narrows to: all kept in the URL."""

    q = forms.CharField(label=_("Palabras"), required=False, max_length=200)
    entidad = _entry(_("Entidad"), State.objects.order_by("name"), "inegi_code", _("Todas"))
    objetivo = _entry(_("Objetivo"), GcmObjective.objects.order_by("number"), "number", _("Todos"))
    parte = _choice(_("Parte"), _("Ambas"), Program.Section.choices)
    estado = _choice(_("Estado"), _("Todos"), Program.Status.choices)

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
        fields = ["edition", "name", *ReportingCycle.SCHEDULE, "contact"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ReportingCycle.SCHEDULE
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
