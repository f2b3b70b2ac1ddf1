"""What the API reads and writes.

Output serializers name related records by their natural keys (objective number,
INEGI code, acronym, population code, cycle edition), the same values the filters
take. Input serializers only check the *shape* of a request — JSON types, unknown
fields, references that must exist; the rules of a report (required fields,
dates, links, lengths, whose institution…) are the report form's
(:mod:`observatorio.api.writing` validates through it).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from observatorio.catalog import countries
from observatorio.catalog.models import (
    GcmObjective,
    Institution,
    PopulationGroup,
    Region,
    State,
)
from observatorio.practices.models import GoodPractice, Mark, Qualification
from observatorio.programs import report
from observatorio.programs.actions import ACTIONS, COMMENT_REQUIRED
from observatorio.programs.models import Program, ReportingCycle, ResultFigure
from observatorio.programs.report import MAX_FIGURES, MAX_LINKS
from observatorio.published import representation
from observatorio.published.filters import DEFAULT_REGION_SCHEME

from .fields import (
    LookupField,
    ReportAmountField,
    ReportTextField,
    RequiredTextField,
    ResolvingIntegerField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDecimalField,
    StrictIntegerField,
    StrictListField,
    StrictSerializer,
)


class ObjectiveNumberField(ResolvingIntegerField):
    default_error_messages = {"does_not_exist": _("No existe el objetivo %(value)s.")}

    def __init__(self, **kwargs):
        super().__init__(
            queryset=GcmObjective.objects.all(),
            lookup="number",
            min_value=1,
            max_value=23,
            **kwargs,
        )


class CycleField(ResolvingIntegerField):
    default_error_messages = {"does_not_exist": _("No existe el ciclo %(value)s.")}

    def __init__(self, **kwargs):
        super().__init__(
            queryset=ReportingCycle.objects.all(),
            lookup="edition",
            min_value=1900,
            max_value=2999,
            **kwargs,
        )


# --- output ----------------------------------------------------------------------------


class FigureSerializer(StrictSerializer):
    """A quantitative result, optionally disaggregated by sex, age group and nationality."""

    schema_description = _(
        "Una cifra de resultados, opcionalmente desagregada por sexo, edad y nacionalidad."
    )

    label = StrictCharField(max_length=200, help_text=_("Qué se cuenta."))
    value = StrictDecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": report.message("negative_figure")},
        help_text=_("Valor (no negativo)."),
    )
    unit = StrictCharField(
        max_length=50,
        default=ResultFigure._meta.get_field("unit").default,
        help_text=_("Unidad («personas» si se omite)."),
    )
    sex = StrictChoiceField(
        choices=ResultFigure.Sex.choices, default=ResultFigure.Sex.TOTAL, help_text=_("Sexo.")
    )
    age_group = StrictChoiceField(
        choices=ResultFigure.AgeGroup.choices,
        default=ResultFigure.AgeGroup.ALL,
        help_text=_("Grupo de edad."),
    )
    nationality = StrictCharField(
        max_length=100, default="", allow_blank=True, help_text=_("Nacionalidad (opcional).")
    )


class FigureInputSerializer(FigureSerializer):
    """A figure as a report writes it: unit and nationality from the report form's lists
    (figures saved before the lists keep their text, so the output says only «text»)."""

    schema_description = _(
        "Una cifra de resultados como se escribe: unidad y nacionalidad de las listas."
    )

    unit = StrictChoiceField(
        choices=report.UNITS,
        default=ResultFigure._meta.get_field("unit").default,
        error_messages={"invalid_choice": report.message("not_a_unit", value="{input}")},
        help_text=_("Unidad, de la lista («personas» si se omite)."),
    )
    nationality = StrictChoiceField(
        choices=[("", "")] + [(n, n) for n in countries.spanish_names()],
        default="",
        allow_blank=True,
        error_messages={"invalid_choice": report.message("not_a_country", value="{input}")},
        help_text=_("Nacionalidad: el nombre en español de un país (ISO 3166), o vacío."),
    )


class SourceSerializer(serializers.Serializer):
    """Where an imported record comes from: the document and its lines."""

    schema_description = _("De dónde se importó: el documento y sus líneas.")

    document = serializers.CharField(source="source.title", help_text=_("Documento fuente."))
    publisher = serializers.CharField(source="source.publisher", help_text=_("Quién lo publica."))
    file = serializers.CharField(source="source.file_name", help_text=_("Archivo."))
    first_line = serializers.IntegerField(
        source="source_first_line", help_text=_("Primera línea (desde 1).")
    )
    last_line = serializers.IntegerField(source="source_last_line", help_text=_("Última línea."))

    def get_attribute(self, instance):
        return instance if instance.source_id else None


class ProgramSerializer(serializers.ModelSerializer):
    """A program or action, that is, its report."""

    schema_description = _("Un programa o acción, es decir, su reporte.")

    cycle = serializers.SlugRelatedField(
        slug_field="edition", read_only=True, help_text=_("Edición del ciclo de reporte.")
    )
    objective = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text=_("Objetivo principal del Pacto Mundial (1–23)."),
    )
    secondary_objectives = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True, help_text=_("Objetivos secundarios.")
    )
    number = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Número dentro del objetivo y la parte; se asigna al publicar."),
    )
    actor = serializers.SerializerMethodField(
        help_text=_("Quién reporta, como lo imprime el compendio (o la entidad o instituciones).")
    )
    state = serializers.SlugRelatedField(
        slug_field="inegi_code",
        read_only=True,
        allow_null=True,
        help_text=_("Clave INEGI de la entidad (reportes estatales), o null."),
    )
    institutions = serializers.SlugRelatedField(
        slug_field="acronym", many=True, read_only=True, help_text=_("Siglas de las instituciones.")
    )
    populations = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=_("Grupos de población (clave).")
    )
    results_none = serializers.BooleanField(
        read_only=True, help_text=_("El reporte dice expresamente que no hubo resultados.")
    )
    challenges_none = serializers.BooleanField(
        read_only=True, help_text=_("El reporte dice expresamente que no hubo retos.")
    )
    figures = FigureSerializer(many=True, read_only=True, help_text=_("Cifras de resultados."))
    links = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Enlaces.")
    )
    execution = serializers.ChoiceField(
        choices=Program.Execution.choices,
        allow_blank=True,
        read_only=True,
        help_text=_(
            "Situación del programa; vacío cuando el documento fuente no la dice (como en "
            "buena parte del compendio 2022)."
        ),
    )
    source = SourceSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text=_("Documento y líneas de donde se importó, o null."),
    )

    class Meta:
        model = Program
        # The keys and their order are the read layer's, which writes the same JSON fast.
        fields = list(representation.ORDER)
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, program: Program) -> str:
        return program.actor or program.owner_label


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = GcmObjective
        fields = ["number", "title_es", "title_en", "short_es", "short_en"]


def region_key(region: Region) -> str:
    """How the ``region`` filter names a region: its code, or ``scheme:code`` elsewhere."""
    if region.scheme == DEFAULT_REGION_SCHEME:
        return region.code
    return f"{region.scheme}:{region.code}"


class StateSerializer(serializers.ModelSerializer):
    regions = serializers.SerializerMethodField(
        help_text=_("Regiones a las que pertenece (valores del filtro «region»).")
    )

    class Meta:
        model = State
        fields = ["inegi_code", "iso_code", "name", "official_name", "regions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, state: State) -> list[str]:
        return [region_key(r) for r in state.regions.all()]


class RegionSerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField(help_text=_("Valor del filtro «region»."))
    states = serializers.SlugRelatedField(
        source="members",
        slug_field="inegi_code",
        many=True,
        read_only=True,
        help_text=_("Claves INEGI de sus entidades."),
    )

    class Meta:
        model = Region
        fields = ["key", "scheme", "code", "name", "states"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_key(self, region: Region) -> str:
        return region_key(region)


class InstitutionSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(
        slug_field="inegi_code",
        read_only=True,
        allow_null=True,
        help_text=_("Clave INEGI (oficinas estatales y municipales), o null."),
    )
    parent = serializers.SlugRelatedField(
        slug_field="acronym",
        read_only=True,
        allow_null=True,
        help_text=_("Siglas de la institución de la que depende, o null."),
    )

    class Meta:
        model = Institution
        fields = ["acronym", "name", "type", "order", "state", "parent"]


class PopulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PopulationGroup
        fields = ["code", "name_es", "name_en", "description_es"]


class CycleSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField(help_text=_("Si hoy acepta reportes."))

    class Meta:
        model = ReportingCycle
        fields = ["edition", "name", *ReportingCycle.SCHEDULE, "published_on", "is_open"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_open(self, cycle: ReportingCycle) -> bool:
        return cycle.is_open()


class MarksSerializer(serializers.Serializer):
    """The mark of each of the five criteria."""

    schema_description = _("La marca de cada uno de los cinco criterios.")

    sostenibilidad = serializers.ChoiceField(choices=Mark.choices)
    asociacion = serializers.ChoiceField(choices=Mark.choices)
    innovacion = serializers.ChoiceField(choices=Mark.choices)
    replicabilidad = serializers.ChoiceField(choices=Mark.choices)
    eficacia = serializers.ChoiceField(choices=Mark.choices)

    def get_attribute(self, instance):
        return instance.marks()


class PracticeSerializer(serializers.ModelSerializer):
    """A good practice, its five marks and whether it qualifies."""

    schema_description = _("Una buena práctica, sus cinco marcas y si califica.")

    state = serializers.SlugRelatedField(slug_field="inegi_code", read_only=True)
    region = serializers.SerializerMethodField(help_text=_("Región (valor del filtro «region»)."))
    institutions = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)
    populations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    marks = MarksSerializer(source="*", read_only=True)
    qualification = serializers.ChoiceField(
        choices=Qualification.choices,
        read_only=True,
        help_text=_("Califica con 3 criterios cumplidos de 5."),
    )
    program = serializers.SerializerMethodField(
        help_text=_("Id del programa publicado relacionado, o null.")
    )
    source = SourceSerializer(source="*", read_only=True, allow_null=True)

    class Meta:
        model = GoodPractice
        fields = [
            "id",
            "state",
            "region",
            "number",
            "title",
            *GoodPractice.FICHA,
            "objectives",
            "marks",
            "marks_from",
            "qualification",
            "program",
            "source",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, practice: GoodPractice) -> str | None:
        return region_key(practice.region) if practice.region_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_program(self, practice: GoodPractice) -> int | None:
        program = practice.program
        if program is None or program.status != Program.Status.PUBLISHED:
            return None
        return program.pk


# --- input -----------------------------------------------------------------------------


def _no_line_breaks(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise serializers.ValidationError(_("Un enlace no lleva saltos de línea."))


#: What the API says of a declared field where its JSON differs from the form (numbers,
#: catalogue keys, lists); otherwise the declared help text.
API_HELP = {
    "objective": _("Objetivo principal del Pacto Mundial (1–23)."),
    "secondary_objectives": _("Objetivos secundarios (números), sin el principal."),
    "institutions": _(
        "Reportes federales: siglas de las instituciones que reportan; la suya y, si el "
        "reporte es conjunto, las demás. Los reportes estatales no llevan instituciones."
    ),
    "populations": _("Grupos de población que atiende (claves de /api/v1/populations/)."),
    "title": _("Nombre del programa o acción."),
    "results": _("Resultados en el periodo del ciclo."),
    "challenges": _("Retos; vacío si se marca challenges_none."),
    "challenges_none": _("No se reportan retos (entonces challenges va vacío)."),
    "start_date": _("Inicio."),
    "end_date": _("Término; null si es permanente."),
    "permanent": _("Programa permanente."),
    "budget": _("Presupuesto en pesos mexicanos (opcional)."),
    "execution": _("Situación del programa."),
    "links": _("Direcciones web (http o https)."),
    "figures": _("Cifras de resultados; si se envían, sustituyen a todas las anteriores."),
}


def _content_field(declared: report.ReportField) -> serializers.Field:
    """The API's field for a declared report field: its JSON shape, the form its rules."""
    kind = declared.kind
    extra = {"help_text": API_HELP.get(declared.name, declared.help)}
    if kind != "objective" and not (kind == "text" and declared.required):
        extra["required"] = False
    if kind in ("text", "long_text"):
        return ReportTextField(limit=declared.limit, allow_blank=True, **extra)
    if kind == "objective":
        return ObjectiveNumberField(**extra)
    if kind == "objectives":
        return StrictListField(unique=True, child=ObjectiveNumberField(), max_length=23, **extra)
    if kind == "institutions":
        lookup = LookupField(queryset=Institution.objects.all(), lookup="acronym", max_length=40)
        return StrictListField(unique=True, child=lookup, max_length=20, **extra)
    if kind == "populations":
        lookup = LookupField(queryset=PopulationGroup.objects.all(), lookup="code", max_length=60)
        return StrictListField(unique=True, child=lookup, max_length=50, **extra)
    if kind == "boolean":
        return StrictBooleanField(**extra)
    if kind == "date":
        return StrictDateField(allow_null=True, **extra)
    if kind == "amount":
        return ReportAmountField(allow_null=True, **extra)
    if kind == "choice":
        choices = Program._meta.get_field(declared.name).choices
        return StrictChoiceField(choices=choices, allow_blank=True, **extra)
    if kind == "links":
        return StrictListField(
            child=StrictCharField(max_length=2000, validators=[_no_line_breaks]),
            max_length=MAX_LINKS,
            error_messages={"max_length": report.message("too_many_links", n=MAX_LINKS)},
            **extra,
        )
    if kind == "figures":
        return FigureInputSerializer(many=True, max_length=MAX_FIGURES, **extra)
    raise ValueError(f"No API field for the report's {kind!r} fields.")


