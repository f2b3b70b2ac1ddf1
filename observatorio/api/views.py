"""The API's endpoints under ``/api/v1/``.

Every view here is declared ``@public`` (``lib/access.py``): anyone may *read*, and
anonymous clients see published data only; writes need a token (401 otherwise)
and then ask the one policy, ``programs.permissions`` — exactly as the web pages.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from observatorio.catalog.models import (
    GcmObjective,
    Institution,
    PopulationGroup,
    Region,
    State,
)
from observatorio.lib.access import public
from observatorio.lib.renderers import formats_for, renderers_for
from observatorio.practices.models import GoodPractice
from observatorio.programs import actions, permissions
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published import caches, version
from observatorio.published.coverage import coverage
from observatorio.published.cycles import default_cycle, published_cycles
from observatorio.published.filters import (
    COMPENDIUM_ORDER,
    NOT_IN_CATALOGUE,
    ChoiceByField,
    ProgramFilter,
)
from observatorio.published.querying import published_ids
from observatorio.published.representation import programs_as_dicts, published_as_dicts

from . import serializers as s
from .errors import Conflict, Throttled, UriTooLong
from .fields import QueryIntegerField
from .renderers import API, JSONRenderer
from .writing import save_report

# --- shared behaviour ------------------------------------------------------------------

#: Bytes of query string the API reads. Above every request the schema allows (each string
#: parameter is bounded; 200 characters of search percent-encoded take at most 2,400
#: bytes), below gunicorn's request-line limit (8,190 bytes, gunicorn.conf.py), so that a
#: longer address gets this API's JSON answer rather than the server's.
MAX_QUERY_BYTES = 8000


class ApiView:
    """Mixed into every API view: declared public (see module docstring), Spanish 429.

    A method the endpoint does not have is a 405 before anything else (credentials,
    format), so that the answer says what is wrong. OPTIONS is not offered.
    """

    http_method_names = ["get", "post", "patch", "head"]

    @classmethod
    def as_view(cls, *args, **kwargs):
        return public(super().as_view(*args, **kwargs))

    def initial(self, request, *args, **kwargs):
        limit = getattr(self, "max_query_bytes", MAX_QUERY_BYTES)
        if len(request.META.get("QUERY_STRING", "")) > limit:
            raise UriTooLong(limit, getattr(self, "query_hint", ""))
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def throttled(self, request, wait):
        raise Throttled(wait)


class ListFormats:
    """List endpoints answer JSON or CSV (``?format=csv`` or ``Accept: text/csv``)."""

    def get_renderers(self):
        if getattr(self, "action", None) == "list":
            return [renderer.render() for renderer in renderers_for(API)]
        return [JSONRenderer()]

    def perform_content_negotiation(self, request, force=False):
        chosen = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        formats = [renderer.format for renderer in self.get_renderers()]
        if not force and chosen is not None and chosen not in formats:
            raise exceptions.ValidationError(
                {
                    api_settings.URL_FORMAT_OVERRIDE: [
                        _("Formato desconocido; use: %(formats)s.")
                        % {"formats": ", ".join(formats)}
                    ]
                }
            )
        return super().perform_content_negotiation(request, force=force)


#: A year in a query parameter (a cycle's edition, an indicator's period).
YEAR = {"type": "integer", "minimum": 1900, "maximum": 2999}

FORMAT = OpenApiParameter(
    "format",
    str,
    enum=formats_for(API),
    description=gettext_lazy("Formato de la respuesta: json (predeterminado) o csv."),
)


class FilterBackend(filters.BaseFilterBackend):
    """Apply the view's django-filter FilterSet; invalid values are a 400 with its messages.

    The filter set stays on the view (for the search ranking). The schema's parameters are
    declared on each view, typed, with the filter set's own labels.
    """

    #: Filters whose empty value means "not filtered" (every other one must have a value).
    may_be_empty = ("search",)

    def filter_queryset(self, request, queryset, view):
        return self.validated(request, queryset, view).qs

    def validated(self, request, queryset, view):
        """The view's filter set for this request, validated (a 400 if not); not yet run."""
        empty = {
            name: [_("Escriba un valor o quite el parámetro.")]
            for name in view.filterset_class.base_filters
            if name not in self.may_be_empty and request.query_params.get(name, None) == ""
        }
        if empty:
            raise exceptions.ValidationError(empty)
        filterset = view.filterset_class(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            unknown = [
                name
                for name, found in errors.items()
                if all(error.code == NOT_IN_CATALOGUE for error in found)
            ]
            if len(unknown) == len(errors):
                # Well formed, but naming nothing that exists: like /states/99/, a 404.
                raise exceptions.NotFound(
                    " ".join(
                        _("%(name)s: «%(value)s» no existe en el catálogo.")
                        % {"name": name, "value": str(request.query_params.get(name))[:100]}
                        for name in unknown
                    )
                )
            raise translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset

    def get_schema_operation_parameters(self, view):
        return []


class CatalogViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    """A read-only catalogue, looked up by its natural key."""


# --- programs --------------------------------------------------------------------------


def _label(name: str) -> str:
    return ProgramFilter.base_filters[name].label


def _filter_parameters() -> list[OpenApiParameter]:
    """The filters of ProgramFilter, typed for the schema; their texts are the filter's."""
    search = ProgramFilter.base_filters["search"]
    return [
        OpenApiParameter(
            "search",
            {"type": "string", "maxLength": search.extra["max_length"]},
            description=search.extra["help_text"],
        ),
        OpenApiParameter(
            "objective",
            {"type": "integer", "minimum": 1, "maximum": 23},
            description=_label("objective"),
        ),
        OpenApiParameter(
            "section", str, enum=Program.Section.values, description=_label("section")
        ),
        OpenApiParameter(
            "state", {"type": "string", "pattern": "^[0-9]{2}$"}, description=_label("state")
        ),
        OpenApiParameter(
            "region",
            {"type": "string", "minLength": 1, "maxLength": 100},
            description=_label("region"),
        ),
        OpenApiParameter(
            "institution",
            {"type": "string", "minLength": 1, "maxLength": 100},
            description=_label("institution"),
        ),
        OpenApiParameter(
            "population",
            {"type": "string", "minLength": 1, "maxLength": 100},
            description=_label("population"),
        ),
        OpenApiParameter(
            "cycle",
            YEAR,
            description=_label("cycle"),
        ),
        OpenApiParameter("quantitative", OpenApiTypes.BOOL, description=_label("quantitative")),
    ]


NOT_FOUND = OpenApiResponse(description=gettext_lazy("No existe o no es visible para usted."))
CONFLICT = OpenApiResponse(
    description=gettext_lazy(
        "El estado del reporte no lo permite (p. ej. ya se envió, o le faltan datos para "
        "enviarlo), o cambió desde la versión enviada."
    )
)


def _transition_doc(summary, description, request, conflict=True):
    responses = {200: s.ProgramSerializer, 403: None, 404: NOT_FOUND}
    if conflict:
        responses[409] = CONFLICT
    return extend_schema(
        summary=summary, description=description, request=request, responses=responses
    )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Programas y acciones"),
        description=gettext_lazy(
            "Sin token, solo los publicados. Con token, además los reportes que su ámbito le "
            "deja ver (los borradores de su entidad o institución; todos, para la UPM); el "
            "campo status dice en qué estado está cada uno. Con «search», ordenados por "
            "relevancia; si no, en el orden del compendio (ciclo más reciente, parte, "
            "objetivo, número). Los filtros son los mismos del portal."
        ),
        parameters=[*_filter_parameters(), FORMAT],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Un programa o acción"),
        responses={200: s.ProgramSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=gettext_lazy("Crear un reporte (borrador)"),
        description=gettext_lazy(
            "Un enlace estatal crea reportes de su entidad (section «estatal», state con su "
            "clave INEGI); un informante institucional, reportes federales que incluyen a su "
            "institución. El ciclo debe estar abierto. Se valida con las mismas reglas que "
            "el formulario web; los campos desconocidos se rechazan."
        ),
        request=s.ProgramCreateSerializer,
        responses={201: s.ProgramSerializer, 403: None},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Editar un reporte en borrador o devuelto"),
        description=gettext_lazy(
            "Solo cambian los campos enviados. Lleve la versión que leyó: si el reporte "
            "cambió después, se responde 409 y no se guarda nada."
        ),
        request=s.ProgramUpdateSerializer,
        responses={200: s.ProgramSerializer, 403: None, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class ProgramViewSet(
    ApiView,
    ListFormats,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ProgramSerializer
    filterset_class = ProgramFilter
    filter_backends = [FilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"
    filterset = None

    def get_queryset(self):
        # Published programs for anonymous clients; what the policy shows a user with a token.
        return permissions.visible(self.request.user)

    def get_object(self):
        # Filters narrow lists only; a program is found by its id among the visible ones.
        program = get_object_or_404(
            self.get_queryset().select_related("cycle", "objective", "state"),
            pk=self.kwargs["pk"],
        )
        self.check_object_permissions(self.request, program)
        return program

    def list(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return self.paginator.response_for(self._page(request))
        # What anonymous clients see changes only with the published data: each worker
        # keeps recent pages for the current data version (as the portal does).
        data_version = version.current()
        key = (request.build_absolute_uri(), request.accepted_renderer.format)
        page = caches.API_PAGES.get(data_version, key)
        if page is None:
            page = self._page(request)
            caches.API_PAGES.put(data_version, key, page)
        return self.paginator.response_for(page)

    def _page(self, request) -> dict:
        """One page of the filtered programs: ``count``, ``next``, ``previous``, ``results``."""
        if not request.user.is_authenticated:
            # Published programs only: the portal's in-memory search and filter indexes
            # select and order them (the same ids as the SQL below, tested).
            results = published_as_dicts(self.paginate_queryset(self._published_selection()))
        else:
            queryset = self.filter_queryset(self.get_queryset())
            if self.filterset.ranking is None:
                # Sort ids only (narrow rows), then load the page's programs by id.
                ordered = queryset.order_by(*COMPENDIUM_ORDER).values_list("pk", flat=True)
            else:
                # By relevance: the ordered ids of the search hits.
                ordered = self.filterset.ordered_ids()
            results = programs_as_dicts(self.paginate_queryset(ordered))
        return {
            "count": self.paginator.page.paginator.count,
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "results": results,
        }

    def _published_selection(self) -> list[int]:
        """The ordered ids of the published programs the request's filters select."""
        params = self.request.query_params
        data_version = version.current()
        # The filter set reads one value per name (the last one), as this key does.
        key = tuple(
            (name, params.get(name)) for name in self.filterset_class.base_filters if name in params
        )
        ids = caches.API_SELECTIONS.get(data_version, key)
        if ids is None:
            filterset = FilterBackend().validated(self.request, self.get_queryset(), self)
            ids = published_ids(filterset)
            caches.API_SELECTIONS.put(data_version, key, ids)
        return ids

    def retrieve(self, request, *args, **kwargs):
        return Response(programs_as_dicts([self.get_object().pk])[0])

    def create(self, request, *args, **kwargs):
        _refuse_unless(permissions.can(request.user, "report"))
        incoming = s.ProgramCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        program = Program(
            cycle=values["cycle"],
            section=values["section"],
            state=values.get("state"),
            created_by=request.user,
        )
        claimed = {i.pk for i in values.get("institutions", [])}
        _refuse_unless(
            permissions.can(request.user, "create", program, institutions=claimed or None)
        )
        program = save_report(request.user, program, values)
        return Response(self._fresh(program), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        program = self.get_object()
        _refuse_unless(permissions.can(request.user, "edit", program))
        incoming = s.ProgramUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        program = save_report(request.user, program, incoming.validated_data)
        return Response(self._fresh(program))

    def _fresh(self, program: Program) -> dict:
        return programs_as_dicts([program.pk])[0]

    def _transition(self, request, action_name: str, incoming_class) -> Response:
        program = self.get_object()
        _refuse_unless(permissions.can(request.user, action_name, program))
        incoming = incoming_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        comment = incoming.validated_data.get("comment", "")
        try:
            actions.transition(program, action_name, request.user, comment)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            # The report's status, or what it lacks to be submitted.
            raise Conflict(" ".join(exc.messages)) from exc
        return Response(self._fresh(program))

    @_transition_doc(
        gettext_lazy("Enviar a revisión"),
        gettext_lazy(
            "Quien reporta envía su borrador (o lo reenvía si se le devolvió). Si le faltan "
            "datos, 409 con lo que falta."
        ),
        s.EmptySerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, "submit", s.EmptySerializer)

    @_transition_doc(
        gettext_lazy("Devolver con comentarios"),
        gettext_lazy("La UPM devuelve a quien reporta un reporte enviado, con sus comentarios."),
        s.ReturnSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_changes(self, request, pk=None):
        return self._transition(request, "return", s.ReturnSerializer)

    @_transition_doc(
        gettext_lazy("Aprobar"),
        gettext_lazy("La UPM aprueba un reporte enviado (comentario opcional)."),
        s.TransitionSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, "approve", s.TransitionSerializer)

    @_transition_doc(
        gettext_lazy("Publicar"),
        gettext_lazy("La UPM publica un reporte aprobado; recibe su número dentro del objetivo."),
        s.EmptySerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, "publish", s.EmptySerializer)

    @_transition_doc(
        gettext_lazy("Retirar"),
        gettext_lazy(
            "La UPM retira de la publicación un reporte aprobado o publicado; el motivo queda "
            "en su registro."
        ),
        s.WithdrawSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, "withdraw", s.WithdrawSerializer)

    @extend_schema(
        summary=gettext_lazy("Comentar como consejo estatal"),
        description=gettext_lazy(
            "Una persona del consejo de la entidad comenta un reporte de su entidad mientras "
            "está en revisión. Los comentarios son material de revisión: nunca se publican."
        ),
        request=s.CommentSerializer,
        responses={201: s.CommentReadSerializer, 403: None, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        program = self.get_object()
        _refuse_unless(permissions.can(request.user, "comment", program))
        incoming = s.CommentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            note = actions.comment(program, request.user, incoming.validated_data["text"])
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        return Response(
            {
                "id": note.pk,
                "text": note.text,
                "author": note.author.get_username(),
                "created_at": note.created_at,
            },
            status=status.HTTP_201_CREATED,
        )


def _refuse_unless(decision) -> None:
    """The policy's refusal as the API says it: 409 for the report's state, 403 otherwise."""
    if not decision:
        if decision.conflict:
            raise Conflict(decision.reason)
        raise exceptions.PermissionDenied(decision.reason)


# --- catalogues ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Objetivos del Pacto Mundial"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Un objetivo"), responses={200: s.ObjectiveSerializer, 404: NOT_FOUND}
    ),
)
class ObjectiveViewSet(CatalogViewSet):
    queryset = GcmObjective.objects.order_by("number")
    serializer_class = s.ObjectiveSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{1,2}"


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Entidades federativas"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Una entidad federativa (por su clave INEGI)"),
        responses={200: s.StateSerializer, 404: NOT_FOUND},
    ),
)
class StateViewSet(CatalogViewSet):
    queryset = State.objects.order_by("inegi_code").prefetch_related("regions")
    serializer_class = s.StateSerializer
    lookup_field = "inegi_code"
    lookup_value_regex = r"[0-9]{2}"


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Regiones"),
        description=gettext_lazy("Grupos de entidades según cada esquema de regionalización."),
        parameters=[FORMAT],
    ),
)
class RegionViewSet(ApiView, ListFormats, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Region.objects.order_by("scheme", "code").prefetch_related("members")
    serializer_class = s.RegionSerializer


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Instituciones"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Una institución (por sus siglas)"),
        responses={200: s.InstitutionSerializer, 404: NOT_FOUND},
    ),
)
class InstitutionViewSet(CatalogViewSet):
    queryset = Institution.objects.order_by("acronym").select_related("state", "parent")
    serializer_class = s.InstitutionSerializer
    lookup_field = "acronym"
    lookup_value_regex = r"[^/]+"


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Grupos de población"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Un grupo de población (por su clave)"),
        responses={200: s.PopulationSerializer, 404: NOT_FOUND},
    ),
)
class PopulationViewSet(CatalogViewSet):
    queryset = PopulationGroup.objects.order_by("code")
    serializer_class = s.PopulationSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Ciclos de reporte"), parameters=[FORMAT]),
    retrieve=extend_schema(
        summary=gettext_lazy("Un ciclo de reporte (por su edición)"),
        responses={200: s.CycleSerializer, 404: NOT_FOUND},
    ),
)
class CycleViewSet(CatalogViewSet):
    queryset = ReportingCycle.objects.order_by("-edition")
    serializer_class = s.CycleSerializer
    lookup_field = "edition"
    lookup_value_regex = r"[0-9]{4}"


