"""The search normaliser: one Python function turns text into tokens for both databases.

Documents and queries go through the same steps, so what a query can match
does not depend on SQLite or PostgreSQL:

1. fold (:func:`observatorio.lib.text.fold`, the project's one fold): case-fold,
   decompose (NFKD) and drop combining marks, repeated until
   stable (``Á`` → ``a``, ``ñ`` → ``n``, ``İ`` → ``i``);
2. split on anything that is not a letter or a digit;
3. drop Spanish stop words (compared folded);
4. stem the *folded* word with the Spanish Snowball stemmer (snowballstemmer).

Stemming the folded word (never the accented one) makes accents irrelevant
by construction: ``regularización``, ``regularizaciones`` and
``regularizacion`` all give ``regulariz``; ``niña``, ``niñas``, ``ninas``,
``niño`` and ``niños`` all give ``nin``. Folding ``ñ`` conflates a few words
(``año``/``ano``); the documents are inconsistent about ``ñ`` and recall
matters more here.

Snowball stems some singulars and plurals apart (``mujer`` → ``muj`` but
``mujeres`` → ``mujer``); :func:`stem` stems such plurals from their
singular. Iterating the stemmer to a fixed point was tried and rejected: it
merges ``solidaridad`` with ``soledad`` and ``sol``.

The stored index and the query function live in ``observatorio.published``
(``lib`` holds no models); see ``observatorio/published/index.py`` for the
storage format and its cost.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from observatorio.lib.text import fold

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("spanish")
# Words longer than this are kept as they are (no Spanish word is; it bounds stemming cost).
_MAX_STEM_LENGTH = 40

# The frequent forms of Snowball's Spanish stop list, folded ("no" and "sin" included:
# a query is an AND of words, not a boolean expression).
_STOP_WORDS = frozenset(
    """
    a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
    durante e el ella ellas ellos en entre era erais eran eras eres es esa esas ese eso
    esos esta estaba estado estados estamos estan estar estas este esto estos estoy fue
    fueron fui fuimos ha haber habia han has hasta hay he la las le les lo los mas me mi
    mia mias mio mios mis mucho muchos muy nada ni no nos nosotras nosotros nuestra
    nuestras nuestro nuestros o os otra otras otro otros para pero poco por porque que
    quien quienes se sea sean ser si sido sin sobre sois somos son soy su sus suya suyas
    suyo suyos tambien tanto te tenemos tener tengo ti tiene tienen todo todos tu tus un
    una uno unos usted ustedes vosotras vosotros y ya yo
    """.split()
)
# "estados" is a stop word form of "estar" but also the noun (Estados Unidos, entidades);
# keep it searchable.
_STOP_WORDS = _STOP_WORDS - {"estados", "estado"}

# Acronyms of institutions that the stemmer would cut into another word (COMAR → "com",
# which every ".com" address contains; INEA → "ine", another institution). Kept whole.
_UNSTEMMED = frozenset({"comar", "inea", "sader", "censida", "coesida"})


def is_stop_word(word: str) -> bool:
    """Whether the folded *word* is left out of the index (and of queries)."""
    return word in _STOP_WORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Spanish Snowball stem of an already folded *word*.

    Plurals in ``-es`` after ``r``, ``n``, ``d`` or ``j`` (``mujeres``,
    ``jovenes``, ``entidades``) are stemmed from their singular, because
    Snowball stems ``mujer`` to ``muj`` but ``mujeres`` to ``mujer``.
    """
    if len(word) > _MAX_STEM_LENGTH or word.isdigit() or word in _UNSTEMMED:
        return word
    if len(word) > 4 and word.endswith("es") and word[-3] in "rndj":
        word = word[:-2]
    return _STEMMER.stemWord(word)


def normalise(text: str) -> list[str]:
    """Tokens of *text*: folded, split on non-alphanumerics, without stop words, stemmed."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in _STOP_WORDS]


def document_tokens(*texts: str | None) -> str:
    """Tokens of *texts* as stored in the index: space-separated, with a space at both ends.

    The padding lets a query look for ``" tok "`` with a plain substring match
    that can only hit whole tokens.
    """
    tokens = [tok for text in texts if text for tok in normalise(text)]
    return f" {' '.join(tokens)} " if tokens else ""


def query_tokens(q: str) -> list[str]:
    """Distinct tokens of the query *q*, in the order they first appear."""
    return list(dict.fromkeys(normalise(q or "")))
