"""The catalogue datasets: PMM objectives, states, institutions and population groups."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, Region, State
from observatorio.published.filters import DEFAULT_REGION_SCHEME

from .schema import INEGI, Column, Dataset, ForeignKey, attr, coded, required

OBJECTIVES = Dataset(
    name="objectives",
    slug="objetivos",
    title=_("Objetivos del Pacto Mundial para la Migración"),
    description=_(
        "Los 23 objetivos del Pacto Mundial (A/RES/73/195) con títulos en español e inglés."
    ),
    columns=(
        Column(
            "numero", "integer", _("Número del objetivo."), attr("number"), required(unique=True)
        ),
        Column("titulo", "string", _("Título en español."), attr("title_es"), required()),
        Column("titulo_en", "string", _("Título oficial en inglés."), attr("title_en")),
        Column("nombre_corto", "string", _("Etiqueta corta en español."), attr("short_es")),
        Column("nombre_corto_en", "string", _("Etiqueta corta en inglés."), attr("short_en")),
    ),
    primary_key=("numero",),
    objects=lambda context, params: GcmObjective.objects.order_by("number"),
    count=lambda context, params: GcmObjective.objects.count(),
    source="catalogues",
)


def _states(context, params) -> Iterator[State]:
    regions = {}
    for region in Region.objects.filter(scheme=DEFAULT_REGION_SCHEME).prefetch_related("members"):
        for member in region.members.all():
            regions[member.pk] = region
    for state in State.objects.order_by("inegi_code"):
        state.study_region = regions.get(state.pk)
        yield state


STATES = Dataset(
    name="states",
    slug="entidades",
    title=_("Entidades federativas"),
    description=_(
        "Las 32 entidades federativas con sus claves INEGI e ISO y su región del estudio."
    ),
    columns=(
        Column(
            "clave_inegi",
            "string",
            _("Clave INEGI de dos dígitos."),
            attr("inegi_code"),
            required(unique=True, **INEGI),
        ),
        Column(
            "clave_iso",
            "string",
            _("Clave ISO 3166-2 (MX-…)."),
            attr("iso_code"),
            required(unique=True),
        ),
        Column("nombre", "string", _("Nombre corto."), attr("name"), required()),
        Column("nombre_oficial", "string", _("Nombre oficial."), attr("official_name")),
        Column(
            "region_clave",
            "string",
            _("Clave de la región del estudio OIM–CONOFAM a la que pertenece."),
            attr("study_region.code"),
        ),
        Column("region", "string", _("Nombre de esa región."), attr("study_region.name")),
    ),
    primary_key=("clave_inegi",),
    objects=_states,
    count=lambda context, params: State.objects.count(),
    source="catalogues",
)

INSTITUTIONS = Dataset(
    name="institutions",
    slug="instituciones",
    title=_("Instituciones"),
    description=_(
        "Dependencias federales, oficinas estatales y otros organismos que reportan o coordinan "
        "programas y prácticas."
    ),
    columns=(
        Column("siglas", "string", _("Siglas."), attr("acronym"), required(unique=True)),
        Column("nombre", "string", _("Nombre."), attr("name"), required()),
        *coded(
            "tipo",
            _("Clave del tipo de institución."),
            _("Tipo de institución, en palabras."),
            attr("type"),
            Institution.Type.choices,
        ),
        *coded(
            "orden",
            _("Clave del orden de gobierno."),
            _("Orden de gobierno, en palabras."),
            attr("order"),
            Institution.Order.choices,
        ),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de su entidad (solo instituciones estatales o municipales)."),
            attr("state.inegi_code"),
            INEGI,
        ),
        Column("entidad", "string", _("Nombre de su entidad."), attr("state.name")),
        Column(
            "depende_de",
            "string",
            _("Siglas de la institución de la que depende."),
            attr("parent.acronym"),
        ),
    ),
    primary_key=("siglas",),
    foreign_keys=(
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
        ForeignKey(("depende_de",), "", ("siglas",)),
    ),
    objects=lambda context, params: Institution.objects.select_related("state", "parent").order_by(
        "acronym"
    ),
    count=lambda context, params: Institution.objects.count(),
    source="catalogues",
)

POPULATIONS = Dataset(
    name="populations",
    slug="poblaciones",
    title=_("Grupos de población"),
    description=_(
        "Los grupos de personas en contextos de movilidad con que se etiquetan los programas."
    ),
    columns=(
        Column("clave", "string", _("Clave."), attr("code"), required(unique=True)),
        Column("nombre", "string", _("Nombre en español."), attr("name_es"), required()),
        Column("nombre_en", "string", _("Nombre en inglés."), attr("name_en")),
        Column("descripcion", "string", _("Descripción."), attr("description_es")),
    ),
    primary_key=("clave",),
    objects=lambda context, params: PopulationGroup.objects.order_by("code"),
    count=lambda context, params: PopulationGroup.objects.count(),
    source="catalogues",
)
