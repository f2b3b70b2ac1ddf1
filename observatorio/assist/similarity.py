"""Similar programs: TF-IDF cosine over the published programs, and their shared passages.

The index is the portal's own search index (``published.SearchEntry``: each published
program's normalised words, title, actor, state, description, results and challenges),
read once per worker and data version into a sparse TF-IDF matrix whose rows are unit
vectors. A query (a text, or a program) is one sparse vector; its cosines with every
program are one sparse product (a few milliseconds at 50,000 programs; ``bench/suggest.py``).

:func:`passages` finds what two texts say with the same words: runs of at least
:data:`MIN_PASSAGE_WORDS` words in the same order, compared folded (accents and case do not
count), returned as the first text's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np
from scipy.sparse import csr_matrix

from observatorio.lib.search import is_stop_word
from observatorio.lib.text import fold
from observatorio.programs.models import Program
from observatorio.published import version
from observatorio.published.caches import Versioned
from observatorio.published.models import SearchEntry

from . import classifier
from . import text as program_text

#: Cosine below which a program is not offered as similar.
MIN_SCORE = 0.15
#: Cosine from which two programs are presented as probably the same program.
LIKELY_SAME = 0.5
#: Most results one request may ask for.
MAX_LIMIT = 50
MIN_PASSAGE_WORDS = 6
#: Of which at least this many must be more than stop words ("de origen en el Estado de" is
#: not a shared passage).
MIN_PASSAGE_CONTENT = 4
MAX_PASSAGES = 3
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Index:
    ids: np.ndarray
    position: dict[int, int]
    vectorizer: object
    matrix: object  # csr, unit rows

    def vector(self, tokens: str):
        return self.vectorizer.transform([tokens])

    def row(self, program_id: int):
        at = self.position.get(program_id)
        return None if at is None else self.matrix[at]


def _build(_data_version: str) -> Index:
    rows = list(
        SearchEntry.objects.filter(kind=SearchEntry.Kind.PROGRAM)
        .order_by("program_id")
        .values_list("program_id", "tokens")
    )
    ids = np.array([pk for pk, _t in rows], dtype=np.int64)
    docs = [tokens for _pk, tokens in rows]
    vectorizer = classifier.new_vectorizer()
    if any(docs):
        matrix = vectorizer.fit_transform(docs)
    else:  # nothing published yet: an index that finds nothing
        vectorizer.fit(["vacio"])
        matrix = csr_matrix((len(docs), 1), dtype=np.float32)
    return Index(ids, {int(pk): i for i, pk in enumerate(ids)}, vectorizer, matrix.tocsr())


INDEX: Versioned[Index] = Versioned("similar programs")


def index() -> Index:
    return INDEX.get(version.current(), _build)


@dataclass
class Match:
    program_id: int
    score: float
    passages: list[str] = field(default_factory=list)


def _rank(vector, limit: int, exclude: set[int]) -> list[tuple[int, float]]:
    idx = index()
    if not idx.matrix.shape[0] or not vector.nnz:
        return []
    scores = (idx.matrix @ vector.T).toarray().ravel()
    wanted = min(len(scores), limit + len(exclude))
    top = (
        np.argpartition(-scores, wanted - 1)[:wanted]
        if wanted < len(scores)
        else np.arange(len(scores))
    )
    # Highest score first; ties by id, the same on every database.
    top = sorted(top, key=lambda i: (-scores[i], idx.ids[i]))
    out = []
    for i in top:
        pk = int(idx.ids[i])
        if pk in exclude or scores[i] < MIN_SCORE:
            continue
        out.append((pk, round(float(scores[i]), 4)))
        if len(out) == limit:
            break
    return out


def similar_to_text(text: str, limit: int = 10, exclude: set[int] | None = None) -> list[Match]:
    """Published programs closest to *text* (already checked), best first."""
    vector = index().vector(program_text.tokens(text))
    return [Match(pk, score) for pk, score in _rank(vector, limit, exclude or set())]


def similar_to_program(
    program: Program, limit: int = 10, exclude: set[int] | None = None
) -> list[Match]:
    """Published programs closest to *program* (itself excluded), best first."""
    idx = index()
    vector = idx.row(program.pk)
    if vector is None:
        vector = idx.vector(program_text.tokens(program_text.program_text(program)))
    return [
        Match(pk, score) for pk, score in _rank(vector, limit, {program.pk} | (exclude or set()))
    ]


def _words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    found = list(_WORD.finditer(text[: program_text.MAX_CHARS]))
    return [fold(m.group()) for m in found], [m.span() for m in found]


def passages(a: str, b: str, limit: int = MAX_PASSAGES) -> list[str]:
    """The longest runs of words *a* and *b* share (at least MIN_PASSAGE_WORDS), from *a*."""
    words_a, spans_a = _words(a)
    words_b, _spans = _words(b)
    if not words_a or not words_b:
        return []
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    blocks = [
        blk
        for blk in matcher.get_matching_blocks()
        if blk.size >= MIN_PASSAGE_WORDS
        and sum(not is_stop_word(w) for w in words_a[blk.a : blk.a + blk.size])
        >= MIN_PASSAGE_CONTENT
    ]
    blocks.sort(key=lambda blk: (-blk.size, blk.a))
    out = []
    for blk in blocks[:limit]:
        start, end = spans_a[blk.a][0], spans_a[blk.a + blk.size - 1][1]
        out.append(" ".join(a[start:end].split()))
    return out
