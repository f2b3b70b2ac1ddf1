"""The good-practice study's datasets: the practices and the panorama figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from observatorio.practices.models import (
    CRITERIA,
    CRITERIA_LABELS,
    GoodPractice,
    Mark,
    PanoramaFigure,
    Qualification,
)
from observatorio.programs.models import Program

from .schema import (
    INEGI,
    Column,
    Dataset,
    ForeignKey,
    attr,
    enum,
    format_description,
    joined,
    region_code,
    required,
    source_columns,
)


def _published_program(practice: GoodPractice, _context) -> int | None:
    program = practice.program
    if program is None or program.status != Program.Status.PUBLISHED:
        return None
    return program.pk


PRACTICES = Dataset(
    name="practices",
    slug="practicas",
    title=_("Buenas prácticas"),
    description=_(
        "Las buenas prácticas locales documentadas en fichas y calificadas con cinco criterios "
        "(estudio OIM–CONOFAM)."
    ),
    columns=(
        Column(
            "id",
            "integer",
            _("Identificador de la práctica en el Observatorio."),
            attr("pk"),
            required(unique=True),
        ),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de la entidad."),
            attr("state.inegi_code"),
            required(**INEGI),
        ),
        Column("entidad", "string", _("Nombre de la entidad."), attr("state.name")),
        Column(
            "region_clave", "string", _("Región del estudio."), lambda p, _c: region_code(p.region)
        ),
        Column(
            "numero",
            "integer",
            _("Número de la ficha dentro de la entidad, como se imprime."),
            attr("number"),
            required(),
        ),
        Column("titulo", "string", _("Título."), attr("title"), required()),
        Column(
            "institucion_coordinadora",
            "string",
            _("Institución que coordina."),
            attr("coordinating_institution"),
        ),
        Column(
            "instituciones",
            "string",
            _("Siglas de las instituciones, separadas por «; »."),
            lambda p, _c: joined(i.acronym for i in p.institutions.all()),
        ),
        Column(
            "dimension", "string", _("Dimensión de la población que atiende."), attr("dimension")
        ),
        Column("poblacion_objetivo", "string", _("Población objetivo."), attr("target_population")),
        Column(
            "poblaciones",
            "string",
            _("Claves de los grupos de población, separadas por «; »."),
            lambda p, _c: joined(g.code for g in p.populations.all()),
        ),
        Column(
            "objetivos",
            "string",
            _("Números de los objetivos del Pacto Mundial, separados por «; »."),
            lambda p, _c: joined(o.number for o in p.objectives.all()),
        ),
        Column("descripcion", "string", _("Características de la práctica."), attr("description")),
        *(
            Column(
                f"{key}_marca",
                "string",
                format_description(CRITERIA_LABELS[key], _("«cumple», «no_cumple» o «sin_dato»")),
                attr(f"{key}_mark"),
                required(**enum(Mark.choices)),
            )
            for key in CRITERIA
        ),
        Column(
            "criterios_cumplidos",
            "integer",
            _("Cuántos de los cinco criterios cumple."),
            lambda p, _c: sum(m == Mark.MEETS for m in p.marks().values()),
            {"minimum": 0, "maximum": 5},
        ),
        Column(
            "calificacion",
            "string",
            _("«califica» (3 criterios o más), «no_califica» o «indeterminada» (faltan marcas)."),
            lambda p, _c: str(p.qualification.value),
            required(**enum(Qualification.choices)),
        ),
        Column(
            "marcas_de",
            "string",
            _("Origen de las marcas: «fuente» (el estudio) o «evaluadores» (por mayoría)."),
            attr("marks_from"),
            enum(GoodPractice.MarksFrom.choices),
        ),
        *(
            Column(
                f"{key}_justificacion",
                "string",
                format_description(CRITERIA_LABELS[key], _("justificación")),
                attr(f"{key}_justification"),
            )
            for key in CRITERIA
        ),
        Column(
            "justificacion_texto",
            "string",
            _("Texto de justificación completo, cuando no se pudo separar por criterio."),
            attr("justification_text"),
        ),
        Column(
            "justificaciones_separadas",
            "boolean",
            _("Verdadero si las justificaciones están separadas por criterio."),
            attr("justifications_separated"),
        ),
        Column(
            "programa_id",
            "integer",
            _("Programa publicado relacionado (columna id de programas)."),
            _published_program,
        ),
        *source_columns(_("Ficha en el documento fuente")),
        Column(
            "url",
            "string",
            _("Dirección de la página pública de la práctica."),
            lambda p, c: c.url("practices:detail", p.pk),
            format="uri",
        ),
    ),
    primary_key=("id",),
    foreign_keys=(
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
        ForeignKey(("programa_id",), "programs", ("id",)),
    ),
    objects=lambda context, params: (
        GoodPractice.objects.select_related("state", "region", "source", "program")
        .prefetch_related("institutions", "populations", "objectives")
        .order_by("state__inegi_code", "number", "pk")
    ),
    count=lambda context, params: GoodPractice.objects.count(),
    source="study",
)

PANORAMA = Dataset(
    name="panorama_figures",
    slug="panorama",
    title=_("Cifras de los panoramas regionales y estatales"),
    description=_(
        "Las cifras que el estudio OIM–CONOFAM imprime sobre cada región y entidad, tal como se "
        "imprimieron, con las inconsistencias señaladas y sin corregir."
    ),
    columns=(
        Column("id", "integer", _("Identificador de la cifra."), attr("pk"), required(unique=True)),
        Column(
            "ambito",
            "string",
            _("Ámbito: «estado», «region» o «nacional»."),
            attr("scope_kind"),
            required(**enum(PanoramaFigure.ScopeKind.choices)),
        ),
        Column(
            "ambito_como_se_imprimio",
            "string",
            _("Ámbito como se imprimió."),
            attr("scope_as_printed"),
        ),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de la entidad (ámbito estatal)."),
            attr("state.inegi_code"),
            INEGI,
        ),
        Column(
            "region_clave",
            "string",
            _("Clave de la región (ámbito regional)."),
            lambda f, _c: region_code(f.region),
        ),
        Column("indicador", "string", _("Indicador."), attr("indicator"), required()),
        Column(
            "valor",
            "number",
            _("Valor leído de la cifra impresa (vacío si es ilegible)."),
            attr("value"),
        ),
        Column(
            "valor_como_se_imprimio",
            "string",
            _("Valor exactamente como se imprimió."),
            attr("value_as_printed"),
        ),
        Column("unidad", "string", _("Unidad."), attr("unit")),
        Column("periodo", "string", _("Año o periodo."), attr("period")),
        Column("fuente_citada", "string", _("Fuente que cita el estudio."), attr("source_cited")),
        Column(
            "nota_al_pie",
            "integer",
            _("Número de la nota al pie pegada a la cifra."),
            attr("footnote"),
        ),
        Column(
            "alertas",
            "string",
            _("Alertas de consistencia, separadas por «; »."),
            lambda f, _c: joined(f.flags or []),
        ),
        Column("fuente_documento", "string", _("Clave del documento fuente."), attr("source.slug")),
        Column(
            "fuente_linea",
            "integer",
            _("Línea del documento fuente en que se imprime."),
            attr("source_line"),
        ),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),),
    objects=lambda context, params: PanoramaFigure.objects.select_related(
        "state", "region", "source"
    ).order_by("source_line", "pk"),
    count=lambda context, params: PanoramaFigure.objects.count(),
    source="study",
)
