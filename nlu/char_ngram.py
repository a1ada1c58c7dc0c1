"""Character n-gram TF-IDF + logistic regression over the normalised text, free of Rasa.

Character n-grams carry no word segmentation and no learned style, so they hold better
than DIET on text unlike the training sentences (long letters, report templates): the
baseline of ``evaluation/baseline.py`` showed it. ``blend`` mixes its probabilities with
DIET's ranking; the weight is chosen by cross-validation (``evaluation.blend``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from nlu.thai_text import normalise_text

RANDOM_STATE = 2569


def make_model(c: float = 10.0) -> Pipeline:
    """Char 1–4-grams within word boundaries, sublinear TF, multinomial logistic regression."""
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    preprocessor=normalise_text, analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1
                ),
            ),
            ("clf", LogisticRegression(C=c, max_iter=3000, random_state=RANDOM_STATE)),
        ]
    )


def fit(texts: Sequence[str], intents: Sequence[str], c: float = 10.0) -> Pipeline:
    return make_model(c).fit(list(texts), list(intents))


def probabilities(model: Pipeline, texts: Sequence[str]) -> list[dict[str, float]]:
    """One {intent: probability} per text, over every intent the model knows."""
    classes = [str(c) for c in model.classes_]
    return [dict(zip(classes, map(float, row))) for row in model.predict_proba(list(texts))]


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
