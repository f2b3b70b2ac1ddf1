"""Attributes of a program derived from its text, stored so that the portal can filter on them.

* **Quantitative results** (:func:`reports_quantity`): whether a results text
  reports a quantity — a number that counts something ("se atendieron 1,234
  personas", "35 talleres", "el 60 % de", "$2.5 millones", "mil 200 personas",
  "tres publicaciones") — as opposed to a year ("en 2022", "2019-2022"), a date
  ("15 de marzo de 2022"), a law article or fraction ("artículo 33"), an
  objective or section number ("Objetivo 7", "línea de acción 2.3.1"), a
  telephone number, an identifier ("Acuerdo INE/CG52/2022", "COVID-19"), an age
  or a duration ("menores de 18 años", "vigencia de 4 años") or a list marker
  ("1. Taller …").
* **Population groups** (:func:`tag_populations`): the catalogue's population
  groups whose keyword phrases occur in a program's text, compared with the
  project's accent and case folding on word boundaries.

The functions here are pure (text in, answer out) so that the migration, the
importer, the forms, publication and the tests share them;
:func:`refresh_quantitative` stores the flag of a saved program and
:func:`catalogue_keywords` compiles the catalogue's phrases once for many programs.
How well they do on the 2022 compendium is measured in DATA.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from observatorio.catalog.models import PopulationGroup
from observatorio.lib.text import fold

# --- quantitative results ----------------------------------------------------

# Everything below works on folded text (lower case, no accents, "ñ" -> "n",
# "1º" -> "1o", "1ª" -> "1a"), one line at a time so list markers can be seen.

_MONTH = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre"
    r"|diciembre|ene|feb|mar|abr|may|jun|jul|ago|sep|sept|oct|nov|dic)\.?"
)
_MONTH_FULL = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre"
    r"|diciembre)"
)
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[0-3]?\d(?:o|°)?|primero)"
# A number as written in the sources: 1,234 / 1.234.567 / 1 600 / 1, 332, 320 / 71.3 / 2,5.
_NUMBER = r"\d{1,3}(?:(?:,\s?|\.|\s|[’'])\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_NUMBER_RE = re.compile(rf"(?<![\w.,])(?:{_NUMBER})")

# Spans removed before numbers are looked for, in this order. Each pattern
# describes a number that does not count anything.
_NOT_QUANTITIES: list[tuple[str, re.Pattern]] = [
    (
        "enlace",
        re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:pdf|docx?|xlsx?|html?)\b"),
    ),
    # Telephone numbers: after a word that announces one, toll-free 800 numbers,
    # and (55) 5555 5555 shapes. Thousands are never grouped by 2 or 4 digits.
    (
        "telefono",
        re.compile(
            r"(?:tel(?:efono)?s?\.?|lineas?(?: telefonicas?)?|numeros?(?: telefonicos?)?"
            r"|whatsapp|celular|fax|lada|ext(?:ension)?\.?|llam(?:ar|e|ando) al|marc(?:ar|ando)"
            r" al)\s*(?:de (?:atencion|emergencia|ayuda|contacto)\s*)?[:.]?\s*"
            r"(?:\+?\d[\d\s().-]{5,}\d|\d{2,4})"
            r"|\+?\b(?:01\s?)?800[\s.-]?\d{2,3}[\s.-]?\d{2}[\s.-]?\d{2,4}\b"
            r"|\(\d{2,3}\)\s?\d{2,4}[\s.-]?\d{2,4}(?:[\s.-]?\d{2,4})?"
            r"|\b\d{2,4}(?:[\s.-]\d{2}){2,}\b(?!\s?%)"
            r"|\b\d{2,3}[\s-]\d{4}[\s-]\d{4}\b"
        ),
    ),
    # Identifiers with slashes or dashes: INE/CG52/2022, SNBP-007-2021, 12-07-22,
    # 15/03/2022, A/RES/73/195, 24/7.
    (
        "clave",
        re.compile(r"(?=[\w./-]*\d)[\w.-]+(?:/[\w.-]+)+|\b\d+(?:-\d+){2,}\b|\b0-?89\b"),
    ),
    # Dates: 15 de marzo de 2022, del 4 al 15 de octubre, 1o de junio 2021,
    # los días 18 y 19 de julio, junio de 2022, junio 2022.
    (
        "fecha",
        re.compile(
            rf"\b(?:{_DAY}\s*(?:,|y|al|a|-|e)\s*)*{_DAY}\s*(?:de\s+)?{_MONTH}"
            rf"(?:\s*(?:de|del)?\s*(?:ano\s+)?{_YEAR})?\b"
            rf"|\b{_MONTH_FULL}\s*(?:de|del)?\s*(?:ano\s+)?{_YEAR}\b"
            # "… de julio …, y el 21 y 22 en el municipio de Palenque"
            r"|\b(?:el|los dias) [0-3]?\d (?:y|al) [0-3]?\d\b(?= (?:en|se)\b)"
        ),
    ),
    # Year ranges: 2019-2024, 2021/2022, 2021 - 2022, 2021-22.
    ("periodo", re.compile(rf"\b{_YEAR}\s?[-–/]\s?(?:{_YEAR}|\d\d)\b")),
    # Law references: artículo 33, artículos 4 y 11, art. 5 bis, fracción 2,
    # Título 42, Convenio 189, NOM-035, No.1 de 2011.
    (
        "norma",
        re.compile(
            r"\b(?:articulos?|arts?\.|fracc?(?:ion|iones)?\.?|parrafos?|incisos?|numerales?"
            r"|apartados?|capitulos?|titulo|secciones|seccion|reglas?|convenios?|"
            r"transitorios?|decreto|nom|norma|ley|leyes|acuerdo|protocolo|recomendacion(?:es)?"
            r"|resolucion(?:es)?|expedientes?|oficios?|folios?|clausulas?)\s*(?:no\.?|num\.?"
            r"|numero)?\s*-?\s*\d+(?:\s*(?:bis|ter|quater))?"
            r"(?:\s*(?:,|y|al?|e|o)\s*\d+(?:\s*(?:bis|ter|quater))?)*"
        ),
    ),
    # Numbers that name rather than count: Objetivo 7, ODS 10, meta 10.7, eje 2,
    # línea de acción 2.3.1, fase 2, número 5, canal 11, km 23, Programa 3x1.
    (
        "nombre",
        re.compile(
            r"\b(?:objetivos?|ods|metas?|ejes?|estrategias?(?: prioritarias?)?"
            r"|lineas? de accion|acciones? puntuales?|acciones? especificas?|fases?|etapas?"
            r"|niveles?|grados?|version|volumen|tomo|anexos?|tablas?|cuadros?|graficas?"
            r"|figuras?|paginas?|pags?\.|pp?\.|canal|radio|km|kilometro|carretera|calle"
            r"|avenida|av\.|c\.p\.|cp|codigo postal|zona|distrito|region|modulo|sala|piso"
            r"|aula|grupo|generacion|ronda|edicion|temporada|tramo|no\.|num\.|numero|n°|punto"
            r"|puntos|componente|vertiente|programa|sesion)\s*[:#]?\s*\d+(?:\.\d+)*"
            r"(?:\s*(?:,|y|al?|e|o)\s*\d+(?:\.\d+)*)*\b"
            r"|\b\d+\s?x\s?\d+\b"
            # COVID 19, and the shelter "La 72" (Tenosique).
            r"|\bcovid\s?-?\s?19\b|\bla 72\b"
        ),
    ),
    # Ages and durations: menores de 18 años, de 13 a 80 años, 45 o 90 días,
    # vigencia de 4 años, las 24 horas; but "40 horas de capacitación" counts.
    (
        "tiempo",
        re.compile(
            r"\b\d+(?:\s*(?:,|y|a|al|o|-)\s*\d+)*\s*(?:anos?|mes|meses|semanas?|dias?"
            r"|horas?|hrs?\.?|minutos?|min\.?)\b"
            r"(?!\s+de\s+(?:capacitacion|formacion|clases?|cursos?|asesorias?|atencion"
            r"|trabajo|instruccion|entrenamiento|transmision|contenido|grabacion|servicio"
            r"|voluntariado))"
            r"|\b\d{1,2}:\d\d\b"
        ),
    ),
    # Words glued to numbers: COVID-19, H1N1, G20, IPAM11 (a footnote), 2do,
    # 1er, 3a, 1o; but 8,097.54kg and 30mil are quantities.
    (
        "codigo",
        re.compile(
            r"\b[a-z]+[a-z.]*-?\d+[\w-]*"
            r"|\b\d+(?:er|ero|era|do|da|ro|ra|to|ta|vo|va|no|na|mo|ma|o|a|°)(?!\w)"
            r"|(?<=[a-z)\]\"”][.,;])\d{1,2}\b(?!\s*(?:%|personas|casos))"
        ),
    ),
]

# Words that, after a number, show that it counts what follows although it looks
# like a year ("con 2059 participaciones").
_NOT_A_NOUN = frozenset(
    """correspondientes respectivos respectivas anteriores siguientes posteriores previos
    previas ademas entonces antes despues mientras pues ambos ambas todos todas estos estas
    esos esas unos unas otros otras varios varias diversos diversas algunos algunas nos les
    los las sus mas menos tambien""".split()
)
_NEXT_WORD = re.compile(r"\s*([a-z]+)")
_MAGNITUDE = re.compile(r"\s*(?:%|por ciento|mil\b|millon|millones|mdp|mdd|kg|km|ton)")

# Spelled-out cardinals that count the plural word after them ("tres
# publicaciones", "cuatro talleres"); "un/una" and "dos años" do not.
_CARDINAL_WORDS = (
    r"dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince"
    r"|dieciseis|diecisiete|dieciocho|diecinueve|veinte|veinti\w+|treinta|cuarenta|cincuenta"
    r"|sesenta|setenta|ochenta|noventa|cien|ciento|doscient[oa]s|trescient[oa]s"
    r"|cuatrocient[oa]s|quinient[oa]s|seiscient[oa]s|setecient[oa]s|ochocient[oa]s"
    r"|novecient[oa]s|mil"
)
_SPELLED = re.compile(
    # Not "los siguientes cuatro resultados" (a list follows) nor the "mil" of "505 mil".
    rf"(?<!siguientes )(?<!principales )(?<!\d )\b(?:{_CARDINAL_WORDS})"
    # "tres mil", "veinte y cinco", then at most one word before the counted plural.
    rf"(?:\s+(?:y|mil)\s+\w+)?\s+(?:[a-z]+\s+)?([a-z]{{3,}}s)\b"
)
# Plural words after a spelled cardinal that are not something counted as a result.
_SPELLED_NOT_COUNTED = frozenset(
    """anos meses semanas dias horas minutos veces ordenes niveles partes ambos ambas
    primeros primeras ultimos ultimas siguientes anteriores mas""".split()
)
# "los tres órdenes de gobierno" names all of them; it counts nothing.
_SPELLED_EXCLUDED_PHRASES = re.compile(
    r"\b(?:los|las) (?:dos|tres) (?:ordenes|niveles|poderes|ambitos)\b"
)


@dataclass(frozen=True)
class Quantity:
    """A number found to count something, with the words around it."""

    number: str
    context: str


def _folded_lines(text: str):
    """Yield each line folded, and the same line with its capitals kept (or None)."""
    for line in text.splitlines():
        folded = fold(line)
        decomposed = unicodedata.normalize("NFKD", line)
        plain = " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
        yield folded, (plain if len(plain) == len(folded) else None)


# "1." / "2)" / "(3)" first on a line, or after a bullet, a colon or a full stop.
_LIST_MARKER = re.compile(
    r"(?:^|(?<=[•●▪◦·➔►\-–:;.]\s))\s*\(?\d{1,2}(?:\.-|\.|\))(?=\s+\S)"
    r"|(?:^|(?<=\s))\(\d{1,2}\)(?=\s+[A-ZÁÉÍÓÚÑa-z])"
)
# "… MASMMM: 1. CEDECO Norte 2. CEDECO Sur 3. Módulo …": an inline run 1, 2, 3.
_INLINE_MARKER = re.compile(r"(?<!\S)(\d{1,2})(?:\.-|\.|\))\s+(?=[A-ZÁÉÍÓÚÑ¿“\"«])")


def _drop_list_markers(text: str) -> str:
    """Blank list markers, working on the original text where capitals can be seen.

    A marker comes first on its line ("1. Taller…"), after a bullet, colon or
    full stop, or belongs to an inline run numbered from 1 ("1. CEDECO Norte
    2. CEDECO Sur"); "un total de 35. Además" is none of these and stays.
    """
    lines = []
    for line in text.splitlines():
        run = []
        for match in _INLINE_MARKER.finditer(line):
            if int(match.group(1)) == len(run) + 1:
                run.append(match.span(1))
        if len(run) >= 2:
            for start, end in reversed(run):
                line = line[:start] + " " * (end - start) + line[end:]
        lines.append(_LIST_MARKER.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)


def quantities(text: str) -> list[Quantity]:
    """Return every number in *text* that counts something, in order of appearance."""
    found: list[Quantity] = []
    for line, cased in _folded_lines(_drop_list_markers(text or "")):
        masked = line
        for _name, pattern in _NOT_QUANTITIES:
            masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
        for match in _NUMBER_RE.finditer(masked):
            number = match.group(0)
            after = masked[match.end() :]
            if _is_year(number) and not _counts_following_noun(
                after, cased[match.end() :] if cased else None
            ):
                continue
            start = max(0, match.start() - 40)
            found.append(Quantity(number, line[start : match.end() + 40].strip()))
        without_phrases = _SPELLED_EXCLUDED_PHRASES.sub(" ", masked)
        for match in _SPELLED.finditer(without_phrases):
            if match.group(1) in _SPELLED_NOT_COUNTED or match.group(1) in _NOT_A_NOUN:
                continue
            start = max(0, match.start() - 40)
            found.append(Quantity(match.group(0), line[start : match.end() + 40].strip()))
    return found


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099


def _counts_following_noun(after: str, cased_after: str | None) -> bool:
    """Whether the words after a year-like number show that it counts.

    "con 2059 participaciones" counts; "a finales de 2022 correspondientes a"
    and "… Migración 2022 Contenidos formativos" (a title, then a heading) do not.
    """
    if _MAGNITUDE.match(after):
        return True
    word = _NEXT_WORD.match(after)
    if not word:
        return False
    noun = word.group(1)
    if cased_after is not None and cased_after[word.start(1)].isupper():
        return False
    return len(noun) >= 4 and noun.endswith("s") and noun not in _NOT_A_NOUN


def reports_quantity(text: str) -> bool:
    """Whether *text* reports at least one quantity (see the module docstring)."""
    return bool(quantities(text))


# --- population groups ---------------------------------------------------------


_PHRASE_WORD = re.compile(r"\w+\*?")
# Between the words of a phrase: spaces, or a comma, slash or hyphen with optional spaces
# ("niñas, niños y adolescentes" also finds "niñas niños y adolescentes", "ONU-Mujeres").
_BETWEEN_WORDS = r"(?:\s*[,/-]\s*|\s+)"


def _phrase_words(phrase: str) -> list[str]:
    return _PHRASE_WORD.findall(fold(phrase.lstrip().removeprefix("-")))


def keyword_pattern(phrase: str) -> re.Pattern | None:
    """Compile one keyword phrase for folded text, or None when it has no words.

    The phrase is folded like the text (no accents or capitals), matched on
    word boundaries, and a word ending in ``*`` matches any word that starts
    with it: ``refugiad*`` finds *refugiado* and *refugiadas*,
    ``trabajador* agrícola*`` finds *trabajadoras agrícolas*. A leading ``-``
    (an exclusion, see :class:`GroupKeywords`) is not part of the pattern.
    """
    words = _phrase_words(phrase)
    if not words:
        return None
    parts = [
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) for word in words
    ]
    return re.compile(rf"(?<!\w){_BETWEEN_WORDS.join(parts)}(?!\w)")


@dataclass(frozen=True)
class Phrase:
    """A compiled keyword phrase, with a word it cannot match without (a quick first test)."""

    text: str
    pattern: re.Pattern
    needle: str

    @classmethod
    def build(cls, text: str) -> Phrase | None:
        pattern = keyword_pattern(text)
        if pattern is None:
            return None
        needle = max((word.rstrip("*") for word in _phrase_words(text)), key=len)
        return cls(text, pattern, needle)

    def search(self, folded: str) -> bool:
        # A regular expression that starts with a look-behind scans every position;
        # the substring test skips almost every text at once.
        return self.needle in folded and self.pattern.search(folded) is not None


@dataclass(frozen=True)
class GroupKeywords:
    """A population group's code, its keyword phrases and its exclusions.

    A phrase written with a leading ``-`` is an exclusion: its occurrences are
    blanked out before the group's other phrases are looked for. It keeps
    names that merely contain a group's word from tagging a program: the
    "Comisión Mexicana de Ayuda a Refugiados" does not make a program about
    refugees, nor "hombres y mujeres" one about women.
    """

    code: str
    phrases: tuple[Phrase, ...]
    exclusions: tuple[Phrase, ...] = ()

    @classmethod
    def build(cls, code: str, keywords: Iterable[str]) -> GroupKeywords:
        phrases, exclusions = [], []
        for text in keywords or ():
            text = str(text).strip()
            phrase = Phrase.build(text)
            if phrase is None:
                continue
            (exclusions if text.startswith("-") else phrases).append(phrase)
        return cls(code, tuple(phrases), tuple(exclusions))

    def matches(self, folded: str) -> list[str]:
        """The phrases found in *folded* text once the exclusions are blanked out."""
        for exclusion in self.exclusions:
            if exclusion.needle in folded:
                folded = exclusion.pattern.sub(" ", folded)
        return [phrase.text for phrase in self.phrases if phrase.search(folded)]


def compile_keywords(groups: Mapping[str, Iterable[str]]) -> list[GroupKeywords]:
    """Compile ``{code: [phrase, …]}`` once for many programs."""
    return [GroupKeywords.build(code, keywords) for code, keywords in groups.items()]


def population_text(title: str, description: str) -> str:
    """The text a program's population groups are inferred from: title and description.

    Results are left out on purpose: they count people by sex, age or
    nationality ("876,123 son hombres y 690,653 mujeres") and name the
    institutions that took part, which says little about whom the program is for.
    """
    return "\n".join(part for part in (title, description) if part)


def matched_phrases(text: str, groups: list[GroupKeywords]) -> dict[str, list[str]]:
    """Which phrases of which groups occur in *text*, by group code."""
    folded = fold(text)
    found: dict[str, list[str]] = {}
    for group in groups:
        hits = group.matches(folded)
        if hits:
            found[group.code] = hits
    return found


def tag_populations(text: str, groups: list[GroupKeywords]) -> set[str]:
    """The codes of the groups whose keyword phrases occur in *text*."""
    return set(matched_phrases(text, groups))


# --- applying them to programs -------------------------------------------------


def has_quantitative_results(results: str, figure_count: int) -> bool:
    """The stored flag: figures entered, or a quantity in the results text."""
    return figure_count > 0 or reports_quantity(results)


def refresh_quantitative(program) -> bool:
    """Recompute ``program.has_quantitative_results`` and store it if it changed.

    Figures are counted in the database, so call this after they are saved.
    Returns the new value.
    """
    figures = program.figures.count() if program.pk else 0
    value = has_quantitative_results(program.results, figures)
    if program.has_quantitative_results != value:
        program.has_quantitative_results = value
        if program.pk:
            type(program).objects.filter(pk=program.pk).update(has_quantitative_results=value)
    return value


def catalogue_keywords() -> list[GroupKeywords]:
    """The population groups of the catalogue with their keyword phrases, compiled."""
    return compile_keywords(
        {
            code: keywords
            for code, keywords in PopulationGroup.objects.values_list("code", "keywords")
        }
    )


def inferred_codes(program, groups: list[GroupKeywords]) -> set[str]:
    """The population groups a program's title and description mention."""
    return tag_populations(population_text(program.title, program.description), groups)
