"""The one definition of how published programs are filtered: portal, downloads and API.

:class:`ProgramFilter` is a django-filter ``FilterSet`` whose filter names are
the API's (English); the portal speaks Spanish in its URLs and renames its
parameters with :data:`PORTAL_PARAMS` before building the same filter set, so
the public pages, the open-data downloads and ``/api/v1/programs/`` can never
disagree about what a filter means.

Every value is validated by a form field: a malformed value is an error (the
API answers 400 with the message) and a well-formed key that is not in the
catalogue — a state, institution, population or region — is "not found" (the API
answers 404 naming it); the portal drops either filter and says so. Never a
silent empty list.
"""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, PopulationGroup, Region, State
from observatorio.programs.models import Program
from observatorio.published import index

#: The region scheme whose code alone names a region (the only one whose members are known).
DEFAULT_REGION_SCHEME = Region.Scheme.STUDY

#: Portal (Spanish) URL parameter → filter name. ``q`` is the search box.
PORTAL_PARAMS = {
    "q": "search",
    "objetivo": "objective",
    "parte": "section",
    "entidad": "state",
    "region": "region",
    "institucion": "institution",
    "poblacion": "population",
    "ciclo": "cycle",
    "cuantitativos": "quantitative",
}
#: The portal's yes/no words for the boolean filter.
PORTAL_BOOLEANS = {"si": "true", "no": "false"}
MAX_QUERY = 200
#: The error code of a well-formed key that names nothing in the catalogue (the API's 404).
NOT_IN_CATALOGUE = "not_in_catalogue"
#: Compendium order: latest cycle first, then part, objective and number.
COMPENDIUM_ORDER = ("-cycle__edition", "section", "objective__number", "number", "pk")


class _CaseInsensitiveChoiceField(forms.ModelChoiceField):
    """A model choice looked up by one text field, ignoring case (acronyms, codes)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        # PostgreSQL refuses NUL in text: never send one to the database.
        if len(value) > 100 or "\x00" in value:
            raise ValidationError(_("Valor mal formado."), code="invalid")
        match = self.queryset.filter(**{f"{self.to_field_name}__iexact": value}).first()
        if match is None:
            raise ValidationError(self.error_messages["invalid_choice"], code=NOT_IN_CATALOGUE)
        return match


class _RegionField(forms.Field):
    """``norte`` (in the default scheme) or ``esquema:código`` for any scheme."""

    default_error_messages = {
        "invalid": _("Valor mal formado."),
        "invalid_choice": _("Esa región no existe."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip().lower()
        if "\x00" in value or len(value) > 100:  # PostgreSQL refuses NUL in text
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        scheme, _sep, code = value.rpartition(":")
        region = Region.objects.filter(
            scheme=scheme or DEFAULT_REGION_SCHEME, code=code[:50]
        ).first()
        if region is None:
            raise ValidationError(self.error_messages["invalid_choice"], code=NOT_IN_CATALOGUE)
        return region


class _StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``); anything else is an error, not "no filter"."""

    default_error_messages = {"invalid": _("Use «true» o «false».")}
    _VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class _StrictBooleanFilter(django_filters.Filter):
    field_class = _StrictBooleanField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


class _RegionFilter(django_filters.Filter):
    field_class = _RegionField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(state__regions=value)


class _IntegerFilter(django_filters.NumberFilter):
    """A whole number: «7.5» is an error, never read as 7."""

    field_class = forms.IntegerField


class ChoiceByField(django_filters.ModelChoiceFilter):
    field_class = _CaseInsensitiveChoiceField

    @classmethod
    def of(cls, field_name: str, model, key: str, label) -> ChoiceByField:
        """A filter on the related *model*'s entry that the parameter names by its *key*."""
        return cls(
            field_name=field_name, queryset=model.objects.all(), to_field_name=key, label=label
        )


