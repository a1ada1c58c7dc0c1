"""The baseline: character n-gram TF-IDF + logistic regression (scikit-learn)."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from nlu.thai_text import normalise_text

RANDOM_STATE = 2569


def make_baseline() -> Pipeline:
    """Char 1–4-grams within word boundaries over the same normalised text the NLU sees."""
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(
                    preprocessor=normalise_text,
                    analyzer="char_wb",
                    ngram_range=(1, 4),
                    sublinear_tf=True,
                    min_df=1,
                ),
            ),
            ("clf", LogisticRegression(C=10.0, max_iter=3000, random_state=RANDOM_STATE)),
        ]
    )


def train_and_predict(train_texts: Sequence[str], train_intents: Sequence[str], test_texts: Sequence[str]) -> list[str]:
    model = make_baseline().fit(list(train_texts), list(train_intents))
    return [str(p) for p in model.predict(list(test_texts))]
