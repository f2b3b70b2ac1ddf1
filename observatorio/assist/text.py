"""The text of a program as assistance reads it, and the checks on a text sent to it.

A program is read as its title, description and results (what the report form asks
first), through the project's Spanish normaliser (:func:`observatorio.lib.search.normalise`:
folded, without stop words, stemmed), so that suggestions and similarity treat accents,
plurals and case as the portal's search does.

:func:`check` refuses what cannot be a program's text (empty, binary) with a Spanish
message, and reads at most :data:`MAX_CHARS` characters of a long one. :func:`language_notice`
says when a text does not look Spanish: the models learned from Spanish texts only.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from observatorio.lib.search import is_stop_word, normalise
from observatorio.lib.text import fold

#: Characters of a text that are read; a program's three texts rarely pass 6,000.
MAX_CHARS = 20_000
#: Below this many words a text is too short to tell its language.
MIN_WORDS_FOR_LANGUAGE = 8
#: Spanish prose has 30–45 % stop words; English, Portuguese or Chinese, far fewer of Spanish's.
MIN_STOP_SHARE = 0.12

_WORD = re.compile(r"[^\W_]+")
_FIELDS = ("title", "description", "results")


def program_text(program) -> str:
    """The text of *program* (or of a dict with its fields) that assistance reads."""
    get = program.get if isinstance(program, dict) else lambda f: getattr(program, f, "")
    return "\n".join(str(get(f) or "") for f in _FIELDS if get(f))


def tokens(text: str) -> str:
    """The normalised tokens of *text*, space-separated (what the vectorisers split)."""
    return " ".join(normalise(text[:MAX_CHARS]))


#: What :func:`check` accepts, as the API's schema declares it (ECMAScript): no control
#: character but tab and line breaks, and something besides white space.
_NOT_CONTROL = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
PATTERN = rf"^{_NOT_CONTROL}*[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]{_NOT_CONTROL}*$"


def check(text) -> str:
    """*text*, stripped and cut to :data:`MAX_CHARS`, or a Spanish ValidationError.

    A text without words (punctuation, symbols) is accepted: there is simply nothing to
    suggest for it.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Escriba el texto del programa: está vacío."))
    sample = text[:MAX_CHARS]
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in sample):
        raise ValidationError(
            _("El texto contiene caracteres de control o datos binarios; envíe texto legible.")
        )
    return sample


def language_notice(text: str) -> str:
    """A Spanish notice when *text* does not look Spanish, else an empty string."""
    words = _WORD.findall(fold(text[:MAX_CHARS]))
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return ""
    stops = sum(1 for w in words if is_stop_word(w))
    if stops / len(words) < MIN_STOP_SHARE:
        return _(
            "El texto no parece estar en español: las sugerencias se aprendieron de "
            "programas en español, así que no se sugiere nada. Escriba el texto en español."
        )
    return ""
