"""``/api/v1/bodies/``, ``/sessions/``, ``/agreements/`` and ``/information-requests/``:
coordination bodies and their follow-up, read-only.

Everything is narrowed by ``coordination.permissions`` exactly as on the pages: anonymous
clients see public bodies, published sessions and public agreements; internal minutes
are never in the API (only whether a session has public minutes, and their address).
Information requests need a token (401 otherwise) and list only what the user may see.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, viewsets

from observatorio.coordination import permissions
from observatorio.coordination.models import Agreement, Body, InformationRequest, Session

from .fields import QueryIntegerField
from .views import FORMAT, NOT_FOUND, ApiView, ListFormats

# --- serializers -----------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class Code(serializers.Field):
    """A related record's code by a dotted path (``body.state.inegi_code``); "" when the
    relation is empty (a federal body has no state)."""

    def __init__(self, path: str, help_text):
        self.path = path.split(".")
        super().__init__(source="*", read_only=True, help_text=help_text)

    def to_representation(self, obj):
        for name in self.path:
            obj = getattr(obj, name, None)
            if obj is None:
                return ""
        return obj


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class Acronyms(serializers.Field):
    """The sorted acronyms of a relation's institutions."""

    def __init__(self, help_text):
        super().__init__(read_only=True, help_text=help_text)

    def to_representation(self, related):
        return sorted(i.acronym for i in related.all())


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "slug": {"type": "string"},
            "lines": {"type": "array", "items": {"type": "integer"}},
        },
    }
)
class Source(serializers.Field):
    """The document a loaded record comes from and its first and last line."""

    def __init__(self):
        super().__init__(
            source="*",
            read_only=True,
            help_text=gettext_lazy("Documento de origen y sus líneas (primera y última)."),
        )

    def to_representation(self, obj):
        if obj.source_id is None:
            return None
        return {"slug": obj.source.slug, "lines": [obj.first_line, obj.last_line]}


STATE = gettext_lazy("Clave INEGI de la entidad; vacío: federal.")
BODY = gettext_lazy("Clave del órgano.")


class BodySerializer(serializers.ModelSerializer):
    state = Code("state.inegi_code", STATE)
    parent = Code("parent.key", gettext_lazy("Clave del órgano del que depende."))
    lead_institution = Code("lead_institution.acronym", gettext_lazy("Siglas."))
    member_institutions = serializers.SerializerMethodField(
        help_text=gettext_lazy("Siglas de las instituciones integrantes vigentes.")
    )
    other_names = serializers.SlugRelatedField(
        source="names",
        slug_field="name",
        many=True,
        read_only=True,
        help_text=gettext_lazy("Otros nombres con que lo nombran los documentos."),
    )
    source = Source()

    class Meta:
        model = Body
        fields = [
            "key",
            *Body.DETAILS,
            "installed_year",
            "dissolved_on",
            "lead_institution",
            "lead_person",
            "member_institutions",
            "other_names",
            "description",
            "source",
        ]

    def get_member_institutions(self, body) -> list[str]:
        seats = body.members.all()
        return sorted({m.institution.acronym for m in seats if m.institution_id and m.in_force()})


class SessionSerializer(serializers.ModelSerializer):
    body = Code("body.key", BODY)
    convened_by = Code("convened_by.acronym", gettext_lazy("Siglas."))
    attending = Acronyms(gettext_lazy("Instituciones que asistieron."))
    agenda = serializers.ListField(
        source="agenda_items",
        child=serializers.CharField(),
        read_only=True,
        help_text=gettext_lazy("Puntos del orden del día."),
    )
    linked = serializers.SerializerMethodField(
        help_text=gettext_lazy("Identificadores de las sesiones vinculadas visibles.")
    )
    minutes_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Dirección del acta si es pública; vacío si no hay o es interna.")
    )
    source = Source()

    class Meta:
        model = Session
        fields = ["id", "body", *Session.DETAILS, "attending", "linked", "minutes_url", "source"]

    def get_linked(self, session) -> list[int]:
        visible = self.context.get("visible_sessions")
        return sorted(s.pk for s in session.linked.all() if visible is None or s.pk in visible)

    def get_minutes_url(self, session) -> str:
        # Only public minutes: internal ones never reach the API, whoever asks.
        if session.minutes_id and session.minutes_public and session.public and session.body.public:
            return reverse("coordination:minutes", args=[session.pk])
        return ""


