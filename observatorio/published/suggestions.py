"""«¿Quisiste decir …?»: corrections for query words that match nothing, from the index's words.

A query is an AND of its words, so one mistyped word ("trta") empties the page. For
each word whose tokens have no entry of the kind searched (programs or good
practices), :func:`suggest` looks for the closest word the published texts use
(those the index is built from: titles, actors, states, descriptions, results,
challenges; the good practices' texts), compared folded
(:func:`observatorio.lib.text.fold`), so accents and case never count as a
difference ("regularisación" → "regularización"). Closest means the fewest edits
(insertions, deletions, substitutions and swaps of two neighbours): one for words of
up to four letters, two for longer ones; ties go to the word more texts use. A
candidate must itself match entries of the kind searched, and the corrected query
as a whole must find something; otherwise there is no suggestion.

The vocabulary (``caches.VOCABULARY``) is made once per data version: every published
text once, each distinct word folded once (5 to 8 s at 51,900 programs; the 2022
compendium takes a few hundredths). ``rebuild_search_index`` makes it with the index and
puts it in the shared cache, where every worker finds it; after a publication (a new
version) the first query that misses makes it once for all. Suggestions are kept per
query (``caches.SUGGESTIONS``).
"""

from __future__ import annotations

import re
from collections import Counter

from django.core.cache import cache

from observatorio.lib.search import is_stop_word, normalise, query_tokens
from observatorio.lib.text import fold
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program

from . import caches, index, version

_WORD = re.compile(r"[^\W_]+")
#: Words shorter than this are neither corrected nor offered.
MIN_LENGTH = 3
#: Longer words are too rare to be worth a suggestion (and bound the edit distance's cost).
MAX_LENGTH = 30
_PROGRAM_TEXTS = ("title", "actor", "state__name", "description", "results", "challenges")
_PRACTICE_TEXTS = (
    "title",
    "state__name",
    "coordinating_institution",
    "target_population",
    "description",
)


def max_edits(word: str) -> int:
    """How many edits a correction of *word* may make."""
    return 1 if len(word) <= 4 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edits from *a* to *b* (optimal string alignment), or ``limit + 1`` if more than *limit*."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cost = x != y
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and x == b[j - 2] and a[i - 2] == y:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def letters(word: str) -> int:
    """The set of letters *word* uses, as bits (a cheap bound on the edit distance)."""
    bits = 0
    for ch in set(word):
        bits |= 1 << (ord(ch) & 63)
    return bits


class Vocabulary:
    """The published texts' words, folded, with how to write them and how often they occur."""

    def __init__(self, data_version: str = ""):
        counts: Counter[str] = Counter()
        for model, fields in (
            (Program.objects.published(), _PROGRAM_TEXTS),
            (GoodPractice.objects.all(), _PRACTICE_TEXTS),
        ):
            for texts in model.values_list(*fields).iterator(chunk_size=2000):
                for text in texts:
                    if text:
                        counts.update(_WORD.findall(text.lower()))
        spellings: dict[str, Counter[str]] = {}
        for word, n in counts.items():
            folded = fold(word)
            if MIN_LENGTH <= len(folded) <= MAX_LENGTH and folded.isalpha():
                if not is_stop_word(folded):
                    spellings.setdefault(folded, Counter())[word] += n
        #: length → [(folded word, its letters, occurrences, most frequent spelling)], most
        #: frequent first.
        self.by_length: dict[int, list[tuple[str, int, int, str]]] = {}
        for folded, forms in spellings.items():
            spelling, _n = forms.most_common(1)[0]
            self.by_length.setdefault(len(folded), []).append(
                (folded, letters(folded), sum(forms.values()), spelling)
            )
        for words in self.by_length.values():
            words.sort(key=lambda entry: (-entry[2], entry[0]))

    def __len__(self) -> int:
        return sum(len(words) for words in self.by_length.values())

    def candidates(self, word: str) -> list[str]:
        """Spellings of the words closest to the folded *word*, best first."""
        limit = max_edits(word)
        own = letters(word)
        most = 2 * limit
        found = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            for folded, its, n, spelling in self.by_length.get(length, ()):
                # One edit changes whether at most two letters occur (a substitution: one
                # goes, one comes); a word with more letters apart is too far to compare.
                if (own ^ its).bit_count() <= most and folded != word:
                    edits = distance(word, folded, limit)
                    if edits <= limit:
                        found.append((edits, -n, folded, spelling))
        return [spelling for *_key, spelling in sorted(found)]


def _shared(data_version: str) -> Vocabulary:
    """The vocabulary of *data_version*: from the shared cache when another process (or the
    command that rebuilt the index) made it already, else made here and shared."""
    key = f"suggestions-vocabulary:{data_version}"
    found = cache.get(key)
    if isinstance(found, Vocabulary):
        return found
    made = Vocabulary(data_version)
    cache.set(key, made, timeout=60 * 60 * 24 * 30)
    return made


def vocabulary(data_version: str | None = None) -> Vocabulary:
    return caches.VOCABULARY.get(data_version or version.current(), _shared)


def _matches(text: str, kind: str, data_version: str) -> bool:
    """Whether every token of *text* is in some entry of *kind* (a word with no token does)."""
    return all(index.matches(token, kind, data_version) for token in normalise(text))


def suggest(q: str, kind: str = "programa", data_version: str | None = None) -> str | None:
    """*q* with each word that matches nothing replaced by the closest word of the index.

    None when every word matches, when a word has no close word that matches, or when the
    corrected query as a whole finds nothing of *kind* (``"programa"`` or ``"practica"``).
    """
    q = (q or "").strip()
    if not q:
        return None
    data_version = data_version or version.current()
    key = (kind, q)
    found = caches.SUGGESTIONS.get(data_version, key)
    if found is None:
        found = (_suggest(q, kind, data_version),)
        caches.SUGGESTIONS.put(data_version, key, found)
    return found[0]


def _suggest(q: str, kind: str, data_version: str) -> str | None:
    changed = False
    pieces = []
    at = 0
    for match in _WORD.finditer(q):
        word = match.group()
        pieces.append(q[at : match.start()])
        at = match.end()
        folded = fold(word)
        if len(folded) < MIN_LENGTH or len(folded) > MAX_LENGTH or folded.isdigit():
            if not _matches(word, kind, data_version):
                return None  # too short or long to correct, and it empties the page
            pieces.append(word)
            continue
        if _matches(word, kind, data_version):
            pieces.append(word)
            continue
        correction = next(
            (
                spelling
                for spelling in vocabulary(data_version).candidates(folded)
                if _matches(spelling, kind, data_version)
            ),
            None,
        )
        if correction is None:
            return None
        pieces.append(correction)
        changed = True
    pieces.append(q[at:])
    if not changed:
        return None
    corrected = "".join(pieces)
    if not index.hits(corrected, kind, data_version).ranking.ids:
        return None
    return corrected if query_tokens(corrected) else None