class ReportContentSerializer(StrictSerializer):
    """The content of a report, as the homogeneous form has it.

    Its fields are the declared ones (:data:`observatorio.programs.report.API_FIELDS`),
    built by :func:`_content_field` below.
    """

    schema_description = _("El contenido de un reporte, como en el formato homogéneo.")


for _declared in report.FIELDS:
    if _declared.api:
        ReportContentSerializer._declared_fields[_declared.name] = _content_field(_declared)


class ProgramCreateSerializer(ReportContentSerializer):
    """A new report (a draft): its cycle, its part and whom it is for, and its content."""

    schema_description = _(
        "Un reporte nuevo (borrador): su ciclo, su parte, de quién es y su contenido. Los "
        "campos desconocidos se rechazan."
    )

    refused = {"version": _("Un reporte nuevo no lleva versión.")}

    cycle = CycleField(help_text=_("Edición del ciclo (abierto) en que se reporta."))
    section = StrictChoiceField(
        choices=Program.Section.choices, help_text=_("Parte: «federal» o «estatal».")
    )
    state = LookupField(
        queryset=State.objects.all(),
        lookup="inegi_code",
        required=False,
        allow_null=True,
        max_length=2,
        validators=[RegexValidator(r"^[0-9]{2}$", _("La clave INEGI tiene dos dígitos."))],
        help_text=_("Reportes estatales: clave INEGI de la entidad (la del enlace)."),
    )

    def validate(self, attrs):
        errors = {}
        section = attrs.get("section")
        if section == Program.Section.STATE:
            if not attrs.get("state"):
                errors["state"] = [_("Un reporte estatal lleva la clave INEGI de su entidad.")]
            if attrs.get("institutions"):
                errors["institutions"] = [_("Un reporte estatal no lleva instituciones.")]
        elif section == Program.Section.FEDERAL and attrs.get("state"):
            errors["state"] = [_("Un reporte federal no lleva entidad federativa.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


IMMUTABLE = _("No se cambia en un reporte existente.")


class ProgramUpdateSerializer(ReportContentSerializer):
    """Changes to a draft or returned report: only the fields sent change."""

    schema_description = _(
        "Cambios a un reporte en borrador o devuelto: solo cambian los campos enviados; "
        "version es obligatoria."
    )

    refused = {"cycle": IMMUTABLE, "section": IMMUTABLE, "state": IMMUTABLE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    version = StrictIntegerField(
        min_value=1,
        help_text=_(
            "La versión que se leyó (campo version): si otra persona cambió el reporte "
            "después, se responde 409 y no se guarda nada."
        ),
    )


class TransitionSerializer(StrictSerializer):
    """A workflow step with an optional comment."""

    schema_description = _("Un paso del flujo de revisión, con comentario opcional.")

    comment = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=_("Comentario para quien reporta."),
    )


class ReturnSerializer(TransitionSerializer):
    """Returning a report needs the reviewer's comments."""

    schema_description = _("Para devolver un reporte hacen falta los comentarios.")

    comment = RequiredTextField(
        max_length=5000,
        blank_message=ACTIONS["return"].comment_required,
        help_text=_("Comentarios para quien reporta (obligatorios)."),
    )


class WithdrawSerializer(TransitionSerializer):
    """Withdrawing a report needs the reason, which stays on its record."""

    schema_description = _("Para retirar un reporte hace falta el motivo.")

    comment = RequiredTextField(
        max_length=5000,
        blank_message=ACTIONS["withdraw"].comment_required,
        help_text=_("Motivo del retiro (obligatorio)."),
    )


class CommentSerializer(StrictSerializer):
    """A council member's comment on a report in review."""

    schema_description = _("Comentario de una persona del consejo estatal.")

    text = RequiredTextField(
        max_length=5000,
        blank_message=COMMENT_REQUIRED,
        help_text=_("El comentario (obligatorio)."),
    )


class CommentReadSerializer(serializers.Serializer):
    """A council comment as the API returns it."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.CharField(help_text=_("Nombre de usuario de quien comentó."))
    created_at = serializers.DateTimeField()


class EmptySerializer(StrictSerializer):
    """No fields: an empty object, or no body at all."""

    schema_description = _("Sin campos: un objeto vacío, o ningún cuerpo.")


# --- coverage --------------------------------------------------------------------------


class CoverageRowSerializer(serializers.Serializer):
    state = serializers.CharField(help_text=_("Clave INEGI."))
    name = serializers.CharField()
    counts = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Programas publicados por objetivo, en el orden de «objectives»."),
    )
    total = serializers.IntegerField()
    objectives_covered = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    """Published state programs of a cycle by state (rows) and PMM objective (columns)."""

    schema_description = _(
        "Programas estatales publicados de un ciclo por entidad (filas) y objetivo (columnas)."
    )

    cycle = serializers.IntegerField(allow_null=True, help_text=_("Edición del ciclo."))
    objectives = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Números de objetivo de las columnas.")
    )
    states = CoverageRowSerializer(many=True)
    objective_totals = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    states_reporting = serializers.IntegerField()
    maximum = serializers.IntegerField(help_text=_("El mayor número en una celda."))