class AgreementSerializer(serializers.ModelSerializer):
    body = Code("body.key", BODY)
    state = Code("body.state.inegi_code", STATE)
    responsible = Acronyms(gettext_lazy("Instituciones responsables."))
    status = serializers.CharField(
        source="shown_status",
        read_only=True,
        help_text=gettext_lazy("pending, in_progress, done, cancelled u overdue (calculado)."),
    )
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text=gettext_lazy("Pendiente o en proceso con la fecha compromiso vencida."),
    )
    progress = serializers.SerializerMethodField(
        help_text=gettext_lazy("Notas de seguimiento: fecha, tipo, texto y estado nuevo.")
    )
    source = Source()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "body",
            "state",
            "session",
            "text",
            "responsible",
            "agreed_on",
            "due_on",
            "status",
            "overdue",
            "closed_on",
            "progress",
            "source",
        ]

    def get_progress(self, agreement) -> list[dict]:
        return [
            {"on": n.on.isoformat(), "kind": n.kind, "text": n.text, "status_to": n.status_to}
            for n in agreement.notes.all()
        ]


class RequestSerializer(serializers.ModelSerializer):
    states = serializers.SlugRelatedField(
        slug_field="inegi_code",
        many=True,
        read_only=True,
        help_text=gettext_lazy("Entidades a las que se pidió."),
    )
    answers = serializers.SerializerMethodField(
        help_text=gettext_lazy("Por entidad visible: estado de la respuesta y si llegó a tiempo.")
    )

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "title",
            "question",
            "deadline",
            "created_at",
            "closed",
            "states",
            "answers",
        ]

    def get_answers(self, item) -> list[dict]:
        allowed = self.context["answer_states"](item)
        by_state = {a.state_id: a for a in item.answers.all()}
        rows = []
        for state in sorted(item.states.all(), key=lambda s: s.inegi_code):
            if allowed is not None and state.pk not in allowed:
                continue
            answer = by_state.get(state.pk)
            rows.append(
                {
                    "state": state.inegi_code,
                    "status": answer.status if answer else "missing",
                    "answered_at": answer.first_answered_at.isoformat() if answer else None,
                    "on_time": (answer.first_answered_at.date() <= item.deadline)
                    if answer
                    else None,
                }
            )
        return rows


# --- query parameters ------------------------------------------------------------------

CODE = r"^[-a-z0-9]{1,60}$"


class _Query(serializers.Serializer):
    body = serializers.RegexField(CODE, required=False, help_text=gettext_lazy("Clave del órgano."))
    state = serializers.RegexField(
        r"^[0-9]{2}$",
        required=False,
        error_messages={"invalid": gettext_lazy("Escriba la clave INEGI de dos dígitos.")},
    )


class BodyQuery(_Query):
    kind = serializers.ChoiceField(
        choices=Body.Kind.values,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Tipo de órgano desconocido: {input}.")},
    )


class AgreementQuery(_Query):
    institution = serializers.RegexField(r"^[-A-Za-z0-9]{1,40}$", required=False)
    status = serializers.ChoiceField(
        choices=list(Agreement.STATUS_LABELS),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Estado desconocido: {input}.")},
    )
    overdue = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Use true o false.")},
    )
    session = QueryIntegerField(min_value=1, max_value=10**12, required=False)


def _query(view, serializer_class) -> dict:
    for name, value in view.request.query_params.items():
        if name in serializer_class().fields and value == "":
            raise exceptions.ValidationError({name: [_("Escriba un valor o quite el parámetro.")]})
    query = serializer_class(data=view.request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


#: The schema of each query parameter (what the query serializers accept).
PARAMETER_TYPES = {
    "body": {"type": "string", "pattern": CODE},
    "state": {"type": "string", "pattern": r"^[0-9]{2}$"},
    "kind": {"type": "string", "enum": Body.Kind.values},
    "institution": {"type": "string", "pattern": r"^[-A-Za-z0-9]{1,40}$"},
    "status": {"type": "string", "enum": list(Agreement.STATUS_LABELS)},
    "overdue": {"type": "string", "enum": ["true", "false"]},
    "session": {"type": "integer", "minimum": 1, "maximum": 10**12},
}


def _params(*names_and_help) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, PARAMETER_TYPES[name], description=text)
        for name, text in names_and_help
    ]


BODY_PARAMS = _params(
    ("body", gettext_lazy("Clave del órgano.")),
    ("state", gettext_lazy("Clave INEGI de la entidad (dos dígitos).")),
)


# --- views -----------------------------------------------------------------------------


