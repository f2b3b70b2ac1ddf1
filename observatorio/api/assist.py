"""``/api/v1/suggest/objectives/`` and ``/api/v1/programs/similar/``: assistance, read-only.

Both are public and rate-limited like the rest of the API, and read only published
programs (the model learns from them; the similar programs are among them). They take a
text in ``text`` (at most :data:`MAX_TEXT` characters: a longer one is a 400; an address far
longer than any text allowed, 414). An empty or binary text is a 400 with a Spanish
message; a text without words, or in another language, answers no suggestion and a
``notice`` that says why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from observatorio.assist import actions
from observatorio.assist.similarity import MAX_LIMIT
from observatorio.assist.text import PATTERN as TEXT_PATTERN
from observatorio.programs import permissions

from .fields import QueryIntegerField
from .views import NOT_FOUND, ApiView

#: Characters of ``text`` accepted (a report's title, description and results fit).
MAX_TEXT = 6000
#: Bytes of address read to say that a text is too long (beyond, a 414 without reading it).
MAX_READ_BYTES = 2_000_000

TEXT = OpenApiParameter(
    "text",
    {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": TEXT_PATTERN},
    required=True,
    description=gettext_lazy(
        "Texto del programa en español: título, descripción y resultados (hasta 6,000 "
        "caracteres, sin caracteres de control salvo tabuladores y saltos de línea)."
    ),
)
BAD_TEXT = OpenApiResponse(
    description=gettext_lazy("Texto vacío, de más de 6,000 caracteres o con caracteres de control.")
)


class _Query(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=MAX_LIMIT, required=False)


class _SuggestQuery(serializers.Serializer):
    limit = QueryIntegerField(min_value=1, max_value=23, required=False)


def _text(request) -> str:
    values = request.query_params.getlist("text")
    if not values:
        raise exceptions.ValidationError({"text": [_("Falta el parámetro «text».")]})
    if len(values) > 1:
        raise exceptions.ValidationError({"text": [_("Envíe un solo parámetro «text».")]})
    text = values[0]
    if len(text) > MAX_TEXT:
        raise exceptions.ValidationError(
            {"text": [_("El texto pasa de %(max)s caracteres.") % {"max": f"{MAX_TEXT:,}"}]}
        )
    return text


def _limit(request, default: int, query_class=_Query) -> int:
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("limit", default)


class _TextView(ApiView, APIView):
    """Reads ``text`` first: a text over :data:`MAX_TEXT` characters is a 400 that says so.

    The address may be as long as the longest text the schema allows takes percent-encoded
    (12 bytes a character at most), so that every text the schema calls valid is read; a
    longer text (up to :data:`MAX_READ_BYTES` of address, read to say what is wrong) is a
    400 naming the limit, anything longer a 414. Behind gunicorn a request line is at most
    8,190 bytes (``gunicorn.conf.py``): a longer one is refused by the server first.
    """

    max_query_bytes = MAX_TEXT * 12 + 1000
    query_hint = gettext_lazy("el texto admite hasta 6,000 caracteres.")

    def initial(self, request, *args, **kwargs):
        if len(request.META.get("QUERY_STRING", "")) <= MAX_READ_BYTES:
            for text in request.GET.getlist("text"):
                if len(text) > MAX_TEXT:
                    raise exceptions.ValidationError(
                        {
                            "text": [
                                _("El texto pasa de %(max)s caracteres.") % {"max": f"{MAX_TEXT:,}"}
                            ]
                        }
                    )
        super().initial(request, *args, **kwargs)


class ObjectiveSuggestion(serializers.Serializer):
    schema_description = gettext_lazy("Un objetivo sugerido.")

    objective = serializers.IntegerField(help_text=gettext_lazy("Número del objetivo (1 a 23)."))
    score = serializers.FloatField(help_text=gettext_lazy("Confianza calibrada, de 0 a 1."))
    title = serializers.CharField(help_text=gettext_lazy("Título del objetivo."))
    terms = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Palabras del texto que más pesaron.")
    )


class SuggestionModelInfo(serializers.Serializer):
    schema_description = gettext_lazy("El modelo que sugirió.")

    version = serializers.IntegerField()
    data_version = serializers.CharField()
    trained_at = serializers.DateTimeField()
    programs = serializers.IntegerField()


class ObjectiveSuggestions(serializers.Serializer):
    results = ObjectiveSuggestion(many=True)
    notice = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy("Aviso sobre el texto (idioma, palabras), o vacío."),
    )
    model = SuggestionModelInfo(allow_null=True)


class SuggestObjectivesView(_TextView):
    @extend_schema(
        operation_id="suggest_objectives",
        summary=gettext_lazy("Objetivos sugeridos para un texto"),
        description=gettext_lazy(
            "Los objetivos del Pacto Mundial más probables para el texto de un programa, con "
            "una confianza calibrada y las palabras que más pesaron. Aprendidos de los "
            "programas publicados; nunca deciden por quien reporta."
        ),
        parameters=[
            TEXT,
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 23},
                description=gettext_lazy("Cuántos objetivos (3 si se omite)."),
            ),
        ],
        responses={200: ObjectiveSuggestions, 400: BAD_TEXT},
    )
    def get(self, request):
        text = _text(request)
        limit = _limit(request, 3, _SuggestQuery)
        try:
            found = actions.suggest(text, limit)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"text": exc.messages}) from None
        return Response(
            {
                "results": [
                    {k: r[k] for k in ("objective", "score", "title", "terms")}
                    for r in found.results
                ],
                "notice": found.notice,
                "model": found.model,
            }
        )


class SimilarProgram(serializers.Serializer):
    schema_description = gettext_lazy("Un programa publicado parecido.")

    id = serializers.IntegerField()
    title = serializers.CharField()
    cycle = serializers.IntegerField(help_text=gettext_lazy("Edición del ciclo (año)."))
    objective = serializers.IntegerField(help_text=gettext_lazy("Número del objetivo principal."))
    score = serializers.FloatField(help_text=gettext_lazy("Similitud coseno, de 0 a 1."))
    section = serializers.CharField(help_text=gettext_lazy("Parte: federal o estatal."))
    state = serializers.CharField(allow_null=True, help_text=gettext_lazy("Clave INEGI o null."))
    institutions = serializers.ListField(child=serializers.CharField())
    passages = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Pasajes con las mismas palabras.")
    )
    url = serializers.CharField()


class SimilarPrograms(serializers.Serializer):
    results = SimilarProgram(many=True)


def _similar(request, found) -> Response:
    return Response(
        {
            "results": [
                {
                    "id": s.program.pk,
                    "title": s.program.title,
                    "cycle": s.program.cycle.edition,
                    "objective": s.program.objective.number,
                    "score": s.score,
                    "section": s.program.section,
                    "state": s.program.state.inegi_code if s.program.state_id else None,
                    "institutions": [i.acronym for i in s.program.institutions.all()],
                    "passages": s.passages,
                    "url": request.build_absolute_uri(
                        reverse("api:program-detail", args=[s.program.pk])
                    ),
                }
                for s in found
            ]
        }
    )


LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    description=gettext_lazy("Cuántos programas (10 si se omite)."),
)


class SimilarToTextView(_TextView):
    @extend_schema(
        operation_id="programs_similar_to_text",
        summary=gettext_lazy("Programas publicados parecidos a un texto"),
        description=gettext_lazy(
            "Los programas publicados (de cualquier ciclo, entidad o institución) más "
            "parecidos al texto, con su similitud y los pasajes que comparten."
        ),
        parameters=[TEXT, LIMIT],
        responses={200: SimilarPrograms, 400: BAD_TEXT},
    )
    def get(self, request):
        text = _text(request)
        limit = _limit(request, 10)
        try:
            found = actions.similar(text=text, limit=limit)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"text": exc.messages}) from None
        return _similar(request, found)


class SimilarToProgramView(ApiView, APIView):
    @extend_schema(
        operation_id="programs_similar",
        summary=gettext_lazy("Programas publicados parecidos a un programa"),
        description=gettext_lazy(
            "Los programas publicados más parecidos al programa «id» (excluido él mismo)."
        ),
        parameters=[LIMIT],
        responses={200: SimilarPrograms, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        program = get_object_or_404(
            permissions.visible(request.user).select_related("cycle", "objective", "state"), pk=pk
        )
        limit = _limit(request, 10)
        return _similar(request, actions.similar(program=program, limit=limit))
