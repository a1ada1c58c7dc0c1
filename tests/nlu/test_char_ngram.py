"""The char n-gram classifier and its blend with DIET's ranking (nlu/char_ngram.py), and
the Rasa component around it on real Rasa messages (no DIET training)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import char_ngram
from nlu.char_ngram_classifier import CharNgramIntentBlender

TEXTS = {
    "complaint_odor": ["โรงงานส่งกลิ่นเหม็นมาก", "กลิ่นเหม็นจากโรงงานทั้งคืน", "เหม็นสารเคมีจากโรงงาน"],
    "out_of_scope": ["ไฟถนนดับทั้งซอย", "ทางเท้าพังเป็นหลุม", "ท่อระบายน้ำตัน น้ำท่วมขัง"],
    "greet": ["สวัสดีค่ะ", "สวัสดีครับ", "hello"],
}


def training() -> tuple[list[str], list[str]]:
    pairs = [(t, i) for i, ts in TEXTS.items() for t in ts]
    return [t for t, _ in pairs], [i for _, i in pairs]


def test_probabilities_cover_every_intent_and_sum_to_one():
    model = char_ngram.fit(*training())
    [probs] = char_ngram.probabilities(model, ["ไฟถนนหน้าบ้านดับ"])
    assert set(probs) == set(TEXTS) and abs(sum(probs.values()) - 1) < 1e-6
    assert max(probs, key=probs.get) == "out_of_scope"


def test_blend_weights_both_sides_and_counts_missing_intents_as_zero():
    diet = {"complaint_odor": 0.8, "out_of_scope": 0.2}
    ngram = {"complaint_odor": 0.1, "out_of_scope": 0.7, "greet": 0.2}
    assert char_ngram.blend(diet, ngram, 0.0)[0] == ("complaint_odor", 0.8)
    assert char_ngram.blend(diet, ngram, 1.0)[0] == ("out_of_scope", 0.7)
    mixed = dict(char_ngram.blend(diet, ngram, 0.5))
    assert mixed == pytest.approx({"complaint_odor": 0.45, "out_of_scope": 0.45, "greet": 0.1})
    assert sum(mixed.values()) == pytest.approx(1.0)


def test_component_trains_persists_loads_and_replaces_the_ranking(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("char_ngram")
    texts, intents = training()
    data = TrainingData([Message.build(text=t, intent=i) for t, i in zip(texts, intents)])
    CharNgramIntentBlender.create({"weight": 0.6}, storage, resource, None).train(data)
    loaded = CharNgramIntentBlender.load({"weight": 0.6}, storage, resource, None)
    message = Message.build(text="ไฟถนนในซอยดับหมด มืดมาก")
    # DIET was sure it was an odour complaint; the n-gram model is not.
    message.set("intent", {"name": "complaint_odor", "confidence": 0.9})
    message.set(
        "intent_ranking", [{"name": "complaint_odor", "confidence": 0.9}, {"name": "out_of_scope", "confidence": 0.1}]
    )
    [out] = loaded.process([message])
    ranking = out.get("intent_ranking")
    assert out.get("diet_intent")["name"] == "complaint_odor"
    assert out.get("intent") == {"name": ranking[0]["name"], "confidence": ranking[0]["confidence"]}
    assert {r["name"] for r in ranking} == set(TEXTS)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    odour = next(r["confidence"] for r in ranking if r["name"] == "complaint_odor")
    assert odour < 0.9 * 0.4 + 0.6 * 0.5  # pulled down by the n-gram side


def test_untrained_component_keeps_diets_answer(tmp_path):
    storage = LocalModelStorage(tmp_path)
    component = CharNgramIntentBlender.load({}, storage, Resource("missing"), None)
    message = Message.build(text="อะไรก็ได้")
    message.set("intent", {"name": "greet", "confidence": 0.7})
    [out] = component.process([message])
    assert out.get("intent") == {"name": "greet", "confidence": 0.7}


def test_sharpen_keeps_the_order_and_sums_to_one():
    probs = {"complaint_odor": 0.4, "out_of_scope": 0.35, "greet": 0.25}
    sharp = char_ngram.sharpen(probs, 4)
    assert sorted(sharp, key=sharp.get) == sorted(probs, key=probs.get)
    assert sum(sharp.values()) == pytest.approx(1.0)
    assert sharp["complaint_odor"] > 0.4 and sharp["greet"] < 0.25
    assert char_ngram.sharpen(probs, 1) == pytest.approx(probs)
    assert char_ngram.sharpen({}, 4) == {}


def test_linear_svm_probabilities_follow_its_decision_values():
    texts, intents = training()
    model = char_ngram.fit(texts, intents, c=1.0, classifier=char_ngram.LINEAR_SVM)
    assert type(model[-1]).__name__ == "LinearSVC"
    queries = ["ไฟถนนหน้าบ้านดับ", "กลิ่นเหม็นจากโรงงาน", "สวัสดีค่ะ"]
    rows = char_ngram.probabilities(model, queries)
    assert [max(p, key=p.get) for p in rows] == list(model.predict(queries))
    assert [max(p, key=p.get) for p in rows] == ["out_of_scope", "complaint_odor", "greet"]
    for probs, scores in zip(rows, model.decision_function(queries)):
        assert set(probs) == set(TEXTS) and sum(probs.values()) == pytest.approx(1.0)
        # softmax: the log-ratio of two intents is the difference of their decision values
        classes = list(model.classes_)
        a, b = classes.index("complaint_odor"), classes.index("greet")
        assert math.log(probs["complaint_odor"] / probs["greet"]) == pytest.approx(scores[a] - scores[b])


def test_sharpening_a_softmax_is_a_softmax_of_scaled_scores():
    scores = np.array([[1.5, -0.2, 0.3], [-3.0, 2.0, 0.0]])
    for row, scaled in zip(char_ngram.softmax(scores), char_ngram.softmax(15 * scores)):
        probs = dict(zip("abc", row))
        assert list(char_ngram.sharpen(probs, 15).values()) == pytest.approx(list(scaled))
    # large scores do not overflow
    assert char_ngram.softmax(np.array([[1000.0, 0.0]]))[0] == pytest.approx([1.0, 0.0])


def test_linear_svm_with_two_intents_gives_two_probabilities():
    texts = TEXTS["complaint_odor"] + TEXTS["out_of_scope"]
    intents = ["complaint_odor"] * 3 + ["out_of_scope"] * 3
    model = char_ngram.fit(texts, intents, classifier=char_ngram.LINEAR_SVM)
    [probs] = char_ngram.probabilities(model, ["ไฟถนนดับทั้งซอย มืดมาก"])
    assert set(probs) == {"complaint_odor", "out_of_scope"} and sum(probs.values()) == pytest.approx(1.0)
    assert probs["out_of_scope"] > 0.5


def test_unknown_classifier_is_refused():
    with pytest.raises(ValueError, match="naive_bayes"):
        char_ngram.make_model(classifier="naive_bayes")


def test_max_ngram_sets_the_longest_character_ngram():
    model = char_ngram.fit(*training(), max_ngram=2)
    assert max(len(f) for f in model[0].get_feature_names_out()) == 2


def test_component_trains_the_configured_classifier(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("char_ngram_svm")
    texts, intents = training()
    data = TrainingData([Message.build(text=t, intent=i) for t, i in zip(texts, intents)])
    config = {"classifier": "linear_svm", "C": 1.0, "weight": 1.0, "sharpness": 15}
    CharNgramIntentBlender.create(config, storage, resource, None).train(data)
    loaded = CharNgramIntentBlender.load(config, storage, resource, None)
    assert type(loaded._model[-1]).__name__ == "LinearSVC"
    message = Message.build(text="เหม็นกลิ่นโรงงานทั้งคืนเลย")
    message.set("intent", {"name": "greet", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "greet", "confidence": 0.9}])
    [out] = loaded.process([message])
    # weight 1: the n-gram SVM alone decides, sharpened into a confident answer
    assert out.get("intent")["name"] == "complaint_odor"
    assert out.get("intent")["confidence"] > 0.9
