"""The trained model on the messages the issue names: a long templated city complaint is
referred (out_of_scope, confidently), an English odour complaint is an odour complaint,
short openers ask for the story, other scripts get their notice. Texts written for this
test, not taken from data/ or a held-out file."""

from __future__ import annotations

import pytest

FALLBACK_THRESHOLD = 0.4  # config.yml FallbackClassifier


@pytest.mark.parametrize(
    "text, intent",
    [
        (
            "ปัญหา : ไฟฟ้าส่องสว่าง เนื่องจาก ไฟกิ่งหน้าปากซอยดับมาสองสัปดาห์ ผู้หญิงเดินกลับบ้านตอนค่ำไม่กล้าเดิน "
            "จุดเกิดเหตุ : ซอยอินทามระ 41 แขวงดินแดง เขตดินแดง กรุงเทพมหานคร",
            "out_of_scope",
        ),
        (
            "เรียน ผู้อำนวยการเขต ข้าพเจ้าขอให้ซ่อมทางเท้าหน้าชุมชนซึ่งแผ่นปูพื้นแตกและยุบเป็นหลุม "
            "ผู้สูงอายุหกล้มแล้วหลายราย จึงเรียนมาเพื่อโปรดพิจารณา",
            "out_of_scope",
        ),
        ("There is a terrible smell from the factory next to my home", "complaint_odor"),
        ("ร้องเรียนค่ะ", "report_problem"),
        ("ช่วยด้วยค่ะ", "report_problem"),
        ("แจ้งเรื่องครับ", "report_problem"),
        ("ໂຮງງານຂ້າງບ້ານມີກິ່ນເໝັນທຸກຄືນ", "language_lao"),
        ("စက်ရုံက ညတိုင်း ဆူညံတယ်", "language_myanmar"),
        ("រោងចក្របញ្ចេញផ្សែងខ្មៅ", "language_khmer"),
    ],
)
def test_issue_messages(parse, text, intent):
    result = parse(text)
    assert result["intent"]["name"] == intent, result.get("intent_ranking", [])[:3]
    assert result["intent"]["confidence"] >= FALLBACK_THRESHOLD
