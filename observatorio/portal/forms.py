"""Forms of the public pages: the map's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from observatorio.programs.models import Program
from observatorio.published.coverage import MEASURES

OBJECTIVES = 23


class MapFilterForm(forms.Form):
    """``?objetivo=`` (1–23), ``?parte=`` (estatal, federal) and ``?medida=`` of the map."""

    objetivo = forms.TypedChoiceField(
        label=_("Objetivo del Pacto Mundial"),
        choices=[("", _("Todos los objetivos"))] + [(n, n) for n in range(1, OBJECTIVES + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": _(
                "«%(value)s» no es un objetivo del Pacto Mundial: elija uno del 1 al 23."
            )
        },
    )
    parte = forms.ChoiceField(
        label=_("Parte"),
        choices=[("", _("Federal y estatal")), *Program.Section.choices],
        required=False,
        error_messages={
            "invalid_choice": _("«%(value)s» no es una parte del informe: elija federal o estatal.")
        },
    )
    # Free text read leniently: an unknown measure has always meant programs.
    medida = forms.CharField(required=False)

    def __init__(self, data, objectives=(), **kwargs):
        super().__init__(data, **kwargs)
        if objectives:
            self.fields["objetivo"].choices = [("", _("Todos los objetivos"))] + [
                (o.number, f"{o.number}. {o.short or o.title}") for o in objectives
            ]

    def clean_medida(self) -> str:
        value = self.cleaned_data.get("medida")
        return value if value in MEASURES else "programas"
