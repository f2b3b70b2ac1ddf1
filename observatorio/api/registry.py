"""``/api/v1/centres/`` and ``/api/v1/needs/``: the registry's public side, read-only.

The centres where people in mobility are attended, with their active services, and the
catalogue of needs. Nothing about the people registered at them is ever read here (their
records, contacts, referrals and the access log are the registry staff's alone); the
protected counts of people are indicators (``/api/v1/indicators/``).
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from observatorio.catalog.models import State
from observatorio.published.filters import NOT_IN_CATALOGUE
from observatorio.registry import public
from observatorio.registry.models import Centre, Need, Service

from .coordination import Acronyms
from .views import FORMAT, NOT_FOUND, ApiView, CatalogViewSet, FilterBackend, ListFormats

STATE = r"^[0-9]{2}$"
NEED = r"^[a-z0-9_]{1,40}$"
CENTRE = r"[-a-z0-9_]{1,60}"
BOOLEAN = ["true", "false"]

# --- serializers -----------------------------------------------------------------------


class CentreServiceSerializer(serializers.ModelSerializer):
    schema_description = gettext_lazy("Un servicio activo del centro y quién lo presta.")

    need = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=gettext_lazy("Clave de la necesidad.")
    )
    need_name = serializers.CharField(
        source="need.name", read_only=True, help_text=gettext_lazy("Nombre de la necesidad.")
    )
    institution = serializers.SlugRelatedField(
        slug_field="acronym",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Siglas de la institución que lo presta, o null."),
    )

    class Meta:
        model = Service
        fields = ["name", "need", "need_name", "institution"]


class CentreSourceSerializer(serializers.Serializer):
    schema_description = gettext_lazy("Documento de origen y sus líneas (primera y última).")

    slug = serializers.CharField(source="source.slug", help_text=gettext_lazy("Clave."))
    lines = serializers.SerializerMethodField(
        help_text=gettext_lazy("Primera y última línea; vacía si el registro no las dice.")
    )

    def get_attribute(self, instance):
        return instance if instance.source_id else None

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_lines(self, centre) -> list[int]:
        return public.lines(centre.source_lines)


class CentreSerializer(serializers.ModelSerializer):
    schema_description = gettext_lazy("Un centro de atención, sus servicios activos y su fuente.")

    state = serializers.SlugRelatedField(
        slug_field="inegi_code",
        read_only=True,
        help_text=gettext_lazy("Clave INEGI de la entidad."),
    )
    state_name = serializers.CharField(
        source="state.name", read_only=True, help_text=gettext_lazy("Nombre de la entidad.")
    )
    operator = serializers.SlugRelatedField(
        slug_field="acronym",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Siglas de la institución que lo opera, o null."),
    )
    phase = serializers.ChoiceField(
        choices=Centre.Phase.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("Fase; vacía cuando el documento no la dice."),
    )
    phase_label = serializers.CharField(
        source="get_phase_display", read_only=True, help_text=gettext_lazy("La fase, en palabras.")
    )
    institutions = Acronyms(gettext_lazy("Siglas de las instituciones presentes."))
    services = CentreServiceSerializer(
        source="active_services",
        many=True,
        read_only=True,
        help_text=gettext_lazy("Servicios activos, por necesidad."),
    )
    url = serializers.SerializerMethodField(help_text=gettext_lazy("Página pública del centro."))
    source = CentreSourceSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Documento de origen y sus líneas, o null."),
    )

    class Meta:
        model = Centre
        fields = [
            "code",
            "name",
            "kind",
            "state",
            "state_name",
            "municipality",
            "operator",
            "phase",
            "phase_label",
            "financing",
            "institutions",
            "active",
            "services",
            "url",
            "source",
        ]

    def get_url(self, centre) -> str:
        return reverse("centres:centre", args=[centre.code])


class NeedSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Nombre (en español; en inglés, name_en).")
    )
    description = serializers.CharField(
        source="description_es", read_only=True, help_text=gettext_lazy("Descripción.")
    )

    class Meta:
        model = Need
        fields = ["code", "name", "name_es", "name_en", "description"]


# --- filters ---------------------------------------------------------------------------


class _KeyField(forms.ModelChoiceField):
    """A catalogue key in the query: malformed, a 400 with *malformed*; well formed but
    naming nothing, "not in the catalogue" (the API's 404, as for every list)."""

    def __init__(self, *args, pattern: str, malformed, **kwargs):
        self.pattern = re.compile(pattern)
        self.malformed = malformed
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        if not self.pattern.fullmatch(value):
            raise ValidationError(self.malformed, code="invalid")
        found = self.queryset.filter(**{self.to_field_name: value}).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code=NOT_IN_CATALOGUE)
        return found


