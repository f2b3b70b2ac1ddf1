"""Create and edit reports through the web's report form, so both apply the same rules.

The API's serializers only check the shape of a request (types, unknown fields,
catalogue references). :func:`save_report` then fills
:class:`~observatorio.programs.forms.ReportForm` — the homogeneous form the web
pages use — with the report's current values overlaid by the request's, and
each figure goes through :class:`~observatorio.programs.forms.FigureForm`. The
form's errors come back as a 400 under the API's field names. Saving is atomic,
with the same optimistic lock (``version``) and the same revision as the web.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from observatorio.programs import derived, report
from observatorio.programs.forms import FigureForm, ReportForm
from observatorio.programs.models import Program, ResultFigure, Revision

from .errors import Conflict

#: Form field → API field, where they differ.
API_NAMES = {
    **{f.form_key: f.name for f in report.FIELDS if f.form and f.form_key != f.name},
    "__all__": "non_field_errors",
}
#: The content a request may change; figures are saved beside the form.
CONTENT_FIELDS = tuple(name for name in report.API_FIELDS if name != "figures")


def current_content(program: Program) -> dict:
    """A saved report's content in the shape of the serializers' validated data."""
    content = {}
    for name in CONTENT_FIELDS:
        kind = report.BY_NAME[name].kind
        value = getattr(program, name)
        if kind in ("objectives", "institutions", "populations"):
            value = list(value.all())
        elif kind == "links":
            value = list(value or [])
        content[name] = value
    return content


def _form_data(content: dict, version: int | None) -> dict:
    """The report form's data for *content*, field by declared field."""
    data = {}
    for name in CONTENT_FIELDS:
        declared = report.BY_NAME[name]
        value = content.get(name)
        if declared.kind in ("objectives", "institutions", "populations"):
            value = [item.pk for item in value or []]
        elif declared.kind == "objective":
            value = value.pk if value else ""
        elif declared.kind == "links":
            value = "\n".join(value or [])
        elif declared.kind == "boolean":
            value = bool(value)
        elif declared.kind == "date":
            value = value.isoformat() if value else ""
        elif value is None:
            value = ""
        data[declared.form_key] = value if isinstance(value, list | bool) else str(value)
    if version is not None:
        data["version"] = str(version)
    return data


def _figure_forms(figures: list[dict]) -> tuple[list[FigureForm], dict]:
    """One FigureForm per figure; errors by position (``{"0": {"value": [...]}}``), as DRF."""
    forms, errors = [], {}
    for index, figure in enumerate(figures):
        form = FigureForm(
            data={key: "" if value is None else str(value) for key, value in figure.items()}
        )
        forms.append(form)
        if not form.is_valid():
            errors[str(index)] = {
                API_NAMES.get(name, name): list(messages) for name, messages in form.errors.items()
            }
    return forms, errors


def _form_errors(form) -> dict:
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        errors.setdefault(API_NAMES.get(name, name), []).extend(str(m) for m in messages)
    return errors


def save_report(user, program: Program, values: dict) -> Program:
    """Validate *values* (a serializer's validated data) through the report form and save.

    *program* is unsaved (a new draft whose creation the policy already allowed) or a
    saved report whose edit it allowed; only the content fields in *values* change.
    Raises a DRF ValidationError (400) with messages per field, or :class:`Conflict`
    (409) when the report changed since ``values["version"]``. Nothing is written then.
    """
    creating = program.pk is None
    content = {} if creating else current_content(program)
    content.update({name: values[name] for name in CONTENT_FIELDS if name in values})
    version = None if creating else values["version"]
    form = ReportForm(
        _form_data(content, version), instance=program, user=user, section=program.section
    )
    figures = values.get("figures")
    figure_forms, figure_errors = _figure_forms(figures) if figures is not None else ([], {})
    errors = {} if form.is_valid() else _form_errors(form)
    if figure_errors:
        errors["figures"] = figure_errors
    if errors:
        raise exceptions.ValidationError(errors)

    with transaction.atomic():
        if not creating:
            current = Program.objects.select_for_update().get(pk=program.pk)
            if version != current.version:
                raise Conflict(
                    _(
                        "Otra persona modificó este reporte (versión %(theirs)s; usted envió "
                        "la %(yours)s). No se guardó nada: vuelva a leerlo y aplique sus "
                        "cambios de nuevo."
                    )
                    % {"theirs": current.version, "yours": version}
                )
            if not current.is_editable:
                raise Conflict(
                    _("Un reporte en estado «%(status)s» no se puede editar.")
                    % {"status": current.get_status_display()}
                )
        program = form.save(commit=False)
        if creating:
            program.created_by = user
        else:
            program.version = current.version + 1
        program.save()
        form.save_m2m()
        if figures is not None:
            program.figures.all().delete()
            ResultFigure.objects.bulk_create(
                [ResultFigure(program=program, **f.cleaned_data) for f in figure_forms]
            )
            derived.refresh_quantitative(program)
        Revision.capture(program, user, note=_("creado") if creating else _("editado"))
    return program
