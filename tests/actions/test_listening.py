"""A conversation that listens: the form takes every fact, checks answers against their
question, puts emergencies first, keeps a cancelled complaint, answers information requests."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.complaint_intake import (
    ActionAskConfirmComplaint,
    ActionResetComplaint,
    ActionStartComplaint,
    ValidateComplaintForm,
    complaint_required_slots,
)
from actions.listening import (
    ActionGoodbyeInForm,
    ActionResumeComplaint,
    category_change,
    information_topic,
)
from actions.presentation import place_summary
from actions.status import LISTED, ValidateStatusForm
from tests.actions.conftest import make_tracker

FORM = ValidateComplaintForm()


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


async def start(text: str, intent: str, **slot_values):
    dispatcher = CollectingDispatcher()
    events = await ActionStartComplaint().run(dispatcher, make_tracker(text=text, intent=intent, slots=slot_values), {})
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, responses(dispatcher), events


def asking(slot: str, text: str, intent: str = "inform", **slot_values):
    values = {"requested_slot": slot, slots.COMPLAINT_CATEGORY: "odor", **slot_values}
    return make_tracker(text=text, intent=intent, slots=values)


async def test_every_fact_of_the_first_message_is_kept_and_not_asked():
    values, _, _ = await start(
        "โรงงานปล่อยน้ำเสียลงคลองสำโรง ต.บางพลีใหญ่ อ.บางพลี จ.สมุทรปราการ เมื่อวานปลาตายเต็มเลยค่ะ",
        "complaint_wastewater",
    )
    assert values[slots.PROVINCE] == "สมุทรปราการ"
    assert values["place_detail"] == "คลองสำโรง ต.บางพลีใหญ่ อ.บางพลี"
    assert values[slots.OCCURRED_TEXT] == "เมื่อวาน"
    asked = [s for s in complaint_required_slots(make_tracker(slots=values)) if values.get(s) is None]
    assert asked == [slots.SUBJECT_NAME, slots.EVIDENCE, slots.PDPA_CONSENT, slots.CONFIRM_COMPLAINT]


async def test_a_name_in_the_first_message_is_not_asked_and_a_place_is_not_a_name():
    values, _, _ = await start("ซื้อปลั๊กพ่วงไม่มี มอก. ร้านชื่อ powerplus_shop ใช้แล้วไหม้ค่ะ เมื่อวานนี้", "complaint_product_standard")
    assert values[slots.SUBJECT_NAME] == "powerplus_shop"
    entity = [{"entity": "subject_name", "value": "ธงชัย"}]
    tracker = make_tracker(text="โรงงานเหม็นมาก อยู่ อ.ปักธงชัย โคราช", intent="complaint_odor", entities=entity)
    events = await ActionStartComplaint().run(CollectingDispatcher(), tracker, {})
    assert {e["name"]: e["value"] for e in events}[slots.SUBJECT_NAME] is None


async def test_facts_in_a_later_message_fill_their_fields_whatever_was_asked():
    tracker = asking(
        slots.DESCRIPTION_DETAIL, "อยู่ปากเกร็ด นนทบุรีค่ะ เป็นทุกเช้ามืด", description_detail="อยู่ปากเกร็ด นนทบุรีค่ะ เป็นทุกเช้ามืด"
    )
    heard = FORM._facts_heard(CollectingDispatcher(), tracker)
    assert heard[slots.PROVINCE] == "นนทบุรี"
    assert heard[slots.OCCURRED_TEXT] == "ทุกเช้ามืด"
    assert heard["place_detail"] == "ปากเกร็ด"


async def test_an_answer_read_as_goodbye_still_fills_the_open_question():
    tracker = asking(slots.OCCURRED_TEXT, "วันจันทร์ที่แล้วครับ", intent="goodbye")
    assert await ActionGoodbyeInForm().run(CollectingDispatcher(), tracker, {}) == []
    heard = FORM._facts_heard(CollectingDispatcher(), tracker)
    assert heard[slots.OCCURRED_TEXT] == "วันจันทร์ที่แล้ว"
    dispatcher = CollectingDispatcher()
    goodbye = await ActionGoodbyeInForm().run(dispatcher, asking(slots.OCCURRED_TEXT, "แค่นี้ก่อนนะคะ", "goodbye"), {})
    assert responses(dispatcher) == ["utter_goodbye_mid_form"] and goodbye[0]["name"] == "action_listen"


def test_a_question_back_is_answered_and_never_stored_as_the_name():
    text = "ต้องบอกชื่อด้วยหรอคะ ถ้าบอกไปโรงงานจะรู้มั้ยว่าใครแจ้ง"
    dispatcher = CollectingDispatcher()
    result = FORM.validate_subject_name(text, dispatcher, asking(slots.SUBJECT_NAME, text), {})
    assert result[slots.SUBJECT_NAME] is None
    assert responses(dispatcher) == ["utter_identity_protected"]


def test_chitchat_and_questions_are_never_stored():
    for text in ("กลับมาแล้วครับ ต่อเรื่องเมื่อกี้", "เหตุการณ์อะไรคะ? หนูแค่อยากกู้เงิน 555"):
        result = FORM.validate_subject_name(text, CollectingDispatcher(), asking(slots.SUBJECT_NAME, text), {})
        assert result[slots.SUBJECT_NAME] is None
        result = FORM.validate_occurred_text(text, CollectingDispatcher(), asking(slots.OCCURRED_TEXT, text), {})
        assert result[slots.OCCURRED_TEXT] is None


def test_a_description_goes_to_the_description_not_the_name():
    text = "ไม่รู้ชื่อค่ะ มันเป็นโรงงานหลังวัด มีปล่องควันสูงๆ"
    tracker = asking(slots.SUBJECT_NAME, text, complaint_text="โรงงานเหม็นทุกคืน")
    result = FORM.validate_subject_name(text, CollectingDispatcher(), tracker, {})
    assert result[slots.SUBJECT_NAME] == slots.NOT_GIVEN
    assert result[slots.COMPLAINT_TEXT].endswith("มีปล่องควันสูงๆ")


def test_a_category_change_is_not_stored_as_the_answer():
    text = "ไม่ใช่แค่ควันนะคะ อยากแจ้งเรื่องกลิ่นมากกว่า"
    tracker = asking(slots.SUBJECT_NAME, text, intent="complaint_odor", complaint_category="air_pollution")
    assert category_change(tracker) == "odor"
    heard = FORM._facts_heard(CollectingDispatcher(), tracker)
    assert heard[slots.COMPLAINT_CATEGORY] == "odor"
    assert FORM.validate_subject_name(text, CollectingDispatcher(), tracker, {})[slots.SUBJECT_NAME] is None


def test_already_said_takes_the_time_from_the_answer_and_skip_stores_nothing():
    text = "ก็บอกไปแล้วไงครับว่าทุกเช้ามืด"
    result = FORM.validate_occurred_text(text, CollectingDispatcher(), asking(slots.OCCURRED_TEXT, text), {})
    assert result[slots.OCCURRED_TEXT] == "ทุกเช้ามืด"
    result = FORM.validate_occurred_text("ข้ามครับ", CollectingDispatcher(), asking(slots.OCCURRED_TEXT, "ข้ามครับ"), {})
    assert result[slots.OCCURRED_TEXT] == slots.NOT_GIVEN


def test_a_misspelt_province_is_taken_with_a_did_you_mean():
    dispatcher = CollectingDispatcher()
    result = FORM.validate_province("สระบรี", dispatcher, asking(slots.PROVINCE, "สระบรี"), {})
    assert result[slots.PROVINCE] == "สระบุรี"
    assert dispatcher.messages[0]["response"] == "utter_province_guessed"


def test_the_word_loei_in_now_is_not_the_province():
    tracker = asking(slots.SUBJECT_NAME, "ตอนนี้เลยครับ", province="เลย")
    assert FORM.validate_province("เลย", CollectingDispatcher(), tracker, {})[slots.PROVINCE] is None


def test_phone_answers_in_every_form():
    consent = {slots.PDPA_CONSENT: True}
    text = "เอ่อ ไม่เอาดีกว่าค่ะ ไม่ต้องโทรมา"
    result = FORM.validate_contact_phone(text, CollectingDispatcher(), asking(slots.CONTACT_PHONE, text, **consent), {})
    assert result == {slots.CONTACT_PHONE: slots.NOT_GIVEN, slots.ANONYMOUS: True}
    dispatcher = CollectingDispatcher()
    FORM.validate_contact_phone("081234567", dispatcher, asking(slots.CONTACT_PHONE, "081234567", **consent), {})
    assert responses(dispatcher) == ["utter_phone_digit_missing"]
    text = "ได้ค่ะ โทรมาที่ 089-765-4321 นะคะ"
    result = FORM.validate_pdpa_consent(text, CollectingDispatcher(), asking(slots.PDPA_CONSENT, text), {})
    assert result[slots.PDPA_CONSENT] is True and result[slots.CONTACT_PHONE] == "+66897654321"


def test_a_phone_said_before_consent_is_used_once_consent_is_given():
    tracker = asking(slots.PDPA_CONSENT, "ยินยอมค่ะ", offered_phone="+66897654321")
    result = FORM.validate_pdpa_consent("ยินยอมค่ะ", CollectingDispatcher(), tracker, {})
    assert result[slots.CONTACT_PHONE] == "+66897654321"


async def test_an_emergency_gets_the_numbers_first_and_the_fewest_questions():
    values, said, _ = await start(
        "ด่วนๆๆ แอมโมเนียรั่วที่โรงน้ำแข็งแถวมหาชัย ตอนนี้เลย คนแถวนั้นแสบตาหายใจไม่ออก!!", "complaint_odor"
    )
    assert said[0] == "utter_emergency_first"
    assert values[slots.COMPLAINT_CATEGORY] == "hazard" and values["emergency"] is True
    asked = [s for s in complaint_required_slots(make_tracker(slots=values)) if values.get(s) is None]
    assert values[slots.PROVINCE] == "สมุทรสาคร" and values["place_detail"] == "มหาชัย"
    assert asked == [slots.CONFIRM_COMPLAINT]  # the place is known: only the summary


async def test_an_information_request_gets_an_answer_not_a_form():
    assert information_topic("มีสินเชื่อดอกเบี้ยต่ำสำหรับเอสเอ็มอีมั้ยคะ ต้องติดต่อที่ไหน") == "sme_finance"
    assert information_topic("อยากเปิดโรงงานเล็กๆ ต้องขอใบอนุญาตที่ไหนครับ") == "licence"
    assert information_topic("โรงงานไม่มีใบอนุญาต ส่งกลิ่นเหม็น") is None
    _, said, events = await start("มีสินเชื่อดอกเบี้ยต่ำสำหรับเอสเอ็มอีมั้ยคะ ต้องติดต่อที่ไหน", "complaint_business_support")
    assert said == ["utter_info_sme_finance"]
    assert events[-1]["name"] == "action_listen"


async def test_cancel_keeps_the_complaint_and_change_of_mind_brings_it_back():
    held = {slots.COMPLAINT_CATEGORY: "hazard", slots.PROVINCE: "ระยอง", slots.COMPLAINT_TEXT: "ถังเคมีรั่ว"}
    dispatcher = CollectingDispatcher()
    events = await ActionResetComplaint().run(dispatcher, make_tracker(slots=held), {})
    assert responses(dispatcher) == ["utter_complaint_held"]
    kept = {e["name"]: e["value"] for e in events}["held_complaint"]
    assert kept[slots.PROVINCE] == "ระยอง"
    dispatcher = CollectingDispatcher()
    events = await ActionResumeComplaint().run(dispatcher, make_tracker(slots={"held_complaint": kept}), {})
    assert responses(dispatcher) == ["utter_complaint_resumed"]
    restored = {e["name"]: e["value"] for e in events}
    assert restored[slots.PROVINCE] == "ระยอง" and restored["held_complaint"] is None


async def test_no_number_at_the_status_prompt_lists_the_citizens_tickets(case_database):
    form = ValidateStatusForm()
    tracker = make_tracker(text="เรื่องที่แจ้งไปถึงไหนแล้วคะ จำเลขไม่ได้", intent="check_status")
    dispatcher = CollectingDispatcher()
    assert await form.extract_tracking_number(dispatcher, tracker, {}) == {slots.TRACKING_NUMBER: LISTED}
    assert responses(dispatcher) == ["utter_no_tickets"]
    assert form.validate_tracking_number(LISTED, CollectingDispatcher(), tracker, {}) == {slots.TRACKING_NUMBER: LISTED}
    mine = make_tracker(text="/my_tickets", intent="my_tickets")
    assert await form.extract_tracking_number(CollectingDispatcher(), mine, {}) == {slots.TRACKING_NUMBER: LISTED}
    number = make_tracker(text="IDEE-2569-000001", intent="check_status")
    assert await form.extract_tracking_number(CollectingDispatcher(), number, {}) == {}


async def test_the_summary_shows_the_place_detail_and_says_bangkok_naturally():
    assert place_summary("กรุงเทพมหานคร", None, detail="ลาดกระบัง") == "ลาดกระบัง กรุงเทพมหานคร"
    assert place_summary("สมุทรปราการ", None, detail="อ.บางพลี") == "อ.บางพลี จังหวัดสมุทรปราการ"
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={slots.PROVINCE: "สมุทรปราการ", "place_detail": "อ.บางพลี", slots.COMPLAINT_CATEGORY: "wastewater"}
    )
    domain = {"responses": {"utter_contact_anonymous": [{"text": "ไม่ประสงค์ออกนาม"}]}}
    await ActionAskConfirmComplaint().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["place"] == "อ.บางพลี จังหวัดสมุทรปราการ"


async def test_a_handoff_mid_complaint_keeps_it_for_after_the_hand_back(case_database):
    from actions.handoff import ActionRequestHandoff

    held = {slots.COMPLAINT_CATEGORY: "odor", slots.PROVINCE: "สระบุรี", slots.COMPLAINT_TEXT: "โรงงานเหม็น"}
    tracker = make_tracker(text="ขอคุยกับเจ้าหน้าที่", intent="ask_human", slots=held)
    events = await ActionRequestHandoff().run(CollectingDispatcher(), tracker, {})
    kept = {e["name"]: e["value"] for e in events}["held_complaint"]
    assert kept[slots.PROVINCE] == "สระบุรี" and kept[slots.COMPLAINT_CATEGORY] == "odor"


def test_loei_tagged_in_now_keeps_the_province_given_earlier_in_the_turn():
    from rasa_sdk import Tracker

    text = "อาคารโรงงานถล่มทับคนงาน ที่ อ.กระทุ่มแบน สมุทรสาคร ตอนนี้เลยค่ะ"
    events = [
        {"event": "user", "text": text},
        {"event": "slot", "name": slots.PROVINCE, "value": "สมุทรสาคร"},  # action_start_complaint
        {"event": "slot", "name": slots.PROVINCE, "value": "เลย"},  # the NLU's entity, mapped by the form
    ]
    tracker = Tracker(
        "U1",
        {slots.PROVINCE: "เลย", slots.COMPLAINT_CATEGORY: "hazard"},
        {"text": text, "intent": {"name": "complaint_hazard"}, "entities": []},
        events,
        False,
        None,
        {},
        None,
    )
    assert FORM.validate_province("เลย", CollectingDispatcher(), tracker, {})[slots.PROVINCE] == "สมุทรสาคร"


async def test_a_status_request_typed_mid_form_is_answered_and_never_stored(case_database):
    text = "เรื่องที่ผมแจ้งไปเมื่อกี้ถึงไหนแล้วครับ จำเลขไม่ได้"
    tracker = asking(slots.SUBJECT_NAME, text, subject_name=text)
    dispatcher = CollectingDispatcher()
    tracker.events.append({"event": "user", "text": text})  # the from_text answer set this turn:
    tracker.events.append({"event": "slot", "name": slots.SUBJECT_NAME, "value": text})
    events = await FORM.get_validation_events(dispatcher, tracker, {"forms": {}})
    assert responses(dispatcher)[:2] == ["utter_no_tickets", "utter_form_resumes"]
    values = {e["name"]: e["value"] for e in events}
    assert values.get(slots.SUBJECT_NAME) is None and slots.OCCURRED_TEXT not in values


async def test_an_answer_read_as_a_status_request_goes_to_the_form():
    from actions.listening import ActionStatusInForm

    dispatcher = CollectingDispatcher()
    events = await ActionStatusInForm().run(
        dispatcher, asking(slots.OCCURRED_TEXT, "วันจันทร์ที่แล้วครับ", "check_status"), {}
    )
    assert events == [] and dispatcher.messages == []


async def test_change_of_mind_read_as_a_new_complaint_resumes_the_held_one():
    held = {slots.COMPLAINT_CATEGORY: "industrial_waste", slots.PROVINCE: "ระยอง", slots.COMPLAINT_TEXT: "ถังเคมี"}
    tracker = make_tracker(
        text="เปลี่ยนใจค่ะ แจ้งก็ได้ เรื่องถังเคมีเมื่อกี้", intent="complaint_hazard", confidence=0.3, slots={"held_complaint": held}
    )
    dispatcher = CollectingDispatcher()
    events = await ActionStartComplaint().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_complaint_resumed"]
    assert {e["name"]: e["value"] for e in events}[slots.PROVINCE] == "ระยอง"


async def test_an_emergency_the_nlu_did_not_understand_still_gets_the_numbers_first(monkeypatch):
    from actions import clarify

    async def no_queue(*args, **kwargs):  # the trainers' queue needs a database
        return None

    monkeypatch.setattr(clarify, "queue_for_trainers", no_queue)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="ไฟลุกที่โกดังโรงงาน ตอนนี้ควันเต็มไปหมด ที่ อ.เมือง ระยอง", intent="nlu_fallback")
    events = await clarify.ActionClarifyCategory().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_emergency_first"
    assert events[-1]["name"] == "complaint_form"
