"""Character n-gram TF-IDF + a linear classifier over the normalised text, free of Rasa.

Character n-grams carry no word segmentation and no learned style, so they hold better
than DIET on text unlike the training sentences (long letters, report templates): the
baseline of ``evaluation/baseline.py`` showed it. ``blend`` mixes its probabilities with
DIET's ranking; the classifier, its C, the weight and the sharpness are chosen by
cross-validation (``evaluation.blend --refit-ngram``).

Two classifiers: multinomial logistic regression (``"logistic_regression"``) and a linear
SVM (``"linear_svm"``, one-vs-rest). The SVM has no probabilities; its decision values are
turned into a distribution by a softmax, and ``sharpen`` then acts as the softmax's inverse
temperature (``softmax(d) ** s`` renormalised is ``softmax(s * d)``). A calibrated SVM
(``CalibratedClassifierCV``) would fit the SVM once per calibration fold at training time;
the blend only needs a ranking with a tunable confidence scale, which the softmax gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from nlu.thai_text import normalise_text

RANDOM_STATE = 2569
LOGISTIC_REGRESSION = "logistic_regression"
LINEAR_SVM = "linear_svm"
CLASSIFIERS = (LOGISTIC_REGRESSION, LINEAR_SVM)


def make_model(c: float = 10.0, classifier: str = LOGISTIC_REGRESSION, max_ngram: int = 4) -> Pipeline:
    """Char 1–``max_ngram``-grams within word boundaries, sublinear TF, then ``classifier``."""
    if classifier == LOGISTIC_REGRESSION:
        clf: Any = LogisticRegression(C=c, max_iter=3000, random_state=RANDOM_STATE)
    elif classifier == LINEAR_SVM:
        clf = LinearSVC(C=c, random_state=RANDOM_STATE)
    else:
        raise ValueError(f"unknown char n-gram classifier {classifier!r}; expected one of {CLASSIFIERS}")
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    preprocessor=normalise_text,
                    analyzer="char_wb",
                    ngram_range=(1, max_ngram),
                    sublinear_tf=True,
                    min_df=1,
                ),
            ),
            ("clf", clf),
        ]
    )


def fit(
    texts: Sequence[str],
    intents: Sequence[str],
    c: float = 10.0,
    classifier: str = LOGISTIC_REGRESSION,
    max_ngram: int = 4,
) -> Pipeline:
    return make_model(c, classifier, max_ngram).fit(list(texts), list(intents))


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by each row's maximum so large scores do not overflow."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def probabilities(model: Pipeline, texts: Sequence[str]) -> list[dict[str, float]]:
    """One {intent: probability} per text, over every intent the model knows: the logistic
    regression's own probabilities, or the softmax of the SVM's decision values."""
    classes = [str(c) for c in model.classes_]
    if hasattr(model[-1], "predict_proba"):
        rows = model.predict_proba(list(texts))
    else:
        scores = np.asarray(model.decision_function(list(texts)), dtype=float)
        if scores.ndim == 1:  # two classes: one score, positive for classes[1]
            scores = np.column_stack([-scores, scores]) / 2
        rows = softmax(scores)
    return [dict(zip(classes, map(float, row))) for row in rows]


def sharpen(probs: Mapping[str, float], power: float) -> dict[str, float]:
    """``p ** power``, renormalised. A char n-gram logistic regression over 30 intents
    spreads its probability thinly (its argmax is right far more often than its top
    probability passes the fallback threshold); sharpening keeps the ranking and makes
    its confidence comparable with DIET's."""
    raised = {k: v**power for k, v in probs.items()}
    total = sum(raised.values())
    return {k: v / total for k, v in raised.items()} if total > 0 else dict(probs)


def blend(diet: Mapping[str, float], ngram: Mapping[str, float], weight: float) -> list[tuple[str, float]]:
    """``weight`` × n-gram + (1 − weight) × DIET, per intent, best first.

    DIET ranks only its top intents; an intent missing from its ranking counts as 0, so
    the sums still add up to about 1 and the fallback threshold keeps its meaning.
    """
    names = set(diet) | set(ngram)
    mixed = {n: weight * ngram.get(n, 0.0) + (1.0 - weight) * diet.get(n, 0.0) for n in names}
    return sorted(mixed.items(), key=lambda kv: (-kv[1], kv[0]))
