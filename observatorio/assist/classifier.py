"""The objective classifier: TF-IDF over the normalised words and a linear model.

Training (:func:`train`)
    Each published program is a document (title, description, results: ``text.tokens``),
    labelled with its primary objective. Each objective adds one more document, its
    title and every printed variant of it in the catalogue, so that an objective with few
    programs (2 and 9 have four each in 2022) still has its own words. The model is a
    multinomial logistic regression with classes weighted by their inverse frequency
    (objective 7 has 46 programs in 2022, objective 9 four). The alternatives measured and
    why an embedding model was not kept: bench/RESULTS.md and ARCHITECTURE.md.

Calibration
    A regularised logistic regression fitted on a few hundred texts gives scores that say
    little about how often it is right. Its decision values are divided by a temperature
    and the result is mixed with a small uniform share (at most 0.6; a top score can then
    never claim certainty that the data do not back); both are the pair that minimises the
    log-loss of out-of-fold predictions (three folds grouped so that near-duplicates stay
    together, :func:`evaluation.groups`), so that a score of 0.6 is right about six times
    in ten. Figures: bench/RESULTS.md.

Explanation
    The words that drove a suggestion are the features with the largest contribution
    (tf-idf weight × coefficient) to that objective's score, shown as the text's own words.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import joblib
import numpy as np
from django.utils.translation import gettext as _
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from observatorio.lib.search import is_stop_word, stem
from observatorio.lib.text import fold

from . import text as program_text

#: Inverse regularisation strength, chosen on the grouped cross-validation over five fold
#: seeds: top-3 0.788 ± 0.007 at C = 2 against 0.773 ± 0.006 at C = 30 (bench/RESULTS.md).
C = 2.0
#: How many objectives a suggestion shows.
TOP = 3
#: Share of a text's distinct words the model must know to suggest anything (a text in
#: another language shares a word or two with the programs by chance: "program", "for").
MIN_KNOWN_SHARE = 0.34
#: Words shown per suggested objective.
TERMS = 5
_TEMPERATURES = np.round(np.arange(0.05, 4.01, 0.05), 2)
_MIXES = np.round(np.arange(0.0, 0.601, 0.02), 2)
_WORD = re.compile(r"[^\W_]+")


def new_vectorizer() -> TfidfVectorizer:
    # The texts are already normalised: split on spaces, keep every token.
    return TfidfVectorizer(
        analyzer=str.split, sublinear_tf=True, dtype=np.float32, token_pattern=None
    )


def new_model() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


@dataclass
class Ranked:
    objective: int
    score: float
    terms: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    results: list[Ranked]
    notice: str = ""


@dataclass
class Example:
    """One training document: normalised tokens and the objective's number."""

    tokens: str
    objective: int
    key: int | str = ""
    section: str = ""
    cycle: int = 0


