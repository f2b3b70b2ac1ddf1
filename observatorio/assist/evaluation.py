"""How well the suggestions work: grouped folds, the keyword baseline and the measures.

Near-duplicates (the same program reported again, or by two institutions) would sit on
both sides of a random split and flatter the model. :func:`groups` joins every pair of
programs whose TF-IDF cosine passes :data:`SAME_PROGRAM` into one group (connected
components), and the folds keep each group whole.

The keyword baseline ranks the objectives by the cosine between the text and the
objective's own words (its title and every printed variant), as a reader who matched
keywords would.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from . import classifier

#: Cosine above which two programs count as the same (grouped together in every split).
SAME_PROGRAM = 0.6
#: Fixed seed of the folds: the same split on every run and database.
SEED = 20220


def groups(examples: Sequence[classifier.Example], threshold: float = SAME_PROGRAM) -> np.ndarray:
    """A group number per example: near-duplicates share one."""
    if not examples:
        return np.array([], dtype=int)
    X = classifier.new_vectorizer().fit_transform([e.tokens for e in examples])
    adjacency = (X @ X.T) > threshold
    _n, labels = connected_components(adjacency, directed=False)
    return labels


def grouped_folds(examples: Sequence[classifier.Example], folds: int = 5):
    """(train, test) index arrays, stratified by objective, never splitting a group."""
    if len(examples) < folds * 2:
        return []
    labels = [e.objective for e in examples]
    counts = Counter(labels)
    folds = max(2, min(folds, max(counts.values())))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classes smaller than the number of folds
        return list(splitter.split(np.zeros(len(labels)), labels, groups(examples)))


@dataclass
class Scores:
    top1: float
    top3: float
    macro_f1: float
    n: int

    def as_dict(self) -> dict:
        return {
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "macro_f1": round(self.macro_f1, 4),
            "n": self.n,
        }


def score(probabilities: np.ndarray, classes: Sequence[int], truth: Sequence[int]) -> Scores:
    classes = np.asarray(classes)
    order = np.argsort(-probabilities, axis=1, kind="stable")
    truth = np.asarray(truth)
    top1 = classes[order[:, 0]]
    top3 = classes[order[:, :3]]
    return Scores(
        top1=float(np.mean(top1 == truth)),
        top3=float(np.mean([t in row for t, row in zip(truth, top3, strict=True)])),
        macro_f1=float(f1_score(truth, top1, average="macro", zero_division=0)),
        n=len(truth),
    )


def model_probabilities(train, extra, test) -> tuple[np.ndarray, list[int]]:
    """Probabilities of the default model trained on *train* (+ *extra*) for *test*."""
    vectorizer, model = classifier.fit(train, extra)
    return model.predict_proba(vectorizer.transform([e.tokens for e in test])), [
        int(c) for c in model.classes_
    ]


def keyword_probabilities(train, extra, test) -> tuple[np.ndarray, list[int]]:
    """The keyword baseline: cosine with each objective's own words (idf from *train*)."""
    vectorizer = classifier.new_vectorizer().fit(
        [e.tokens for e in train] + [e.tokens for e in extra]
    )
    objectives = sorted({e.objective for e in extra})
    by_objective = {o: " ".join(e.tokens for e in extra if e.objective == o) for o in objectives}
    targets = vectorizer.transform([by_objective[o] for o in objectives])
    S = (vectorizer.transform([e.tokens for e in test]) @ targets.T).toarray()
    return S + 1e-9 * np.arange(len(objectives))[::-1], objectives  # ties: lower number first


def cross_validate(examples, extra, folds: int = 5, method=model_probabilities) -> Scores:
    """Grouped *folds*-fold cross-validation of *method* (pooled over folds)."""
    probabilities, truth, classes = [], [], None
    every = sorted({e.objective for e in examples} | {e.objective for e in extra})
    for train_idx, test_idx in grouped_folds(examples, folds):
        test = [examples[i] for i in test_idx]
        p, cls = method([examples[i] for i in train_idx], extra, test)
        full = np.zeros((len(test), len(every)))
        for j, c in enumerate(cls):
            full[:, every.index(c)] = p[:, j]
        probabilities.append(full)
        truth += [e.objective for e in test]
        classes = every
    return score(np.vstack(probabilities), classes, truth)


def split(examples, extra, train_on, test_on, method=model_probabilities) -> Scores:
    """Train on the examples *train_on* accepts, test on those *test_on* accepts."""
    train = [e for e in examples if train_on(e)]
    test = [e for e in examples if test_on(e)]
    p, classes = method(train, extra, test)
    return score(p, classes, [e.objective for e in test])


def held_out(examples: Sequence[classifier.Example], every: int = 5):
    """A fixed split: every *every*-th example (in key order) is held out, with its group."""
    ordered = sorted(range(len(examples)), key=lambda i: str(examples[i].key))
    labels = groups(examples)
    chosen_groups = {labels[i] for n, i in enumerate(ordered) if n % every == every - 1}
    test = [examples[i] for i in ordered if labels[i] in chosen_groups]
    train = [examples[i] for i in ordered if labels[i] not in chosen_groups]
    return train, test
