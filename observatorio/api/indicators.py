"""``/api/v1/indicators/``: the indicator catalogue and each indicator's published cells.

``/indicators/{code}/data/`` answers one row per published cell of the approved values,
protected as every public output is (:mod:`observatorio.indicators.published`): a
suppressed cell has an empty ``value`` and ``suppressed`` true, never a 0. The rows come
as JSON pages like the other lists, or with ``?format=csv`` all of them in one CSV.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from observatorio.catalog.models import State
from observatorio.indicators import permissions, published
from observatorio.indicators.actions import ValuesRefused
from observatorio.indicators.actions_values import CELL_FIELDS, save_value
from observatorio.indicators.models import Indicator, Value
from observatorio.lib.renderers import renderers_for

from .errors import Conflict
from .fields import QueryIntegerField
from .pagination import PageNumberPagination
from .renderers import API
from .views import FORMAT, NOT_FOUND, YEAR, ApiView, ListFormats


class IndicatorSerializer(serializers.ModelSerializer):
    objectives = serializers.SerializerMethodField(
        help_text=gettext_lazy("Números de los objetivos del Pacto Mundial que sigue.")
    )
    source_institution = serializers.SerializerMethodField(
        help_text=gettext_lazy("Siglas de la institución que produce el dato.")
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_es",
            "name_en",
            "unit",
            "kind",
            "theme",
            "frequency",
            "dimensions",
            "objectives",
            "sdg_targets",
            "source_institution",
            "source_note",
            "min_cell",
        ]

    def get_objectives(self, indicator) -> list[int]:
        return sorted(o.number for o in indicator.objectives.all())

    def get_source_institution(self, indicator) -> str:
        return indicator.source_institution.acronym if indicator.source_institution else ""


class IndicatorDetailSerializer(IndicatorSerializer):
    formula = serializers.SerializerMethodField(
        help_text=gettext_lazy("Numerador, denominador y factor, si se calcula de otros.")
    )
    periods = serializers.SerializerMethodField(
        help_text=gettext_lazy("Periodos con valores publicados, del más reciente al más antiguo.")
    )
    source_document = serializers.SerializerMethodField(
        help_text=gettext_lazy("Documento de origen de la definición y sus líneas.")
    )

    class Meta(IndicatorSerializer.Meta):
        fields = [
            *IndicatorSerializer.Meta.fields,
            "description_es",
            "description_en",
            "notes_es",
            "notes_en",
            "measure",
            "formula",
            "version",
            "valid_from",
            "valid_to",
            "periods",
            "source_document",
        ]

    def get_formula(self, indicator) -> dict | None:
        if not indicator.is_computed:
            return None
        return {
            "numerator": indicator.numerator.code,
            "denominator": indicator.denominator.code if indicator.denominator else None,
            "factor": float(indicator.factor),
        }

    def get_periods(self, indicator) -> list[int]:
        return published.periods(indicator)

    def get_source_document(self, indicator) -> dict | None:
        if indicator.source is None:
            return None
        return {"slug": indicator.source.slug, "lines": indicator.source_lines}


class CellSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    period_label = serializers.CharField(
        help_text=gettext_lazy("Vacío: el año completo; si no, la parte del año publicada.")
    )
    state = serializers.CharField(help_text=gettext_lazy("Clave INEGI; vacío: nacional."))
    sex = serializers.CharField(help_text=gettext_lazy("Vacío: todos."))
    age_group = serializers.CharField(help_text=gettext_lazy("Vacío: todos."))
    nationality = serializers.CharField(help_text=gettext_lazy("ISO 3166-1 alfa-3; vacío: todas."))
    country_of_birth = serializers.CharField(
        help_text=gettext_lazy("ISO 3166-1 alfa-3; vacío: todos.")
    )
    population = serializers.CharField(help_text=gettext_lazy("Vacío: todos los grupos."))
    objective = serializers.CharField(
        help_text=gettext_lazy("Objetivo del Pacto Mundial (1 a 23); vacío: todos.")
    )
    value = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Vacío cuando la celda se reservó.")
    )
    suppressed = serializers.BooleanField(
        help_text=gettext_lazy("Reservada por ser pequeña o porque permitiría deducir otra.")
    )
    status = serializers.CharField(help_text=gettext_lazy("preliminar o definitivo"))
    source_cited = serializers.CharField(
        help_text=gettext_lazy("La fuente que cita el documento de donde se tomó el valor.")
    )
    flags = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("Alertas sobre el valor (vacía en una celda reservada)."),
    )


class DataQuery(serializers.Serializer):
    period = QueryIntegerField(min_value=1900, max_value=2999, required=False)
    state = serializers.RegexField(
        r"^[0-9]{2}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": gettext_lazy("Escriba la clave INEGI de dos dígitos.")},
    )


class DataPagination(PageNumberPagination):
    page_size = 500
    max_page_size = 5000


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Indicadores"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Un indicador (por su clave)"),
        responses={200: IndicatorDetailSerializer, 404: NOT_FOUND},
    ),
)
class IndicatorViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    queryset = (
        Indicator.objects.order_by("code")
        .select_related("source_institution", "source", "numerator", "denominator")
        .prefetch_related("objectives")
    )
    lookup_field = "code"
    lookup_value_regex = r"[-a-z0-9_]{1,60}"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return IndicatorDetailSerializer
        if self.action == "data":
            return CellSerializer
        return IndicatorSerializer

    def get_renderers(self):
        if getattr(self, "action", None) == "data":  # JSON pages or one CSV, as a list
            return [renderer.render() for renderer in renderers_for(API)]
        return super().get_renderers()

    @extend_schema(
        summary=gettext_lazy("Las celdas publicadas de un indicador"),
        description=gettext_lazy(
            "Una fila por celda publicada: periodo, entidad (vacía: nacional) y cada "
            "desagregación (vacía: todas). Las celdas pequeñas, y las que permitirían "
            "deducirlas, están reservadas: «value» vacío y «suppressed» verdadero. Con "
            "?format=csv, todas las filas en un solo CSV."
        ),
        parameters=[
            OpenApiParameter(
                "period",
                YEAR,
                description=gettext_lazy("Periodo (año)."),
            ),
            OpenApiParameter(
                "state",
                {"type": "string", "pattern": "^([0-9]{2})?$"},
                description=gettext_lazy(
                    "Entidad (clave INEGI de dos dígitos); vacío: solo las celdas nacionales."
                ),
            ),
            FORMAT,
        ],
        responses={200: CellSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="data")
    def data(self, request, code=None):
        indicator = get_object_or_404(Indicator, code=code)
        query = DataQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data.get("period")
        state = query.validated_data.get("state")
        if state and not State.objects.filter(inegi_code=state).exists():
            raise exceptions.NotFound(
                _("state: «%(value)s» no existe en el catálogo.") % {"value": state}
            )
        rows = [
            {
                "period": cell.period,
                "period_label": cell.period_label,
                "state": cell.state,
                "sex": cell.sex,
                "age_group": cell.age_group,
                "nationality": cell.nationality,
                "country_of_birth": cell.country_of_birth,
                "population": cell.population,
                "objective": cell.objective,
                "value": cell.value,
                "suppressed": cell.suppressed,
                "status": cell.status,
                "source_cited": cell.source_cited,
                "flags": list(cell.flags),
            }
            for cell in published.cells(indicator, period=period, state=state)
        ]
        if request.accepted_renderer.format == "csv":
            return Response(rows)
        paginator = DataPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)


class ValueInputSerializer(serializers.Serializer):
    """One value of one cell, entered as a draft (unknown fields are refused)."""

    period = serializers.IntegerField(min_value=1900, max_value=2999)
    period_label = serializers.CharField(required=False, allow_blank=True, max_length=60)
    state = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2,
        help_text=gettext_lazy("Clave INEGI; vacío: nacional."),
    )
    sex = serializers.CharField(required=False, allow_blank=True, max_length=20)
    age_group = serializers.CharField(required=False, allow_blank=True, max_length=20)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=3)
    country_of_birth = serializers.CharField(required=False, allow_blank=True, max_length=3)
    population = serializers.CharField(required=False, allow_blank=True, max_length=60)
    objective = serializers.CharField(required=False, allow_blank=True, max_length=2)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, min_value=0)
    status = serializers.RegexField(
        r"^(preliminar|definitivo)$",
        required=False,
        default=Value.Status.PRELIMINARY,
        help_text=gettext_lazy("preliminar o definitivo"),
        error_messages={"invalid": gettext_lazy("Escriba «preliminar» o «definitivo».")},
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name[:60]: [_("Campo desconocido.")] for name in unknown[:20]}
                )
        return super().to_internal_value(data)


class ValueOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = serializers.CharField()
    period = serializers.IntegerField()
    period_label = serializers.CharField()
    state = serializers.CharField()
    sex = serializers.CharField()
    age_group = serializers.CharField()
    nationality = serializers.CharField()
    country_of_birth = serializers.CharField()
    population = serializers.CharField()
    objective = serializers.CharField()
    value = serializers.CharField()
    status = serializers.CharField()
    review = serializers.CharField(help_text=gettext_lazy("borrador, enviado o aprobado"))


def value_row(value: Value) -> dict:
    return {
        "id": value.pk,
        "indicator": value.indicator.code,
        **{name: getattr(value, name) for name in CELL_FIELDS},
        "value": format(value.value.normalize(), "f"),
        "status": value.status,
        "review": value.review,
    }


VALUE_CONFLICT = OpenApiResponse(
    description=gettext_lazy("El valor está aprobado: un revisor debe desbloquearlo.")
)


class IndicatorValueViewSet(ApiView, viewsets.ViewSet):
    """Entering a value of an indicator with a token (``POST …/indicators/{code}/values/``)."""

    lookup_field = "code"

    @extend_schema(
        summary=gettext_lazy("Capturar o corregir un valor (borrador)"),
        description=gettext_lazy(
            "Un informante captura valores de los indicadores de su institución; un enlace, "
            "los de su entidad en indicadores desagregados por entidad; la UPM, cualquiera. "
            "Si la celda ya tiene valor se corrige y vuelve a borrador; un valor aprobado "
            "está bloqueado (409). Se valida con las mismas reglas que la captura web."
        ),
        request=ValueInputSerializer,
        responses={
            201: ValueOutputSerializer,
            400: None,
            403: None,
            404: NOT_FOUND,
            409: VALUE_CONFLICT,
        },
    )
    def create(self, request, code=None):
        # The body is parsed first: a hostile one is a 400 whatever the address names.
        payload = request.data
        indicator = get_object_or_404(Indicator, code=code)
        decision = permissions.can(request.user, "submit", indicator)
        if not decision:
            raise exceptions.PermissionDenied(decision.reason)
        incoming = ValueInputSerializer(data=payload)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            saved = save_value(
                request.user,
                indicator,
                value=data.pop("value"),
                status=data.pop("status"),
                comment=data.pop("comment", ""),
                **data,
            )
        except ValuesRefused as refused:
            if refused.forbidden:
                raise exceptions.PermissionDenied(refused.message) from refused
            if refused.conflict:
                raise Conflict(refused.message) from refused
            raise exceptions.ValidationError({"non_field_errors": [refused.message]}) from refused
        return Response(value_row(saved), status=status.HTTP_201_CREATED)
