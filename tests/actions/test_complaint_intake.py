from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.complaint_intake import (
    ActionAskConfirmComplaint,
    ActionStartComplaint,
    ValidateComplaintForm,
    confirmation_from_answer,
    province_from_answer,
)
from tests.actions.conftest import make_tracker

DOMAIN_SLOTS = ["province", "confirm_complaint"]


@pytest.mark.parametrize(
    ("answer", "province"),
    [
        ("ระยอง", "ระยอง"),
        ("อยู่จังหวัดชลบุรีค่ะ", "ชลบุรี"),
        ("กทม.", "กรุงเทพมหานคร"),
        ("ไม่ทราบค่ะ", slots.UNKNOWN_PROVINCE),
        ("ไม่แน่ใจเหมือนกัน", slots.UNKNOWN_PROVINCE),
        ("/deny", slots.UNKNOWN_PROVINCE),
        ("สวัสดี", None),
        ("", None),
    ],
)
def test_province_from_answer(answer, province):
    assert province_from_answer(answer) == province


@pytest.mark.parametrize(
    ("answer", "confirmed"),
    [(True, True), (False, False), ("ยืนยันค่ะ", True), ("ยกเลิก", False), ("ไม่ใช่", False), ("อืม", None), (None, None)],
)
def test_confirmation_from_answer(answer, confirmed):
    assert confirmation_from_answer(answer) is confirmed


async def test_start_complaint_keeps_the_citizens_words_and_finds_the_place():
    dispatcher = CollectingDispatcher()
    text = "โรงงานในนิคมอุตสาหกรรมมาบตาพุด จ.ระยอง ส่งกลิ่นเหม็นทั้งคืน"
    events = await ActionStartComplaint().run(
        dispatcher, make_tracker(text=text, intent="complaint_odor", confidence=0.87), {}
    )
    values = {e["name"]: e["value"] for e in events}
    assert values[slots.COMPLAINT_CATEGORY] == "odor"
    assert values[slots.COMPLAINT_TEXT] == text
    assert values[slots.NLU_CONFIDENCE] == 0.87
    assert values[slots.PROVINCE] == "ระยอง"
    assert values[slots.INDUSTRIAL_ESTATE] == "นิคมอุตสาหกรรมมาบตาพุด"
    assert dispatcher.messages[0]["response"] == "utter_category_understood"
    assert dispatcher.messages[0]["category"] == "กลิ่นเหม็น กลิ่นสารเคมี"


async def test_start_complaint_prefers_the_normalised_province_entity():
    events = await ActionStartComplaint().run(
        CollectingDispatcher(),
        make_tracker(
            text="ที่โคราชมีโรงงานเสียงดัง",
            intent="complaint_noise",
            entities=[{"entity": "province", "value": "โคราช"}],
        ),
        {},
    )
    assert {e["name"]: e["value"] for e in events}[slots.PROVINCE] == "นครราชสีมา"


@pytest.mark.parametrize(
    ("category", "estate", "asked"),
    [
        ("odor", None, True),
        ("mining", None, True),
        ("odor", "นิคมอุตสาหกรรมบางปู", False),
        ("product_standard", None, False),
        ("corruption", None, False),
    ],
)
async def test_the_province_is_asked_only_when_routing_needs_it(category, estate, asked):
    tracker = make_tracker(slots={slots.COMPLAINT_CATEGORY: category, slots.INDUSTRIAL_ESTATE: estate})
    required = await ValidateComplaintForm().required_slots(DOMAIN_SLOTS, CollectingDispatcher(), tracker, {})
    assert (slots.PROVINCE in required) is asked
    assert required[-1] == slots.CONFIRM_COMPLAINT


def test_a_wrong_province_is_asked_again():
    dispatcher = CollectingDispatcher()
    result = ValidateComplaintForm().validate_province("ดาวอังคาร", dispatcher, make_tracker(), {})
    assert result == {slots.PROVINCE: None}
    assert dispatcher.messages[0]["response"] == "utter_wrong_province"


async def test_confirmation_summary_uses_the_place_when_known():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={slots.COMPLAINT_CATEGORY: "wastewater", slots.COMPLAINT_TEXT: "น้ำดำไหลลงคลอง", slots.PROVINCE: "ชลบุรี"}
    )
    await ActionAskConfirmComplaint().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_confirm_complaint"
    assert message["place"] == "จังหวัดชลบุรี"
    assert message["description"] == "น้ำดำไหลลงคลอง"

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={slots.COMPLAINT_CATEGORY: "odor", slots.PROVINCE: slots.UNKNOWN_PROVINCE})
    await ActionAskConfirmComplaint().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_confirm_complaint_no_place"


def test_an_empty_province_is_not_an_error_the_form_just_asks():
    dispatcher = CollectingDispatcher()
    assert ValidateComplaintForm().validate_province(None, dispatcher, make_tracker(), {}) == {slots.PROVINCE: None}
    assert dispatcher.messages == []
