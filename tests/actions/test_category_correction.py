"""The citizen corrects the category from the summary: the question, the
answer, the summary's note with the new agency, and the trainers' queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.category_correction import (
    ActionAskCorrectedCategory,
    category_from_answer,
    correction_buttons,
    masked_entities,
    original_complaint,
)
from actions.clarify import choice_payload
from actions.complaint_intake import (
    ActionAskConfirmComplaint,
    ValidateComplaintForm,
    complaint_required_slots,
)
from actions.intake_answers import edit_field_from_answer
from actions.presentation import agency_name
from cases.db import make_engine, make_session_factory
from cases.models import ReviewItem
from cases.taxonomy import Category
from cases.domain_texts import read_domain

DOMAIN = read_domain(Path(__file__).resolve().parents[2] / "bot" / "domain")
FORM = ValidateComplaintForm()
TEXT = "โรงงานบริษัท เอ ส่งกลิ่นเหม็นทุกคืน ที่ชลบุรีค่ะ โทร 0812345678"
PROVINCE = {"entity": "province", "value": "ชลบุรี", "start": TEXT.index("ชลบุรี"), "end": TEXT.index("ชลบุรี") + 6}
RANKING = [
    {"name": "complaint_odor", "confidence": 0.82},
    {"name": "complaint_air_pollution", "confidence": 0.1},
    {"name": "complaint_noise", "confidence": 0.05},
]
ORIGINAL = {
    "event": "user",
    "text": TEXT,
    "parse_data": {"intent": RANKING[0], "intent_ranking": RANKING, "entities": [PROVINCE]},
}
STARTED = [ORIGINAL, {"event": "action", "name": "action_start_complaint"}]


def filled(**overrides):
    values = {
        slots.COMPLAINT_CATEGORY: "odor",
        slots.NLU_INTENT: "complaint_odor",
        slots.NLU_CONFIDENCE: 0.82,
        slots.COMPLAINT_TEXT: TEXT,
        slots.PROVINCE: "ชลบุรี",
        slots.SUBJECT_NAME: "บริษัท เอ",
        slots.SUBJECT_TYPE: "factory",
        slots.OCCURRED_TEXT: "ทุกคืน",
        slots.PDPA_CONSENT: False,
        slots.ANONYMOUS: True,
        slots.EVIDENCE: "skip",
    }
    values.update(overrides)
    return values


def answer_tracker(answer, *, values=None, events=STARTED, intent="choose_category", confidence=1.0, entities=None):
    """The tracker when the citizen answers the category question."""
    if entities is None:
        code = answer.split('"clarified_category":"')[-1].rstrip('"}') if answer.startswith("/") else None
        entities = [{"entity": "clarified_category", "value": code}] if code else []
    message = {"text": answer, "intent": {"name": intent, "confidence": confidence}, "entities": entities}
    return Tracker(
        sender_id="U" + "3" * 32,
        slots=dict(values or filled(**{slots.EDIT_FIELD: "category", "requested_slot": slots.CORRECTED_CATEGORY})),
        latest_message=message,
        events=[*events, {"event": "user", "text": answer, "parse_data": message}],
        paused=False,
        followup_action=None,
        active_loop={"name": "complaint_form"},
        latest_action_name="action_listen",
    )


async def correct(answer, **kw):
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_corrected_category(answer, dispatcher, answer_tracker(answer, **kw), DOMAIN)
    return result, [m.get("response") for m in dispatcher.messages]


def queued(url):
    with make_session_factory(make_engine(url))() as session:
        return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


# -- the edit choice and the question -------------------------------------------------------


def test_the_edit_question_offers_the_category_first():
    buttons = DOMAIN["responses"]["utter_ask_edit_field"][0]["buttons"]
    assert buttons[0] == {"title": "ประเภทเรื่อง", "payload": '/edit_complaint{"edit_field":"category"}'}
    assert edit_field_from_answer(buttons[0]["payload"]) == "category"
    assert edit_field_from_answer("ขอแก้ประเภทเรื่องค่ะ") == "category"
    assert edit_field_from_answer("ขอแก้ประเภทของโรงงาน") == "subject"  # the subject's type, as before
    assert edit_field_from_answer("แก้รายละเอียดของปัญหา") == "description"


def test_choosing_to_edit_the_category_asks_it_first_and_nothing_else():
    values = filled()
    values.update(FORM.validate_confirm_complaint("edit", CollectingDispatcher(), None, {}))
    chosen = FORM.validate_edit_field('/edit_complaint{"edit_field":"category"}', CollectingDispatcher(), None, {})
    assert chosen[slots.EDIT_FIELD] == "category" and chosen[slots.CORRECTED_CATEGORY] is None
    values.update(chosen)
    required = complaint_required_slots(Tracker("u", values, {}, [], False, None, {}, None))
    assert [s for s in required if values.get(s) is None] == [slots.CORRECTED_CATEGORY, slots.CONFIRM_COMPLAINT]
    assert required.index(slots.CORRECTED_CATEGORY) < required.index(slots.PROVINCE)


async def test_the_question_offers_every_other_category_and_other_within_line_s_limit():
    dispatcher = CollectingDispatcher()
    tracker = answer_tracker("", values=filled())
    assert await ActionAskCorrectedCategory().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_corrected_category"
    assert message["category"] == "กลิ่นเหม็น กลิ่นสารเคมี"
    payloads = [b["payload"] for b in message["buttons"]]
    assert len(payloads) == 13  # LINE's quick-reply limit
    assert choice_payload(Category.ODOR) not in payloads  # the current one
    assert payloads[0] == choice_payload(Category.NOISE)
    assert payloads[-1] == '/choose_category{"clarified_category":"other"}'
    assert all(0 < len(b["title"]) <= 20 for b in message["buttons"])


def test_a_complaint_filed_as_other_is_offered_every_category():
    buttons = correction_buttons("other", DOMAIN)
    assert len(buttons) == 13 and "other" not in buttons[-1]["payload"]


# -- the answer -----------------------------------------------------------------------------


def test_the_answer_is_a_button_a_typed_name_or_a_sure_complaint_intent():
    buttons = correction_buttons(None, DOMAIN)
    pick = lambda value, message=None: category_from_answer(value, message or {}, buttons, 0.6)  # noqa: E731
    assert pick("noise", {"entities": [{"entity": "clarified_category", "value": "noise"}]}) is Category.NOISE
    assert pick('/choose_category{"clarified_category":"mining"}') is Category.MINING
    assert pick("น้ำเสีย") is Category.WASTEWATER  # a button title typed out
    assert pick("อื่นๆ") is Category.OTHER
    assert pick("ทุจริต ประพฤติมิชอบ") is Category.CORRUPTION  # the full name
    sure = {"intent": {"name": "complaint_noise", "confidence": 0.9}}
    unsure = {"intent": {"name": "complaint_noise", "confidence": 0.3}}
    assert pick("เสียงดังมากค่ะ", sure) is Category.NOISE
    assert pick("เสียงดังมากค่ะ", unsure) is None
    assert pick("อะไรนะ", {"intent": {"name": "inform", "confidence": 0.9}}) is None
    assert pick('/choose_category{"clarified_category":"bogus"}') is None


async def test_an_unclear_answer_asks_again(case_database):
    result, responses = await correct("อะไรนะ", intent="inform", confidence=0.9)
    assert result == {slots.CORRECTED_CATEGORY: None}
    assert responses == ["utter_wrong_category_choice"]
    assert queued(case_database) == []


async def test_a_new_category_sets_the_category_and_intent_and_queues_the_first_message(case_database):
    result, responses = await correct('/choose_category{"clarified_category":"noise"}')
    assert responses == []
    assert result == {
        slots.CORRECTED_CATEGORY: "noise",
        slots.COMPLAINT_CATEGORY: "noise",
        slots.NLU_INTENT: "complaint_noise",
        slots.NLU_CONFIDENCE: 0.05,
    }
    [item] = queued(case_database)
    assert item.source == "citizen_corrected"
    assert (item.predicted_intent, item.confidence, item.corrected_intent) == (
        "complaint_odor",
        0.82,
        "complaint_noise",
    )
    assert "0812345678" not in item.text and "[phone]" in item.text  # phones masked
    assert "บริษัท เอ" not in item.text and "[subject_name]" in item.text  # the name the citizen gave
    assert [e["entity"] for e in item.entities] == ["province"]  # the NLU's place is kept
    assert item.text[item.entities[0]["start"] : item.entities[0]["end"]] == "ชลบุรี"


async def test_the_same_category_changes_and_queues_nothing(case_database):
    result, _ = await correct('/choose_category{"clarified_category":"odor"}')
    assert result == {slots.CORRECTED_CATEGORY: "odor"}
    assert queued(case_database) == []


async def test_going_back_to_the_predicted_category_is_not_queued(case_database):
    values = filled(
        **{slots.COMPLAINT_CATEGORY: "noise", slots.NLU_INTENT: "complaint_noise", slots.EDIT_FIELD: "category"}
    )
    result, _ = await correct('/choose_category{"clarified_category":"odor"}', values=values)
    assert result[slots.COMPLAINT_CATEGORY] == "odor" and result[slots.NLU_CONFIDENCE] == 0.82
    assert queued(case_database) == []


async def test_other_is_queued_without_a_label_for_trainers_to_give(case_database):
    result, _ = await correct('/choose_category{"clarified_category":"other"}')
    assert result[slots.COMPLAINT_CATEGORY] == "other" and result[slots.NLU_INTENT] is None
    [item] = queued(case_database)
    assert item.source == "citizen_corrected" and item.corrected_intent is None


@pytest.mark.parametrize(
    ("answer", "values", "predicted"),
    [
        ('/choose_category{"clarified_category":"corruption"}', filled(), "complaint_odor"),  # into
        (  # out of corruption
            '/choose_category{"clarified_category":"service"}',
            filled(**{slots.COMPLAINT_CATEGORY: "corruption", slots.NLU_INTENT: "complaint_corruption"}),
            "complaint_corruption",
        ),
        (  # chosen as corruption at the clarifying question, the NLU had said odor
            '/choose_category{"clarified_category":"service"}',
            filled(**{slots.COMPLAINT_CATEGORY: "corruption", slots.NLU_INTENT: "complaint_corruption"}),
            "complaint_odor",
        ),
    ],
)
async def test_corruption_is_never_queued(case_database, answer, values, predicted):
    original = {**ORIGINAL, "parse_data": {**ORIGINAL["parse_data"], "intent": {"name": predicted, "confidence": 0.7}}}
    values = {**values, slots.EDIT_FIELD: "category"}
    await correct(answer, values=values, events=[original, {"event": "action", "name": "action_start_complaint"}])
    assert queued(case_database) == []


async def test_corruption_is_said_to_be_confidential_and_anonymity_is_offered(case_database):
    values = filled(
        **{
            slots.ANONYMOUS: False,
            slots.PDPA_CONSENT: True,
            slots.CONTACT_PHONE: "+66812345678",
            slots.EDIT_FIELD: "category",
        }
    )
    result, responses = await correct('/choose_category{"clarified_category":"corruption"}', values=values)
    assert responses == ["utter_corruption_privacy"]
    assert result[slots.COMPLAINT_CATEGORY] == "corruption" and result[slots.ANONYMOUS] is None
    values.update(result)
    required = complaint_required_slots(Tracker("u", values, {}, [], False, None, {}, None))
    assert [s for s in required if values.get(s) is None][0] == slots.ANONYMOUS


async def test_without_the_first_message_the_category_still_changes(case_database):
    result, _ = await correct('/choose_category{"clarified_category":"noise"}', events=[])
    assert result[slots.COMPLAINT_CATEGORY] == "noise" and result[slots.NLU_CONFIDENCE] is None
    assert queued(case_database) == []


def test_the_first_message_is_the_one_the_complaint_started_from():
    choice = {"event": "user", "text": '/choose_category{"clarified_category":"noise"}', "parse_data": {}}
    clarified = [
        {"event": "user", "text": "สวัสดีค่ะ", "parse_data": {"intent": {"name": "greet"}}},
        ORIGINAL,
        {"event": "action", "name": "action_start_complaint"},
        {"event": "bot", "text": "?"},
        choice,
        {"event": "action", "name": "action_start_clarified_complaint"},
        {"event": "user", "text": "ไม่ทราบค่ะ", "parse_data": {}},
    ]
    found = original_complaint(clarified)
    assert found["text"] == TEXT and found["intent"]["name"] == "complaint_odor" and found["entities"] == [PROVINCE]
    assert original_complaint([])["text"] == ""


def test_the_subject_name_wins_over_an_overlapping_nlu_span():
    text = "โรงงานชลบุรีเคมี ส่งกลิ่น ที่ชลบุรี"
    inner = {"entity": "province", "value": "ชลบุรี", "start": 6, "end": 12}
    outer = {"entity": "province", "value": "ชลบุรี", "start": text.rindex("ชลบุรี"), "end": len(text)}
    spans = masked_entities(text, [inner, outer], "โรงงานชลบุรีเคมี")
    assert inner not in spans and outer in spans
    assert {"start": 0, "end": 16, "entity": "subject_name", "value": "โรงงานชลบุรีเคมี"} in spans
    assert masked_entities(text, [inner], slots.NOT_GIVEN) == [inner]


# -- the summary ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "province", "agency"),
    [
        ("noise", "ชลบุรี", "PIO-CBI"),
        ("noise", slots.UNKNOWN_PROVINCE, "OPS"),
        ("mining", "ชลบุรี", "DPIM"),
        ("product_standard", None, "TISI"),
    ],
)
async def test_the_summary_after_a_correction_names_the_new_category_and_agency(category, province, agency):
    values = filled(**{slots.COMPLAINT_CATEGORY: category, slots.PROVINCE: province, slots.EDIT_FIELD: "category"})
    dispatcher = CollectingDispatcher()
    events = await ActionAskConfirmComplaint().run(dispatcher, answer_tracker("", values=values), DOMAIN)
    note, summary = dispatcher.messages[:2]
    assert note["response"] == "utter_category_changed"
    assert note["agency_name"] == agency_name(agency)
    assert summary["response"].startswith("utter_confirm_complaint") and summary["category"] == note["category"]
    assert events == [{"event": "slot", "name": slots.EDIT_FIELD, "value": None, "timestamp": None}]


async def test_other_edits_show_the_summary_without_the_note():
    dispatcher = CollectingDispatcher()
    values = filled(**{slots.EDIT_FIELD: "place"})
    await ActionAskConfirmComplaint().run(dispatcher, answer_tracker("", values=values), DOMAIN)
    assert [m.get("response") for m in dispatcher.messages][0] == "utter_confirm_complaint"


def test_a_new_complaint_forgets_the_correction():
    assert {
        "event": "slot",
        "name": slots.CORRECTED_CATEGORY,
        "value": None,
        "timestamp": None,
    } in slots.reset_complaint()
