"""The char n-gram classifier and its blend with DIET's ranking (nlu/char_ngram.py), and
the Rasa component around it on real Rasa messages (no DIET training)."""

from __future__ import annotations

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
