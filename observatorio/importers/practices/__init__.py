"""Parse the IOM/CONOFAM study "Buenas prácticas en política migratoria desde el ámbito local".

The input is the text extracted from the study's PDF. The parser knows nothing of
the database; it returns dataclasses and Spanish warnings. What the text looks
like (see the project's notes on the source documents and the study itself):

* 12 state sections (heading such as ``BAJA CALIFORNIA``), each with a
  ``CUADRO n PANORAMA MIGRATORIO ESTATAL`` table and a ``CUADRO n BUENAS
  PRÁCTICAS ORIENTADAS ...`` table whose rows ("fichas") are the practices.
* A ficha prints its number on a line of its own and its title wrapped one to
  three words per line; the same number and title are printed again at the top
  of every later page of the ficha, sometimes truncated, and the first page of a
  ficha can lose the start of its title (and even its number).
* Labelled fields: ``INSTITUCIÓN QUE COORDINA``, ``DIMENSIÓN DE LA POBLACIÓN
  QUE ATIENDE``, ``POBLACIÓN OBJETIVO`` and a description whose label varies
  (``CARACTERÍSTICAS DE LA PRÁCTICA``, ``DESCRIPCIÓN DE LA PRÁCTICA``,
  ``DESCRIPCIÓN``, ``CONTEXTO Y DESCRIPCIÓN ...``, ``DESCRIPCIÓN DE LA BUENA
  PRÁCTICA``; one ficha has none).
* ``CRITERIOS DE EVALUACIÓN`` and a row ``Sostenibilidad ✔ Asociación ✔ ...``:
  the mark after each name belongs to that criterion; no mark means unknown.
  The row is reprinted when the ficha's justifications continue on a new page.
* The five justification columns come out as one run of paragraphs.

``number`` is the practice number printed at the start of the ficha (the
``CUADRO`` number identifies the state's whole table, not a practice). When the
first page lost it, the number printed with the full title on a later page is
used; when no page prints it, it is inferred from the previous ficha (warning).

``state`` is the state's name as the study spells it in its list of selected
states (its section headings print it in capitals); ``region`` follows the
study's four regions.

Panorama figures (national, regional and per state) are read from recognised
statements only and flagged, never corrected: see ``panorama.py``.

The modules, from the bottom up: ``records`` (what the parser returns),
``numbers`` (numbers as printed), ``layout`` (the kind of every line, footnotes,
state sections), ``fichas`` (the practices), ``figures``, ``panorama``,
``state_panorama`` and its rules (``rules_people``, ``rules_flows``,
``rules_lists``) for the figures, and ``document`` (:func:`parse_practices`).
``importing`` writes the result to the database (import it explicitly: this
package itself needs no Django).
"""

from .document import parse_practices
from .fichas import FAIL_MARKS, PASS_MARKS
from .numbers import parse_number
from .records import (
    CRITERIA,
    CRITERIA_LABELS,
    EXPECTED_PRACTICES,
    QUALIFYING_MINIMUM,
    REGION_OF_STATE,
    REGIONS,
    STATES,
    PanoramaFigure,
    ParsedPractice,
    PracticesFormatError,
    PracticesParse,
)

__all__ = [
    "CRITERIA",
    "CRITERIA_LABELS",
    "EXPECTED_PRACTICES",
    "FAIL_MARKS",
    "PASS_MARKS",
    "QUALIFYING_MINIMUM",
    "REGIONS",
    "REGION_OF_STATE",
    "STATES",
    "PanoramaFigure",
    "ParsedPractice",
    "PracticesFormatError",
    "PracticesParse",
    "parse_number",
    "parse_practices",
]