class PracticeFilter(django_filters.FilterSet):
    state = ChoiceByField.of(
        "state",
        State,
        "inegi_code",
        gettext_lazy("Entidad federativa (clave INEGI de dos dígitos)"),
    )

    class Meta:
        model = GoodPractice
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Buenas prácticas"),
        parameters=[
            OpenApiParameter(
                "state",
                {"type": "string", "pattern": "^[0-9]{2}$"},
                description=PracticeFilter.base_filters["state"].label,
            ),
            FORMAT,
        ],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Una buena práctica"),
        responses={200: s.PracticeSerializer, 404: NOT_FOUND},
    ),
)
class PracticeViewSet(CatalogViewSet):
    queryset = (
        GoodPractice.objects.order_by("state__inegi_code", "number", "pk")
        .select_related("state", "region", "program", "source")
        .prefetch_related("institutions", "populations", "objectives")
    )
    serializer_class = s.PracticeSerializer
    filterset_class = PracticeFilter
    filter_backends = [FilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_object(self):
        practice = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, practice)
        return practice


# --- coverage --------------------------------------------------------------------------


class CoverageQuery(serializers.Serializer):
    cycle = QueryIntegerField(min_value=1900, max_value=2999, required=False)


class CoverageView(ApiView, APIView):
    @extend_schema(
        summary=gettext_lazy("Cobertura: entidades × objetivos"),
        description=gettext_lazy(
            "Programas estatales publicados de un ciclo por entidad (filas, las 32) y "
            "objetivo del Pacto Mundial (columnas, los 23); las celdas en cero son vacíos. "
            "Sin «cycle», la edición completa más reciente (cerrada y publicada), como en el "
            "portal."
        ),
        parameters=[
            OpenApiParameter(
                "cycle",
                YEAR,
                description=gettext_lazy("Edición del ciclo (año); 404 si no existe."),
            )
        ],
        responses={
            200: s.CoverageSerializer,
            404: OpenApiResponse(description=gettext_lazy("No existe ese ciclo.")),
        },
    )
    def get(self, request):
        if request.query_params.get("cycle", None) == "":
            raise exceptions.ValidationError(
                {"cycle": [_("Escriba un valor o quite el parámetro.")]}
            )
        query = CoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        edition = query.validated_data.get("cycle")
        if edition is None:
            cycle = default_cycle(published_cycles())
        else:
            cycle = ReportingCycle.objects.filter(edition=edition).first()
            if cycle is None:
                raise exceptions.NotFound(
                    _("No existe el ciclo %(edition)s.") % {"edition": edition}
                )
        data = coverage(cycle)
        return Response(
            {
                "cycle": cycle.edition if cycle else None,
                "objectives": [o.number for o in data.objectives],
                "states": [
                    {
                        "state": row.state.inegi_code,
                        "name": row.state.name,
                        "counts": row.counts,
                        "total": row.total,
                        "objectives_covered": row.objectives_covered,
                    }
                    for row in data.rows
                ],
                "objective_totals": data.objective_totals,
                "total": data.total,
                "states_reporting": data.states_reporting,
                "maximum": data.maximum,
            }
        )


# --- schema ----------------------------------------------------------------------------


class SchemaView(ApiView, SpectacularAPIView):
    """The OpenAPI 3 description of /api/v1/ (YAML; ``?format=json`` for JSON)."""


@public
@csrf_exempt
def not_found(request, path=""):
    """Any other address under /api/: a 404 in JSON, like the rest of the API."""
    detail = _("No encontrado.")
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            detail = _("Las direcciones de la API terminan en «/»: %(path)s/") % {
                "path": request.path
            }
    return JsonResponse({"detail": detail}, status=404)
