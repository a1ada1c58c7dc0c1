"""evaluation.blend: the blend study on out-of-fold predictions, and --refit-ngram's
per-fold refit (no Rasa model needed: DIET's rankings are given)."""

from __future__ import annotations

import json
import random

import pytest

from evaluation import blend
from evaluation.crossval import fold_indices
from nlu import char_ngram

THAI = "กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮ"


def random_predictions(n: int = 60, seed: int = 7) -> list[dict]:
    """Texts of random letters with random labels: nothing to learn, everything to memorise."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        text = "".join(rng.choice(THAI) for _ in range(12))
        gold = rng.choice(["complaint_odor", "out_of_scope"])
        rows.append({"text": text, "gold": gold, "ranking": [[gold, 0.3]], "ngram": {}})
    return rows


def test_refit_ngram_predicts_each_text_with_a_model_that_did_not_see_it():
    predictions = random_predictions()
    texts, gold = [p["text"] for p in predictions], [p["gold"] for p in predictions]
    # A strong SVM fitted on everything memorises the random labels ...
    full = char_ngram.fit(texts, gold, c=100.0, classifier=char_ngram.LINEAR_SVM)
    assert list(full.predict(texts)) == gold
    # ... out of fold it cannot: accuracy near chance, so no text was in its own model.
    refitted = blend.refit_ngram(predictions, 3, 2569, char_ngram.LINEAR_SVM, 100.0, 4)
    hits = sum(max(p["ngram"], key=p["ngram"].get) == p["gold"] for p in refitted)
    assert hits / len(refitted) < 0.8
    assert [p["text"] for p in refitted] == texts and all(p["ranking"] for p in refitted)


def test_refit_ngram_uses_crossvals_folds():
    predictions = random_predictions(30)
    gold = [p["gold"] for p in predictions]
    refitted = blend.refit_ngram(predictions, 3, 2569, char_ngram.LOGISTIC_REGRESSION, 10.0, 3)
    for test_idx in fold_indices(gold, 3, 2569):
        train = [i for i in range(len(gold)) if i not in set(test_idx)]
        model = char_ngram.fit([predictions[i]["text"] for i in train], [gold[i] for i in train], 10.0, max_ngram=3)
        expected = char_ngram.probabilities(model, [predictions[i]["text"] for i in test_idx])
        for i, probs in zip(test_idx, expected):
            assert refitted[i]["ngram"] == pytest.approx(probs)


def test_study_weight_zero_is_diet_and_weight_one_is_the_ngram_model():
    predictions = [
        {"gold": "out_of_scope", "ranking": [["complaint_odor", 0.9]], "ngram": {"out_of_scope": 0.95}},
        {"gold": "complaint_odor", "ranking": [["complaint_odor", 0.9]], "ngram": {"out_of_scope": 0.95}},
    ]
    rows = {r["weight"]: r for r in blend.study(predictions, [0.0, 1.0], [1.0], 0.4, 0.05)}
    assert rows[0.0]["accuracy"] == 0.5 and rows[1.0]["accuracy"] == 0.5
    assert rows[0.0]["oos_recall"] == 0.0 and rows[1.0]["oos_recall"] == 1.0


def test_main_refits_each_candidate(tmp_path, capsys):
    path = tmp_path / "crossval.json"
    path.write_text(
        json.dumps({"folds": 3, "seed": 2569, "data": "x", "n": 60, "predictions": random_predictions()}),
        encoding="utf-8",
    )
    assert blend.main([str(path), "--refit-ngram", "linear_svm:1", "logistic_regression:10:3", "--powers", "2"]) == 0
    out = capsys.readouterr().out
    assert "linear_svm" in out and "logistic_r" in out
    rows = [line.split() for line in out.splitlines() if "C=" not in line]
    assert len([r for r in rows if r and r[0] == "linear_svm"]) == 11  # one per weight
    assert "linear_svm C=1.0 max_ngram=4: 3 fits in" in out


def test_a_malformed_candidate_is_refused():
    with pytest.raises(Exception, match="CLASSIFIER:C"):
        blend.parse_candidate("svm")
