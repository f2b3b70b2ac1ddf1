"""The fixed wording of the compendium.

The compendium is a Spanish-language publication, and part of its wording is
its format: the compendium importer (``importers/compendium/``) reads these
headings and notes back, so they are not interface text and are never
translated. Both renderers take them from here.
"""

OBJECTIVE_HEADING = "Objetivo {number}. {title}"
RESULTS = "Resultados"
CHALLENGES = "Retos"
NO_ACTIVITIES = "No se reportaron actividades correspondientes a este objetivo."
NO_RESULTS = "No se reportaron resultados."
NO_CHALLENGES = "No se reportaron retos."
ANNEXES = "ANEXOS"
ANNEX_STATES = "1. Entidades federativas de la República Mexicana que colaboraron para el informe."
ANNEX_STATES_HEADER = "Entidades federativas"
ANNEX_GLOSSARY = "2. Glosario de las instituciones federales que colaboraron para el informe."
GLOSSARY_HEADER = ("Dependencias e instituciones", "Acrónimo")
TITLE = "Compendio General {edition}"
# Section markers in the style of the printed compendium ("ii. Objetivos del PMM"):
# lower-case roman numerals, which the importer reads as page furniture.
SECTIONS = {
    "introduction": "i. Introducción",
    "figures": "ii. El ciclo en cifras",
    "federal": "iii. Programas y acciones federales",
    "estatal": "iv. Programas y acciones estatales",
}
INDICATORS = "Indicadores nacionales"
TOC = "Índice"
MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def long_date(day) -> str:
    """``5 de octubre de 2022`` (month names in lower case, as Spanish writes them)."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def month_year(day) -> str:
    return f"{MONTHS[day.month - 1]} de {day.year}"