class Suggester:
    """A trained vectoriser and model, with its calibration (temperature and uniform mix)."""

    def __init__(self, vectorizer, model, temperature: float = 1.0, mix: float = 0.0):
        self.vectorizer = vectorizer
        self.model = model
        self.temperature = float(temperature)
        self.mix = float(mix)
        self.classes = [int(c) for c in model.classes_]
        self.features = vectorizer.get_feature_names_out()

    # --- persistence --------------------------------------------------------------------
    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(
            {
                "vectorizer": self.vectorizer,
                "model": self.model,
                "temperature": self.temperature,
                "mix": self.mix,
            },
            buffer,
            compress=3,
        )
        return buffer.getvalue()

    @classmethod
    def loads(cls, payload: bytes) -> Suggester:
        data = joblib.load(io.BytesIO(bytes(payload)))
        # A model file written before the uniform mix existed has none.
        return cls(data["vectorizer"], data["model"], data["temperature"], data.get("mix", 0.0))

    @staticmethod
    def digest(payload: bytes) -> str:
        return hashlib.sha256(bytes(payload)).hexdigest()

    # --- scoring ------------------------------------------------------------------------
    def probabilities(self, docs: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities of every class (columns in :attr:`classes` order)."""
        X = self.vectorizer.transform(docs)
        return self.calibrated(self.model.decision_function(X))

    def calibrated(self, decisions: np.ndarray) -> np.ndarray:
        """Probabilities from the model's decision values (rows of texts)."""
        return calibrated(decisions, self.temperature, self.mix)

    def suggest(self, text: str, top: int = TOP) -> Suggestion:
        """The *top* objectives for *text* (already checked), with scores and words."""
        tokens = program_text.tokens(text)
        X = self.vectorizer.transform([tokens])
        # Numbers (years, amounts, article numbers) tell nothing of an objective alone: only
        # words with a letter count as known.
        known = sum(1 for i in X.indices if _has_letter(str(self.features[i])))
        distinct = len({t for t in tokens.split() if _has_letter(t)})
        language = program_text.language_notice(text)
        if language or not known or known / max(distinct, 1) < MIN_KNOWN_SHARE:
            notice = language or _(
                "Muy pocas palabras del texto aparecen en los programas publicados: "
                "no hay sugerencia. Escriba más sobre lo que hace el programa."
            )
            return Suggestion([], notice)
        scores = self.model.decision_function(X)[0]
        probabilities = self.calibrated(scores[None, :])[0]
        order = np.argsort(-probabilities, kind="stable")[:top]
        row = X.tocoo()
        results = []
        for index in order:
            contributions = row.data * self.model.coef_[index, row.col]
            best = [
                row.col[i]
                for i in np.argsort(-contributions, kind="stable")[:TERMS]
                if contributions[i] > 0
            ]
            results.append(
                Ranked(
                    objective=self.classes[index],
                    score=round(float(probabilities[index]), 4),
                    terms=_surface(text, [str(self.features[i]) for i in best]),
                )
            )
        return Suggestion(results)


def _has_letter(token: str) -> bool:
    return any(ch.isalpha() for ch in token)


def calibrated(decisions: np.ndarray, temperature: float, mix: float) -> np.ndarray:
    """Softmax of *decisions* / *temperature*, mixed with the uniform share *mix*."""
    p = _softmax(decisions / temperature)
    return (1 - mix) * p + mix / p.shape[1]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _surface(text: str, stems: list[str]) -> list[str]:
    """The text's own word for each stem (the first that gives it), else the stem."""
    wanted = set(stems)
    found: dict[str, str] = {}
    for word in _WORD.findall(text[: program_text.MAX_CHARS]):
        folded = fold(word)
        if is_stop_word(folded):
            continue
        s = stem(folded)
        if s in wanted and s not in found:
            found[s] = word.lower()
            if len(found) == len(wanted):
                break
    return [found.get(s, s) for s in stems]


def fit(examples: Sequence[Example], extra: Sequence[Example] = ()) -> tuple:
    """A vectoriser and model fitted on *examples* plus *extra* (the objectives' own texts)."""
    docs = [e.tokens for e in examples] + [e.tokens for e in extra]
    labels = [e.objective for e in examples] + [e.objective for e in extra]
    vectorizer = new_vectorizer()
    X = vectorizer.fit_transform(docs)
    model = new_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on tiny folds
        model.fit(X, labels)
    return vectorizer, model


def calibration(decisions: np.ndarray, classes: list[int], truth: Sequence[int]) -> tuple:
    """The (temperature, mix) that minimise the log-loss of out-of-fold *decisions*."""
    index = {c: i for i, c in enumerate(classes)}
    rows = [(r, index[t]) for r, t in enumerate(truth) if t in index]
    if not rows:
        return 1.0, 0.0
    r, c = np.array(rows).T
    best, best_loss = (1.0, 0.0), np.inf
    for t in _TEMPERATURES:
        p = _softmax(decisions[r] / t)[np.arange(len(r)), c]
        for mix in _MIXES:
            loss = -np.mean(np.log(np.clip((1 - mix) * p + mix / len(classes), 1e-12, 1)))
            if loss < best_loss:
                best, best_loss = (float(t), float(mix)), loss
    return best


def train(examples: Sequence[Example], extra: Sequence[Example], folds: int = 3) -> Suggester:
    """Fit on every example and calibrate on grouped out-of-fold predictions."""
    from . import evaluation

    vectorizer, model = fit(examples, extra)
    classes = [int(c) for c in model.classes_]
    decisions, truth = [], []
    for train_idx, test_idx in evaluation.grouped_folds(examples, folds):
        v, m = fit([examples[i] for i in train_idx], extra)
        d = m.decision_function(v.transform([examples[i].tokens for i in test_idx]))
        full = np.full((len(test_idx), len(classes)), -1e3)
        for j, c in enumerate(m.classes_):
            full[:, classes.index(int(c))] = d[:, j]
        decisions.append(full)
        truth += [examples[i].objective for i in test_idx]
    t, mix = calibration(np.vstack(decisions), classes, truth) if decisions else (1.0, 0.0)
    return Suggester(vectorizer, model, t, mix)