class _KeyFilter(django_filters.ModelChoiceFilter):
    field_class = _KeyField


class CentreFilter(django_filters.FilterSet):
    state = _KeyFilter(
        field_name="state",
        queryset=State.objects.all(),
        to_field_name="inegi_code",
        pattern=STATE,
        malformed=gettext_lazy("Escriba la clave INEGI de dos dígitos."),
        label=gettext_lazy("Entidad federativa (clave INEGI de dos dígitos)."),
    )
    need = _KeyFilter(
        field_name="need",
        queryset=Need.objects.all(),
        to_field_name="code",
        pattern=NEED,
        malformed=gettext_lazy(
            "Escriba la clave de una necesidad (minúsculas, dígitos y «_»), p. ej. salud."
        ),
        method="by_need",
        label=gettext_lazy("Clave de una necesidad: los centros con un servicio activo para ella."),
    )
    active = django_filters.ChoiceFilter(
        choices=[(value, value) for value in BOOLEAN],
        method="by_active",
        error_messages={"invalid_choice": gettext_lazy("Use «true» o «false».")},
        label=gettext_lazy("true: solo los centros activos; false: solo los inactivos."),
    )

    class Meta:
        model = Centre
        fields: list[str] = []

    def by_need(self, queryset, name, need):
        return public.offering(queryset, need)

    def by_active(self, queryset, name, value):
        return queryset.filter(active=value == "true")


def _parameter(name: str, schema: dict) -> OpenApiParameter:
    return OpenApiParameter(name, schema, description=CentreFilter.base_filters[name].label)


# --- views -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Centros de atención"),
        description=gettext_lazy(
            "Los centros donde se atiende y registra a personas en contextos de movilidad "
            "(Centros Multiservicios, Centros Integradores del Migrante), con sus servicios "
            "activos. Nunca incluye datos de las personas atendidas."
        ),
        parameters=[
            _parameter("state", {"type": "string", "pattern": STATE}),
            _parameter("need", {"type": "string", "pattern": NEED}),
            _parameter("active", {"type": "string", "enum": BOOLEAN}),
            FORMAT,
        ],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Un centro (por su clave)"),
        parameters=[
            OpenApiParameter(
                "code",
                {"type": "string", "pattern": f"^{CENTRE}$"},
                OpenApiParameter.PATH,
                description=gettext_lazy("Clave del centro, p. ej. cm-tapachula-1."),
            )
        ],
        responses={200: CentreSerializer, 404: NOT_FOUND},
    ),
)
class CentreViewSet(CatalogViewSet):
    serializer_class = CentreSerializer
    filterset_class = CentreFilter
    filter_backends = [FilterBackend]
    lookup_field = "code"
    lookup_value_regex = CENTRE

    def get_queryset(self):
        return public.centres()

    def get_object(self):
        # Filters narrow lists only; a centre is found by its code.
        centre = get_object_or_404(self.get_queryset(), code=self.kwargs["code"])
        self.check_object_permissions(self.request, centre)
        return centre


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Catálogo de necesidades"), parameters=[FORMAT]),
)
class NeedViewSet(ApiView, ListFormats, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Need.objects.order_by("order", "code")
    serializer_class = NeedSerializer


#: The endpoints under /api/v1/ (prefix, view set, base name), registered by ``urls.py``.
ROUTES = (
    ("centres", CentreViewSet, "centre"),
    ("needs", NeedViewSet, "need"),
)