class _Listed(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    """A read-only list narrowed by the coordination policy, then by the list's filters
    (``query``, validated; ``narrow`` applies them); one record by its id."""

    lookup_value_regex = r"[0-9]{1,18}"
    model: type
    query: type[serializers.Serializer]

    def get_queryset(self):
        qs = permissions.visible(self.request.user, self.model.objects.all())
        if self.action == "list":
            qs = self.narrow(qs, _query(self, self.query))
        return self.loaded(qs)

    def narrow(self, qs, data: dict):
        return qs

    def loaded(self, qs):
        return qs

    def get_object(self):
        found = get_object_or_404(
            self.get_queryset(), **{self.lookup_field: self.kwargs[self.lookup_field]}
        )
        self.check_object_permissions(self.request, found)
        return found


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Órganos de coordinación"),
        parameters=[
            FORMAT,
            *_params(
                ("state", gettext_lazy("Clave INEGI de la entidad (dos dígitos).")),
                ("kind", gettext_lazy("Tipo de órgano.")),
            ),
        ],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Un órgano (por su clave)"),
        responses={200: BodySerializer, 404: NOT_FOUND},
    ),
)
class BodyViewSet(_Listed):
    serializer_class = BodySerializer
    model, query = Body, BodyQuery
    lookup_field = "key"
    lookup_value_regex = r"[-a-z0-9_]{1,60}"

    def narrow(self, qs, data):
        if data.get("state"):
            qs = qs.filter(state__inegi_code=data["state"])
        return qs.filter(kind=data["kind"]) if data.get("kind") else qs

    def loaded(self, qs):
        return (
            qs.select_related("state", "parent", "lead_institution", "source")
            .prefetch_related("members__institution", "names")
            .order_by("state__inegi_code", "key")
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Sesiones"), parameters=[FORMAT, *BODY_PARAMS]),
    retrieve=extend_schema(
        summary=gettext_lazy("Una sesión"), responses={200: SessionSerializer, 404: NOT_FOUND}
    ),
)
class SessionViewSet(_Listed):
    serializer_class = SessionSerializer
    model, query = Session, _Query

    def narrow(self, qs, data):
        if data.get("body"):
            qs = qs.filter(body__key=data["body"])
        if data.get("state"):
            qs = qs.filter(body__state__inegi_code=data["state"])
        return qs

    def loaded(self, qs):
        return (
            qs.select_related("body", "body__state", "convened_by", "source")
            .prefetch_related("attending", "linked")
            .order_by("-date", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        visible = permissions.visible(self.request.user, Session.objects.all())
        context["visible_sessions"] = set(visible.values_list("pk", flat=True))
        return context


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Acuerdos y su seguimiento"),
        parameters=[
            FORMAT,
            *BODY_PARAMS,
            *_params(
                ("institution", gettext_lazy("Siglas de una institución responsable.")),
                ("status", gettext_lazy("pending, in_progress, done, cancelled u overdue.")),
                ("overdue", gettext_lazy("true: solo vencidos; false: ninguno vencido.")),
                ("session", gettext_lazy("Identificador de la sesión.")),
            ),
        ],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Un acuerdo"), responses={200: AgreementSerializer, 404: NOT_FOUND}
    ),
)
class AgreementViewSet(_Listed):
    serializer_class = AgreementSerializer
    model, query = Agreement, AgreementQuery

    def narrow(self, qs, data):
        return qs.tracked(**data)

    def loaded(self, qs):
        # By id: the visibility and filters may join (responsible institutions) and repeat.
        return (
            Agreement.objects.filter(pk__in=qs.values("pk"))
            .select_related("body", "body__state", "source")
            .prefetch_related("responsible", "notes")
            .order_by("body__key", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Solicitudes de información (usuarios autorizados)")),
    retrieve=extend_schema(
        summary=gettext_lazy("Una solicitud de información"),
        responses={200: RequestSerializer, 404: NOT_FOUND},
    ),
)
class InformationRequestViewSet(_Listed):
    serializer_class = RequestSerializer
    model, query = InformationRequest, serializers.Serializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("Use un token de la API para ver las solicitudes."))

    def loaded(self, qs):
        return qs.prefetch_related("states", "answers").order_by("-created_at", "-pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user

        def answer_states(item):
            if permissions.can(user, "review_answers"):
                return None
            return set(permissions.answerable_states(user, item).values_list("pk", flat=True))

        context["answer_states"] = answer_states
        return context


#: The endpoints under /api/v1/ (prefix, view set, base name), registered by ``urls.py``.
ROUTES = (
    ("bodies", BodyViewSet, "body"),
    ("sessions", SessionViewSet, "session"),
    ("agreements", AgreementViewSet, "agreement"),
    ("information-requests", InformationRequestViewSet, "information-request"),
)
