"""Myanmar, Khmer and Lao messages are recognised by their script (nlu/script_detector.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.script_detector import ScriptDetector, detect_script


@pytest.mark.parametrize(
    "text, script",
    [
        ("စက်ရုံက အနံ့ဆိုးတယ် ညတိုင်း", "myanmar"),
        ("រោងចក្រនៅជិតផ្ទះមានក្លិនស្អុយខ្លាំង", "khmer"),
        ("ໂຮງງານໃກ້ບ້ານມີກິ່ນເໝັນຫຼາຍ", "lao"),
        ("ສະບາຍດີ 123 !!", "lao"),
        ("โรงงานส่งกลิ่นเหม็นมากค่ะ", None),
        ("the factory smells", None),
        ("โรงงานเหม็นมาก คนลาวเรียกว่า ເໝັນ", None),  # a Thai message quoting a Lao word stays Thai
        ("", None),
        ("12345 😡", None),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_component_sets_the_language_intent_over_a_fallback():
    lao = Message.build(text="ຢາກຮ້ອງຮຽນໂຮງງານ")
    lao.set("intent", {"name": "nlu_fallback", "confidence": 0.4})
    thai = Message.build(text="ไฟถนนดับ")
    thai.set("intent", {"name": "out_of_scope", "confidence": 0.9})
    ScriptDetector.create({}, None, None, None).process([lao, thai])
    assert lao.get("intent") == {"name": "language_lao", "confidence": 1.0}
    assert lao.get("intent_ranking") == [{"name": "language_lao", "confidence": 1.0}]
    assert thai.get("intent") == {"name": "out_of_scope", "confidence": 0.9}
