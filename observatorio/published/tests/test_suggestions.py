"""«¿Quisiste decir …?»: the closest words of the published index for words that match nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatorio.published import caches, version
from observatorio.published.suggestions import distance, letters, max_edits, suggest, vocabulary


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the whole table (the textbook recurrence)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(
    a=st.text(alphabet="abcrt", max_size=8),
    b=st.text(alphabet="abcrt", max_size=8),
    limit=st.integers(0, 3),
)
def test_the_bounded_distance_is_the_textbook_one_up_to_its_limit(a, b, limit):
    assert distance(a, b, limit) == min(reference_distance(a, b), limit + 1)


@given(
    a=st.text(alphabet="abcdeñrtáz", max_size=9),
    b=st.text(alphabet="abcdeñrtáz", max_size=9),
)
def test_the_letters_bound_never_rules_out_a_word_within_reach(a, b):
    """The candidates skip words whose letters differ in more than two per edit allowed:
    never one the distance would have kept."""
    limit = max_edits(a)
    if reference_distance(a, b) <= limit:
        assert (letters(a) ^ letters(b)).bit_count() <= 2 * limit


def test_a_swap_of_two_neighbours_is_one_edit():
    assert distance("tarta", "trata", 2) == 1
    assert distance("trta", "trata", 1) == 1
    assert distance("trta", "tras", 1) == 2  # beyond the limit: limit + 1


@pytest.mark.django_db
def test_a_mistyped_word_gets_the_word_of_the_index(real_data):
    assert suggest("trta") == "trata"


@pytest.mark.django_db
def test_only_the_words_that_match_nothing_are_replaced(real_data):
    assert suggest("trta de personas") == "trata de personas"
    assert suggest("Niñas migrantez") == "Niñas migrantes"


@pytest.mark.django_db
def test_accents_are_never_a_difference_and_the_suggestion_keeps_the_texts_spelling(real_data):
    assert suggest("regularización") is None  # matches: nothing to suggest
    assert suggest("REGULARIZACION") is None
    assert suggest("regularisacion") == "regularización"  # as the texts write it


@pytest.mark.django_db
def test_no_suggestion_when_every_word_matches_or_nothing_is_close(real_data):
    assert suggest("trata") is None
    assert suggest("niñas migrantes") is None
    assert suggest("zzzzqqqq") is None  # nothing within two edits
    assert suggest("trata zzzzqqqq") is None  # one word cannot be corrected
    assert suggest("") is None
    assert suggest("de la") is None  # stop words only


@pytest.mark.django_db
def test_good_practices_are_corrected_from_their_own_entries(real_data):
    assert suggest("salu", "practica") == "salud"


@pytest.mark.django_db
def test_the_vocabulary_is_kept_for_one_data_version(real_data):
    words = vocabulary()
    assert len(words) > 1000
    assert vocabulary() is words
    assert all(len(w) >= 3 and w.isalpha() for ws in words.by_length.values() for w, *_rest in ws)
    version.bump()
    assert vocabulary() is not words
    assert caches.VOCABULARY in caches.INDEXES and caches.SUGGESTIONS in caches.RESULT_CACHES
