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
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets

from observatorio.coordination import permissions
from observatorio.coordination.models import Agreement, Body, InformationRequest, Session

from .fields import QueryIntegerField
from .views import FORMAT, NOT_FOUND, ApiView, ListFormats

# --- serializers -----------------------------------------------------------------------


class _Source(serializers.Serializer):
    def to_representation(self, obj):
        if obj.source_id is None:
            return None
        return {"slug": obj.source.slug, "lines": [obj.first_line, obj.last_line]}


class BodySerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(
        help_text=gettext_lazy("Clave INEGI; vacío: federal.")
    )
    parent = serializers.SerializerMethodField(
        help_text=gettext_lazy("Clave del órgano del que depende.")
    )
    lead_institution = serializers.SerializerMethodField(help_text=gettext_lazy("Siglas."))
    member_institutions = serializers.SerializerMethodField(
        help_text=gettext_lazy("Siglas de las instituciones integrantes vigentes.")
    )
    other_names = serializers.SerializerMethodField(
        help_text=gettext_lazy("Otros nombres con que lo nombran los documentos.")
    )
    source = serializers.SerializerMethodField(
        help_text=gettext_lazy("Documento de origen y sus líneas (primera y última).")
    )

    class Meta:
        model = Body
        fields = [
            "key",
            "name",
            "acronym",
            "kind",
            "state",
            "parent",
            "legal_basis",
            "installed_on",
            "installed_year",
            "dissolved_on",
            "lead_institution",
            "lead_person",
            "member_institutions",
            "other_names",
            "description",
            "source",
        ]

    def get_state(self, body) -> str:
        return body.state.inegi_code if body.state_id else ""

    def get_parent(self, body) -> str:
        return body.parent.key if body.parent_id else ""

    def get_lead_institution(self, body) -> str:
        return body.lead_institution.acronym if body.lead_institution_id else ""

    def get_member_institutions(self, body) -> list[str]:
        return sorted(
            {m.institution.acronym for m in body.members.all() if m.institution_id and m.in_force()}
        )

    def get_other_names(self, body) -> list[str]:
        return [n.name for n in body.names.all()]

    def get_source(self, body) -> dict | None:
        return _Source().to_representation(body)


class SessionSerializer(serializers.ModelSerializer):
    body = serializers.SerializerMethodField(help_text=gettext_lazy("Clave del órgano."))
    convened_by = serializers.SerializerMethodField(help_text=gettext_lazy("Siglas."))
    attending = serializers.SerializerMethodField(
        help_text=gettext_lazy("Siglas de las instituciones que asistieron.")
    )
    agenda = serializers.SerializerMethodField(help_text=gettext_lazy("Puntos del orden del día."))
    linked = serializers.SerializerMethodField(
        help_text=gettext_lazy("Identificadores de las sesiones vinculadas visibles.")
    )
    minutes_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Dirección del acta si es pública; vacío si no hay o es interna.")
    )
    source = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "body",
            "date",
            "kind",
            "number",
            "place",
            "videoconference",
            "convened_by",
            "presided_by",
            "agenda",
            "attending",
            "linked",
            "minutes_url",
            "source",
        ]

    def get_body(self, session) -> str:
        return session.body.key

    def get_convened_by(self, session) -> str:
        return session.convened_by.acronym if session.convened_by_id else ""

    def get_attending(self, session) -> list[str]:
        return sorted(i.acronym for i in session.attending.all())

    def get_agenda(self, session) -> list[str]:
        return session.agenda_items

    def get_linked(self, session) -> list[int]:
        visible = self.context.get("visible_sessions")
        return sorted(s.pk for s in session.linked.all() if visible is None or s.pk in visible)

    def get_minutes_url(self, session) -> str:
        # Only public minutes: internal ones never reach the API, whoever asks.
        if session.minutes_id and session.minutes_public and session.public and session.body.public:
            return reverse("coordination:minutes", args=[session.pk])
        return ""

    def get_source(self, session) -> dict | None:
        return _Source().to_representation(session)


