"""The intake form: answers, the order of questions, editing, submit with contact data."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, select

from actions import slots
from actions.complaint_intake import (
    ActionAskConfirmComplaint,
    ActionStartComplaint,
    ValidateComplaintForm,
    complaint_required_slots,
)
from actions.intake_answers import (
    anonymity_from_answer,
    confirmation_from_answer,
    consent_from_answer,
    edit_field_from_answer,
    infer_subject_type,
    occurred_from_text,
    optional_text_from_answer,
    phone_from_answer,
    province_from_address,
    subject_type_from_answer,
)
from actions.submit_complaint import ActionSubmitComplaint, draft_from_tracker
from cases.models import Ticket
from tests.actions.conftest import make_tracker

LONG = "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก"
FORM = ValidateComplaintForm()


def validate(slot, value, tracker=None):
    dispatcher = CollectingDispatcher()
    result = getattr(FORM, f"validate_{slot}")(value, dispatcher, tracker or make_tracker(), {})
    return result, [m.get("response") for m in dispatcher.messages]


# -- answers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "phone"),
    [
        ("0812345678", "+66812345678"),
        ("081-234-5678", "+66812345678"),
        ("เบอร์ 081 234 5678 ค่ะ", "+66812345678"),
        ("๐๘๑๒๓๔๕๖๗๘", "+66812345678"),
        ("+66 81 234 5678", "+66812345678"),
        ("02 123 4567", "+6621234567"),
        ("ไม่ประสงค์ออกนามค่ะ", slots.NOT_GIVEN),
        ("/deny", slots.NOT_GIVEN),
        ("12345", None),
        ("0012", None),
        ("สวัสดี", None),
        ("", None),
    ],
)
def test_phone_numbers_are_thai_and_normalised(answer, phone):
    assert phone_from_answer(answer) == phone


@pytest.mark.parametrize(
    ("address", "province"),
    [
        ("1 ถนนสุขุมวิท ตำบลบ้านสวน อำเภอเมืองชลบุรี ชลบุรี 20000 ประเทศไทย", "ชลบุรี"),
        ("ตำบลมาบตาพุด อำเภอเมืองระยอง จังหวัดระยอง 21150", "ระยอง"),
        ("ซอยลาดพร้าว 101 เขตวังทองหลาง กรุงเทพมหานคร 10310", "กรุงเทพมหานคร"),
        ("Tambon Ban Suan, Mueang Chon Buri District, Chon Buri 20000, Thailand", "ชลบุรี"),
        ("ตำบลกุดป่อง อำเภอเมืองเลย เลย 42000", "เลย"),
        ("", None),
        (None, None),
    ],
)
def test_the_province_comes_from_a_line_address(address, province):
    assert province_from_address(address) == province


def test_yes_no_answers():
    assert confirmation_from_answer("แก้ไข") == slots.EDIT
    assert confirmation_from_answer("edit") == slots.EDIT
    assert consent_from_answer(True) is True
    assert consent_from_answer("ยินยอมค่ะ") is True
    assert consent_from_answer("ไม่ประสงค์ออกนาม") is False
    assert consent_from_answer("อืม") is None
    assert anonymity_from_answer("ไม่ประสงค์ออกนามค่ะ") is True
    assert anonymity_from_answer("ให้ติดต่อกลับได้") is False


def test_optional_answers_and_subject_types():
    assert optional_text_from_answer("ไม่ทราบค่ะ") == slots.NOT_GIVEN
    assert optional_text_from_answer("/deny") == slots.NOT_GIVEN
    assert optional_text_from_answer("บริษัท เอบีซี เคมีคอล จำกัด") == "บริษัท เอบีซี เคมีคอล จำกัด"
    assert subject_type_from_answer('/inform{"subject_type":"sme"}') == "sme"
    assert subject_type_from_answer("ร้านค้าในตลาดค่ะ") == "sme"
    assert subject_type_from_answer("ไม่ทราบ") == "unknown"
    assert subject_type_from_answer("อะไรนะ") is None
    assert infer_subject_type("mining", "ระเบิดหินทุกวัน") == "mine"
    assert infer_subject_type("corruption", "เรียกเงิน") == "official"
    assert infer_subject_type("odor", LONG) == "factory"
    assert infer_subject_type("product_standard", "ปลั๊กพ่วงไม่มี มอก.") is None
    assert occurred_from_text(LONG) == "ทุกคืน"
    assert occurred_from_text("ปลั๊กพ่วงไม่มี มอก.") is None
    assert edit_field_from_answer('/edit_complaint{"edit_field":"place"}') == "place"
    assert edit_field_from_answer("ขอแก้เบอร์โทร") == "contact"
    assert edit_field_from_answer("อะไร") is None


# -- what is asked, in which order ----------------------------------------------------------


async def start(text, intent, **extra_slots):
    events = await ActionStartComplaint().run(
        CollectingDispatcher(), make_tracker(text=text, intent=intent, slots=extra_slots), {}
    )
    return {e["name"]: e["value"] for e in events}


async def test_a_long_first_message_is_not_asked_again_and_what_is_obvious_is_inferred():
    values = await start(LONG, "complaint_odor")
    assert values[slots.SUBJECT_TYPE] == "factory"
    assert values[slots.OCCURRED_TEXT] == "ทุกคืน"
    required = complaint_required_slots(make_tracker(slots=values))
    assert required == [
        slots.PROVINCE,
        slots.SUBJECT_NAME,
        slots.SUBJECT_TYPE,
        slots.OCCURRED_TEXT,
        slots.EVIDENCE,
        slots.PDPA_CONSENT,
        slots.CONFIRM_COMPLAINT,
    ]
    missing = [s for s in required if values.get(s) is None]
    assert missing == [
        slots.PROVINCE,
        slots.SUBJECT_NAME,
        slots.EVIDENCE,
        slots.PDPA_CONSENT,
        slots.CONFIRM_COMPLAINT,
    ]


async def test_a_district_named_with_nikhom_is_routed_by_its_province_not_as_an_estate():
    text = "โรงงานอาหารสัตว์ส่งกลิ่นเหม็นเน่าทุกคืน ต.มาบข่า อ.นิคมพัฒนา จ.ระยอง"
    tagged = [{"entity": "industrial_estate", "value": "นิคมพัฒนา", "start": 44, "end": 53}]
    values = await start(text, "complaint_odor", **{})
    assert values[slots.INDUSTRIAL_ESTATE] is None
    assert values[slots.PROVINCE] == "ระยอง"
    # The NLU tagging the district as an estate (the slot's own mapping) changes nothing.
    tracker = make_tracker(text=text, intent="complaint_odor", entities=tagged)
    events = await ActionStartComplaint().run(CollectingDispatcher(), tracker, {})
    assert {e["name"]: e["value"] for e in events}[slots.INDUSTRIAL_ESTATE] is None
    values[slots.INDUSTRIAL_ESTATE] = "นิคมพัฒนา"
    assert slots.PROVINCE in complaint_required_slots(make_tracker(slots=values))


async def test_a_short_first_message_asks_for_detail_first():
    values = await start("เหม็นมาก", "complaint_odor")
    assert complaint_required_slots(make_tracker(slots=values))[0] == slots.DESCRIPTION_DETAIL
    result, said = validate(slots.DESCRIPTION_DETAIL, "โรงงานปล่อยควันทุกเช้า", make_tracker(slots=values))
    assert result[slots.COMPLAINT_TEXT] == "เหม็นมาก โรงงานปล่อยควันทุกเช้า" and said == []


async def test_corruption_offers_anonymity_before_anything_personal_and_says_it_is_confidential():
    dispatcher = CollectingDispatcher()
    await ActionStartComplaint().run(
        dispatcher, make_tracker(text="เจ้าหน้าที่เรียกรับเงินใต้โต๊ะเพื่อออกใบอนุญาตให้เร็วขึ้น", intent="complaint_corruption"), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_category_understood", "utter_corruption_privacy"]
    values = await start("เจ้าหน้าที่เรียกรับเงินใต้โต๊ะเพื่อออกใบอนุญาตให้เร็วขึ้น", "complaint_corruption")
    required = complaint_required_slots(make_tracker(slots=values))
    assert required[0] == slots.ANONYMOUS and slots.PROVINCE not in required
    assert values[slots.SUBJECT_TYPE] == "official"
    anonymous = complaint_required_slots(make_tracker(slots={**values, slots.ANONYMOUS: True}))
    assert slots.PDPA_CONSENT not in anonymous and slots.CONTACT_PHONE not in anonymous


def test_consent_comes_before_the_phone_and_declining_files_anonymously():
    base = {slots.COMPLAINT_CATEGORY: "product_standard", slots.COMPLAINT_TEXT: LONG}
    assert slots.CONTACT_PHONE not in complaint_required_slots(make_tracker(slots=base))
    result, _ = validate(slots.PDPA_CONSENT, True)
    assert result[slots.ANONYMOUS] is False and result[slots.CONSENT_AT]
    assert slots.CONTACT_PHONE in complaint_required_slots(make_tracker(slots={**base, **result}))
    declined, _ = validate(slots.PDPA_CONSENT, False)
    assert declined == {
        slots.PDPA_CONSENT: False,
        slots.ANONYMOUS: True,
        slots.CONSENT_AT: None,
        slots.CONTACT_PHONE: None,
    }
    assert slots.CONTACT_PHONE not in complaint_required_slots(make_tracker(slots={**base, **declined}))


def test_a_phone_is_kept_only_with_consent_and_a_wrong_one_is_asked_again():
    consented = make_tracker(slots={slots.PDPA_CONSENT: True})
    assert validate(slots.CONTACT_PHONE, "081 234 5678", consented)[0] == {
        slots.CONTACT_PHONE: "+66812345678",
        slots.ANONYMOUS: False,
    }
    assert validate(slots.CONTACT_PHONE, "1234", consented) == (
        {slots.CONTACT_PHONE: None},
        ["utter_wrong_contact_phone"],
    )
    assert validate(slots.CONTACT_PHONE, "/deny", consented)[0][slots.ANONYMOUS] is True
    assert validate(slots.CONTACT_PHONE, "0812345678", make_tracker())[0] == {slots.CONTACT_PHONE: None}


def test_a_line_location_gives_the_province_and_is_never_asked():
    tracker = make_tracker(slots={slots.ADDRESS: "x", slots.LATITUDE: 13.3, slots.LONGITUDE: 101.0})
    assert complaint_required_slots(tracker)[:3] == [slots.LATITUDE, slots.LONGITUDE, slots.ADDRESS]
    assert slots.ADDRESS not in complaint_required_slots(make_tracker())
    result, _ = validate(slots.ADDRESS, "ตำบลมาบตาพุด อำเภอเมืองระยอง จังหวัดระยอง 21150")
    assert result[slots.PROVINCE] == "ระยอง"
    assert validate(slots.LATITUDE, "13.36")[0] == {slots.LATITUDE: 13.36}
    assert validate(slots.LONGITUDE, 500)[0] == {slots.LONGITUDE: None}


def test_a_province_correction_while_another_question_is_asked_is_not_taken_as_the_answer():
    tracker = make_tracker(
        text="ขอแก้จังหวัดเป็นระยองค่ะ",
        entities=[{"entity": "province", "value": "ระยอง"}],
        slots={"requested_slot": slots.SUBJECT_NAME},
    )
    assert validate(slots.SUBJECT_NAME, "ขอแก้จังหวัดเป็นระยองค่ะ", tracker)[0] == {slots.SUBJECT_NAME: None}
    plain = make_tracker(text="บริษัท เอ", slots={"requested_slot": slots.SUBJECT_NAME})
    assert validate(slots.SUBJECT_NAME, "บริษัท เอ", plain)[0][slots.SUBJECT_NAME] == "บริษัท เอ"


def test_a_wrong_subject_type_is_asked_again():
    assert validate(slots.SUBJECT_TYPE, "อะไรนะ") == ({slots.SUBJECT_TYPE: None}, ["utter_wrong_subject_type"])


# -- confirmation and editing ---------------------------------------------------------------


def filled(**overrides):
    values = {
        slots.COMPLAINT_CATEGORY: "odor",
        slots.COMPLAINT_TEXT: LONG,
        slots.PROVINCE: "ชลบุรี",
        slots.SUBJECT_NAME: "บริษัท เอ",
        slots.SUBJECT_TYPE: "factory",
        slots.OCCURRED_TEXT: "ทุกคืน",
        slots.PDPA_CONSENT: True,
        slots.ANONYMOUS: False,
        slots.CONSENT_AT: "2026-11-25T10:00:00+00:00",
        slots.CONTACT_PHONE: "+66812345678",
        slots.EVIDENCE: "skip",
    }
    values.update(overrides)
    return values


def test_editing_one_field_re_asks_just_that_field():
    values = filled()
    result, _ = validate(slots.CONFIRM_COMPLAINT, "edit")
    assert result == {slots.CONFIRM_COMPLAINT: None, slots.EDIT_REQUESTED: True, slots.EDIT_FIELD: None}
    values.update(result)
    required = complaint_required_slots(make_tracker(slots=values))
    assert [s for s in required if values.get(s) is None] == [slots.EDIT_FIELD, slots.CONFIRM_COMPLAINT]

    chosen, _ = validate(slots.EDIT_FIELD, '/edit_complaint{"edit_field":"contact"}')
    values.update(chosen)
    required = complaint_required_slots(make_tracker(slots=values))
    assert [s for s in required if values.get(s) is None] == [slots.PDPA_CONSENT, slots.CONFIRM_COMPLAINT]
    assert values[slots.PROVINCE] == "ชลบุรี" and values[slots.SUBJECT_NAME] == "บริษัท เอ"

    assert validate(slots.EDIT_FIELD, "อะไร") == ({slots.EDIT_FIELD: None}, ["utter_wrong_edit_field"])


def test_editing_the_place_asks_the_province_even_when_routing_did_not_need_it():
    values = filled(**{slots.COMPLAINT_CATEGORY: "product_standard", slots.PROVINCE: None})
    chosen, _ = validate(slots.EDIT_FIELD, "place")
    values.update(chosen)
    assert slots.PROVINCE in complaint_required_slots(make_tracker(slots=values))


def test_editing_the_description_replaces_it():
    values = filled()
    chosen, _ = validate(slots.EDIT_FIELD, "description")
    values.update(chosen)
    tracker = make_tracker(slots=values)
    assert complaint_required_slots(tracker)[0] == slots.DESCRIPTION_DETAIL
    result, _ = validate(slots.DESCRIPTION_DETAIL, "น้ำเสียไหลลงคลองทุกเช้า", tracker)
    assert result[slots.COMPLAINT_TEXT] == "น้ำเสียไหลลงคลองทุกเช้า"


async def test_the_summary_shows_every_field_is_marked_private_and_offers_edit():
    dispatcher = CollectingDispatcher()
    domain = {"responses": {"utter_contact_anonymous": [{"text": "ไม่ประสงค์ออกนามค่ะ"}]}}
    events = await ActionAskConfirmComplaint().run(dispatcher, make_tracker(slots=filled()), domain)
    summary, marker = dispatcher.messages
    assert summary["response"] == "utter_confirm_complaint"
    assert summary["subject"] == "บริษัท เอ (โรงงานอุตสาหกรรม)"
    assert summary["occurred"] == "ทุกคืน" and summary["contact"] == "081 234 5678"
    assert marker["custom"] == {"idee_private_previous": True}
    assert events == [{"event": "slot", "timestamp": None, "name": slots.EDIT_FIELD, "value": None}]

    dispatcher = CollectingDispatcher()
    await ActionAskConfirmComplaint().run(
        dispatcher, make_tracker(slots=filled(**{slots.ANONYMOUS: True, slots.CONTACT_PHONE: None})), domain
    )
    assert dispatcher.messages[0]["contact"] == "ไม่ประสงค์ออกนาม"  # a label in the summary, no particle


# -- submit ---------------------------------------------------------------------------------


def stored(url, number):
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(Ticket).where(Ticket.tracking_number == number)).one()
    engine.dispose()
    return row


async def submit(values):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**values, slots.CONFIRM_COMPLAINT: True})
    await ActionSubmitComplaint().run(dispatcher, tracker, {})
    return dispatcher.messages[0]


async def test_submit_stores_the_phone_with_consent_and_the_place(case_database):
    message = await submit(
        filled(**{slots.LATITUDE: 13.36, slots.LONGITUDE: 100.98, slots.ADDRESS: "อำเภอเมืองชลบุรี ชลบุรี 20000"})
    )
    row = stored(case_database, message["tracking_number"])
    assert (row.contact_phone, row.anonymous, row.agency) == ("+66812345678", False, "PIO-CBI")
    assert row.consent_at is not None and row.occurred_text == "ทุกคืน"
    assert (row.latitude, row.longitude, row.subject_type, row.subject_name) == (13.36, 100.98, "factory", "บริษัท เอ")


async def test_submit_without_consent_is_anonymous_and_keeps_no_phone(case_database):
    message = await submit(
        filled(
            **{
                slots.PDPA_CONSENT: False,
                slots.ANONYMOUS: True,
                slots.CONSENT_AT: None,
                slots.CONTACT_PHONE: "+66812345678",
                slots.SUBJECT_NAME: slots.NOT_GIVEN,
                slots.OCCURRED_TEXT: slots.NOT_GIVEN,
            }
        )
    )
    row = stored(case_database, message["tracking_number"])
    assert (row.contact_phone, row.anonymous, row.consent_at) == (None, True, None)
    assert row.subject_name is None and row.occurred_text is None


async def test_an_anonymous_corruption_complaint_goes_to_acoc_confidentially(case_database):
    message = await submit(
        {
            slots.COMPLAINT_CATEGORY: "corruption",
            slots.COMPLAINT_TEXT: "เจ้าหน้าที่เรียกรับเงิน",
            slots.ANONYMOUS: True,
            slots.SUBJECT_TYPE: "official",
        }
    )
    row = stored(case_database, message["tracking_number"])
    assert (row.agency, row.confidential, row.anonymous, row.contact_phone) == ("ACOC", True, True, None)


def test_a_draft_never_carries_a_phone_without_consent():
    draft = draft_from_tracker(make_tracker(slots=filled(**{slots.PDPA_CONSENT: None})))
    assert draft.contact_phone is None and draft.anonymous is True
