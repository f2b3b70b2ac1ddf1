"""Forms of the public pages: the map's filters."""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from observatorio.programs.models import Program
from observatorio.published.coverage import MEASURES

OBJECTIVES = 23


def _shown(value: str) -> str:
    """The refused value as the message quotes it (never a megabyte of it)."""
    return Truncator(value).chars(30)


class MapFilterForm(forms.Form):
    """``?objetivo=`` (1–23), ``?parte=`` (estatal, federal) and ``?medida=`` of the map.

    Plain text fields checked here, so that a refusal quotes at most 30 characters of
    what was sent.
    """

    objetivo = forms.CharField(required=False, strip=True)
    parte = forms.CharField(required=False, strip=True)
    # Read leniently: an unknown measure has always meant programs.
    medida = forms.CharField(required=False)

    def clean_objetivo(self) -> int | None:
        value = self.cleaned_data.get("objetivo") or ""
        if not value:
            return None
        if value.isascii() and value.isdigit() and 1 <= int(value) <= OBJECTIVES:
            return int(value)
        raise forms.ValidationError(
            _("«%(value)s» no es un objetivo del Pacto Mundial: elija uno del 1 al 23."),
            params={"value": _shown(value)},
        )

    def clean_parte(self) -> str:
        value = self.cleaned_data.get("parte") or ""
        if value and value not in Program.Section.values:
            raise forms.ValidationError(
                _("«%(value)s» no es una parte del informe: elija federal o estatal."),
                params={"value": _shown(value)},
            )
        return value

    def clean_medida(self) -> str:
        value = self.cleaned_data.get("medida")
        return value if value in MEASURES else "programas"