class _Shared(dict):
    """Filters or form fields that every filter set or form of a class shares.

    django-filter deep-copies all its filters for every filter set, and Django all of a
    form's fields for every form, querysets and widgets included: a fifth of the CPU of
    an API request that validates new parameters. The filters and fields of
    :class:`ProgramFilter` keep no state between uses, so a "deep copy" of this mapping
    is a new mapping holding shallow copies of the filters (each filter set sets its own
    ``parent`` and ``model`` on them) or the same fields.
    """

    def __init__(self, items, *, copy_items: bool = False):
        super().__init__(items)
        self.copy_items = copy_items

    def __deepcopy__(self, memo):
        if not self.copy_items:
            return dict(self)
        copies = {}
        for name, item in self.items():
            copies[name] = copied = copy.copy(item)
            if getattr(item, "method", None) is not None:
                copied.method = item.method  # binds a new FilterMethod to the copy
        return copies


class ProgramFilter(django_filters.FilterSet):
    """Filters over programs (callers pass published programs for public use)."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_QUERY,
        label=_("Palabras"),
        help_text=_("Búsqueda de texto en español; no distingue acentos, mayúsculas ni plurales."),
    )
    objective = _IntegerFilter(
        field_name="objective__number",
        min_value=1,
        max_value=23,
        label=_("Objetivo del Pacto Mundial (número 1–23)"),
    )
    section = django_filters.ChoiceFilter(choices=Program.Section.choices, label=_("Parte"))
    state = ChoiceByField.of(
        "state", State, "inegi_code", _("Entidad federativa (clave INEGI de dos dígitos)")
    )
    region = _RegionFilter(label=_("Región (clave; «esquema:clave» para otros esquemas)"))
    institution = ChoiceByField.of(
        "institutions", Institution, "acronym", _("Institución (siglas)")
    )
    population = ChoiceByField.of(
        "populations", PopulationGroup, "code", _("Grupo de población (clave)")
    )
    cycle = _IntegerFilter(
        field_name="cycle__edition",
        min_value=1900,
        max_value=2999,
        label=_("Ciclo de reporte (año de la edición)"),
    )
    quantitative = _StrictBooleanFilter(
        field_name="has_quantitative_results", label=_("Con resultados cuantitativos")
    )

    class Meta:
        model = Program
        fields: list[str] = []

    def get_form_class(self):
        """The validating form's class, built once per filter set class.

        django-filter builds a new form class, with new fields, for every filter set
        (about half a millisecond: the public API and portal validate on every new
        query). No field here depends on the request or the instance, and each form
        deep-copies its class's fields, so one class serves every instance.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _Shared(form_class.base_fields)
            cls._form_class = form_class
        return form_class

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        self.ranking = index.ranked_ids(value, "programa")
        return queryset.filter(pk__in=self.ranking)

    @property
    def ranking(self) -> list[int] | None:
        """Program ids best first when a search was applied, else None."""
        return self.__dict__.get("_ranking")

    @ranking.setter
    def ranking(self, value: list[int]) -> None:
        self.__dict__["_ranking"] = value

    @property
    def applied(self) -> dict:
        """The valid, non-empty filter values (after :meth:`is_valid`)."""
        data = getattr(self.form, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}

    def ordered_ids(self) -> list[int]:
        """Ids of the filtered programs: by relevance with a search, in compendium order without."""
        ids = list(self.qs.order_by(*COMPENDIUM_ORDER).values_list("pk", flat=True))
        if self.ranking is not None:
            position = {pk: i for i, pk in enumerate(self.ranking)}
            ids.sort(key=position.__getitem__)
        return ids


# Every filter set shares the filters' settings (see _Shared).
ProgramFilter.base_filters = _Shared(ProgramFilter.base_filters, copy_items=True)


def portal_data(query: dict) -> dict:
    """Rename the portal's Spanish parameters to filter names (unknown ones are dropped)."""
    data = {}
    for spanish, name in PORTAL_PARAMS.items():
        value = query.get(spanish)
        if value in (None, ""):
            continue
        if name == "quantitative":
            value = PORTAL_BOOLEANS.get(str(value).lower(), "invalid")
        if name == "search":
            value = str(value)[:MAX_QUERY]
        data[name] = value
    return data
