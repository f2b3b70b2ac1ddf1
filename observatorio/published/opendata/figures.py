"""The figures of the published programs as a tidy table: one row per program × figure."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from observatorio.programs.models import Program, ResultFigure

from .programs import CHUNK, published_program_ids
from .schema import INEGI, Column, Dataset, ForeignKey, coded, enum, key, required

#: What a figure row reads from the database, with the program's keys for filtering.
FIELDS = (
    "program_id",
    "program__cycle__edition",
    "program__section",
    "program__objective__number",
    "program__state__inegi_code",
    "program__state__name",
    *ResultFigure.CONTENT,
)


def figure_objects(ids: list[int]) -> Iterator[dict]:
    """The figures of the published programs *ids*, in their order, each numbered from 1."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_program: dict[int, list[dict]] = {}
        rows = (
            ResultFigure.objects.filter(
                program_id__in=chunk, program__status=Program.Status.PUBLISHED
            )
            .order_by("program_id", "id")
            .values(*FIELDS)
        )
        for row in rows:
            by_program.setdefault(row["program_id"], []).append(row)
        for pk in chunk:
            for number, row in enumerate(by_program.get(pk, ()), start=1):
                row["number"] = number
                yield row


FIGURES = Dataset(
    name="figures",
    slug="cifras",
    title=_("Cifras de resultados de los programas"),
    description=_(
        "Las cifras que cada programa publicado reporta en sus resultados, en formato largo: un "
        "renglón por cifra, con su unidad y su desagregación por sexo, edad y nacionalidad. Se "
        "une a «programas» por programa_id."
    ),
    columns=(
        Column(
            "programa_id",
            "integer",
            _("Programa al que pertenece la cifra (columna id de programas)."),
            key("program_id"),
            required(),
        ),
        Column(
            "cifra",
            "integer",
            _("Número de la cifra dentro del programa (1, 2, …), en el orden en que se reportó."),
            key("number"),
            required(minimum=1),
        ),
        Column(
            "ciclo", "integer", _("Ciclo de reporte del programa."), key("program__cycle__edition")
        ),
        Column(
            "parte",
            "string",
            _("Parte del compendio del programa: «federal» o «estatal»."),
            key("program__section"),
            enum(Program.Section.choices),
        ),
        Column(
            "objetivo",
            "integer",
            _("Objetivo principal del programa (1–23)."),
            key("program__objective__number"),
        ),
        Column(
            "entidad_clave",
            "string",
            _("Clave INEGI de la entidad del programa (vacía en los federales)."),
            key("program__state__inegi_code"),
            INEGI,
        ),
        Column("entidad", "string", _("Nombre de la entidad."), key("program__state__name")),
        Column(
            "que_se_cuenta",
            "string",
            _("Qué se cuenta, como se reportó."),
            key("label"),
            required(),
        ),
        Column("valor", "number", _("El valor de la cifra."), key("value"), required(minimum=0)),
        Column("unidad", "string", _("Unidad (personas, apoyos, pesos…)."), key("unit")),
        *coded(
            "sexo",
            _("Clave del sexo: «total», «mujeres», «hombres» u «otro»."),
            _("Sexo, en palabras."),
            key("sex"),
            ResultFigure.Sex.choices,
        ),
        *coded(
            "grupo_edad",
            _("Clave del grupo de edad («todas», «0-11», «12-17», «18-29», «30-59», «60+»)."),
            _("Grupo de edad, en palabras."),
            key("age_group"),
            ResultFigure.AgeGroup.choices,
        ),
        Column(
            "nacionalidad",
            "string",
            _("Nacionalidad de las personas contadas (vacía si no se desagregó)."),
            key("nationality"),
        ),
    ),
    primary_key=("programa_id", "cifra"),
    foreign_keys=(
        ForeignKey(("programa_id",), "programs", ("id",)),
        ForeignKey(("objetivo",), "objectives", ("numero",)),
        ForeignKey(("entidad_clave",), "states", ("clave_inegi",)),
    ),
    objects=lambda context, params: figure_objects(published_program_ids()),
    count=lambda context, params: ResultFigure.objects.filter(
        program__status=Program.Status.PUBLISHED
    ).count(),
    source="compendium",
)