class AgreementSerializer(serializers.ModelSerializer):
    body = serializers.SerializerMethodField(help_text=gettext_lazy("Clave del órgano."))
    state = serializers.SerializerMethodField(help_text=gettext_lazy("Clave INEGI del órgano."))
    session = serializers.SerializerMethodField(help_text=gettext_lazy("Sesión en que se tomó."))
    responsible = serializers.SerializerMethodField(
        help_text=gettext_lazy("Siglas de las instituciones responsables.")
    )
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("pending, in_progress, done, cancelled u overdue (calculado).")
    )
    overdue = serializers.SerializerMethodField(
        help_text=gettext_lazy("Pendiente o en proceso con la fecha compromiso vencida.")
    )
    progress = serializers.SerializerMethodField(
        help_text=gettext_lazy("Notas de seguimiento: fecha, tipo, texto y estado nuevo.")
    )
    source = serializers.SerializerMethodField()

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

    def get_body(self, agreement) -> str:
        return agreement.body.key

    def get_state(self, agreement) -> str:
        return agreement.body.state.inegi_code if agreement.body.state_id else ""

    def get_session(self, agreement) -> int | None:
        return agreement.session_id

    def get_responsible(self, agreement) -> list[str]:
        return sorted(i.acronym for i in agreement.responsible.all())

    def get_status(self, agreement) -> str:
        return agreement.shown_status()

    def get_overdue(self, agreement) -> bool:
        return agreement.is_overdue()

    def get_progress(self, agreement) -> list[dict]:
        return [
            {"on": n.on.isoformat(), "kind": n.kind, "text": n.text, "status_to": n.status_to}
            for n in agreement.notes.all()
        ]

    def get_source(self, agreement) -> dict | None:
        return _Source().to_representation(agreement)


class RequestSerializer(serializers.ModelSerializer):
    states = serializers.SerializerMethodField(
        help_text=gettext_lazy("Entidades a las que se pidió.")
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

    def get_states(self, item) -> list[str]:
        return sorted(s.inegi_code for s in item.states.all())

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
class BodyViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    serializer_class = BodySerializer
    lookup_field = "key"
    lookup_value_regex = r"[-a-z0-9_]{1,60}"

    def get_queryset(self):
        qs = (
            permissions.visible(self.request.user, Body.objects.all())
            .select_related("state", "parent", "lead_institution", "source")
            .prefetch_related("members__institution", "names")
            .order_by("state__inegi_code", "key")
        )
        if self.action == "list":
            data = _query(self, BodyQuery)
            if data.get("state"):
                qs = qs.filter(state__inegi_code=data["state"])
            if data.get("kind"):
                qs = qs.filter(kind=data["kind"])
        return qs


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Sesiones"), parameters=[FORMAT, *BODY_PARAMS]),
    retrieve=extend_schema(
        summary=gettext_lazy("Una sesión"), responses={200: SessionSerializer, 404: NOT_FOUND}
    ),
)
class SessionViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        qs = (
            permissions.visible(self.request.user, Session.objects.all())
            .select_related("body", "body__state", "convened_by", "source")
            .prefetch_related("attending", "linked")
            .order_by("-date", "-pk")
        )
        if self.action == "list":
            data = _query(self, _Query)
            if data.get("body"):
                qs = qs.filter(body__key=data["body"])
            if data.get("state"):
                qs = qs.filter(body__state__inegi_code=data["state"])
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_sessions"] = set(
            permissions.visible(self.request.user, Session.objects.all()).values_list(
                "pk", flat=True
            )
        )
        return context

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


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
class AgreementViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        qs = permissions.visible(self.request.user, Agreement.objects.all())
        if self.action == "list":
            data = _query(self, AgreementQuery)
            if data.get("body"):
                qs = qs.filter(body__key=data["body"])
            if data.get("state"):
                qs = qs.filter(body__state__inegi_code=data["state"])
            if data.get("institution"):
                qs = qs.filter(responsible__acronym__iexact=data["institution"])
            if data.get("status"):
                qs = qs.with_status(data["status"])
            if data.get("overdue") == "true":
                qs = qs.overdue()
            elif data.get("overdue") == "false":
                qs = qs.not_overdue()
            if data.get("session"):
                qs = qs.filter(session_id=data["session"])
        ids = qs.values("pk")
        return (
            Agreement.objects.filter(pk__in=ids)
            .select_related("body", "body__state", "source")
            .prefetch_related("responsible", "notes")
            .order_by("body__key", "pk")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Solicitudes de información (usuarios autorizados)")),
    retrieve=extend_schema(
        summary=gettext_lazy("Una solicitud de información"),
        responses={200: RequestSerializer, 404: NOT_FOUND},
    ),
)
class InformationRequestViewSet(ApiView, ListFormats, viewsets.ReadOnlyModelViewSet):
    serializer_class = RequestSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("Use un token de la API para ver las solicitudes."))

    def get_queryset(self):
        return (
            permissions.requests_for(self.request.user)
            .prefetch_related("states", "answers")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user

        def answer_states(item):
            if permissions.can(user, "review_answers"):
                return None
            return set(permissions.answerable_states(user, item).values_list("pk", flat=True))

        context["answer_states"] = answer_states
        return context

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
