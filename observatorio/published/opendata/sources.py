"""Where the open data comes from and on what terms it may be reused.

The texts repeat what the sources themselves say (see DATA.md): the compendium
allows reproduction without commercial purposes with credit to its source; the
good-practice study is a public IOM–CONOFAM publication reproduced with credit.
The Observatorio adds no licence of its own on top of its sources' terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    key: str
    title: object  # lazy translations
    publisher: object
    terms: object
    licence_name: str  # datapackage licence name (a slug)
    licence_title: object


COMPENDIUM = Source(
    key="compendium",
    title=_(
        "Compendio General 2022 de programas, acciones y buenas prácticas alineados a los 23 "
        "objetivos del Pacto Mundial para la Migración Segura, Ordenada y Regular"
    ),
    publisher=_(
        "Coordinación de Política Migratoria, Unidad de Política Migratoria, Registro e "
        "Identidad de Personas (UPMRIP), Secretaría de Gobernación"
    ),
    terms=_(
        "Se permite la reproducción total o parcial sin fines comerciales con la debida "
        "mención de la fuente."
    ),
    licence_name="upmrip-segob-sin-fines-comerciales",
    licence_title=_(
        "Compendio General 2022 (UPMRIP–SEGOB): reproducción sin fines comerciales con mención "
        "de la fuente"
    ),
)

STUDY = Source(
    key="study",
    title=_("Buenas prácticas en política migratoria desde el ámbito local"),
    publisher=_(
        "Organización Internacional para las Migraciones (OIM) y Coordinación Nacional de "
        "Oficinas Estatales de Atención a Migrantes (CONOFAM)"
    ),
    terms=_("Publicación pública de la OIM y la CONOFAM; se reproduce con mención de la fuente."),
    licence_name="oim-conofam-mencion-de-la-fuente",
    licence_title=_("Estudio OIM–CONOFAM: reproducción con mención de la fuente"),
)

CATALOGUES = Source(
    key="catalogues",
    title=_("Catálogos de referencia del Observatorio"),
    publisher=_(
        "INEGI (claves de entidades), ISO 3166-2:MX, Naciones Unidas (A/RES/73/195, objetivos "
        "del Pacto Mundial), Compendio General 2022 (instituciones)"
    ),
    terms=_(
        "Claves y nombres oficiales tomados de sus fuentes, que se citan; los nombres de "
        "instituciones provienen del Compendio General 2022."
    ),
    licence_name="",
    licence_title="",
)

INDICATORS = Source(
    key="indicators",
    title=_("Indicadores del Observatorio"),
    publisher=_(
        "Las instituciones que producen cada indicador (columna institucion_fuente) y los "
        "documentos que cita (columna fuente)"
    ),
    terms=_(
        "Valores aprobados por la UPMRIP; las celdas pequeñas se reservan para proteger a las "
        "personas. Cite la fuente de cada indicador."
    ),
    licence_name="",
    licence_title="",
)

#: Programs of later cycles are reports published through the Observatorio itself.
PROGRAMS_NOTE = _(
    "Programas y acciones publicados. Los del ciclo 2022 provienen del Compendio General 2022; "
    "los de ciclos posteriores, de los reportes que las dependencias federales y las entidades "
    "federativas publican en el Observatorio."
)

SOURCES = {s.key: s for s in (COMPENDIUM, STUDY, CATALOGUES, INDICATORS)}
LICENSED = (COMPENDIUM, STUDY)


def credit(source: Source) -> str:
    """One line naming the source and its terms, for files and pages."""
    return f"{source.title}. {source.publisher}. {source.terms}"
