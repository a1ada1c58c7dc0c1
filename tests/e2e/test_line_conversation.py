"""A citizen's Thai conversation on LINE, through every real process."""

from __future__ import annotations

import re
import time

from sqlalchemy import create_engine, func, select

from cases.models import Referral, Ticket
from gateway.signing import (
    follow_event,
    in_group,
    location_event,
    new_user_id,
    postback_event,
    sticker_event,
    text_event,
)

TRACKING = re.compile(r"IDEE-\d{4}-\d{6}")


def texts(deliveries: list[dict]) -> list[str]:
    """Each message's text; a Flex message's altText (the plain summary)."""
    return [m.get("text") or m.get("altText", "") for d in deliveries for m in d["payload"]["messages"]]


def quick_replies(deliveries: list[dict]) -> list[dict]:
    items = []
    for d in deliveries:
        for m in d["payload"]["messages"]:
            items += (m.get("quickReply") or {}).get("items", [])
    return items


def tickets(stack) -> list[Ticket]:
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        rows = conn.execute(select(Ticket)).all()
    engine.dispose()
    return rows


def said(deliveries: list[dict]) -> str:
    return "\n".join(texts(deliveries))


def press(stack, citizen, deliveries: list[dict], label: str, event=postback_event) -> list[dict]:
    """Tap the quick-reply button with this label (LINE sends its postback data)."""
    button = next((b["action"] for b in quick_replies(deliveries) if b["action"]["label"] == label), None)
    assert button is not None, (label, [b["action"]["label"] for b in quick_replies(deliveries)])
    assert button["type"] == "postback"
    return stack.turn(citizen, event, button["data"])


def test_a_thai_complaint_becomes_a_routed_ticket_and_its_status_can_be_asked(stack, capsys):
    citizen = new_user_id()
    started = time.monotonic()

    first = stack.turn(citizen, text_event, "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก")
    assert [d["kind"] for d in first] == ["reply"], "one turn is one reply call"
    text = said(first)
    assert "กลิ่นเหม็น" in text, text  # the category it understood
    assert "เหตุเกิดที่จังหวัดอะไรคะ" in text, text  # and it asks for the province
    assert "ไม่พบชื่อจังหวัด" not in text, text  # without scolding an answer never given
    assert "รายละเอียดเพิ่ม" not in text, text  # what they already said counts

    second = stack.turn(citizen, text_event, "ชลบุรีค่ะ")
    assert "ทราบชื่อโรงงาน" in said(second), said(second)  # subject type and "ทุกคืน" were understood
    assert [b["action"]["label"] for b in quick_replies(second)] == ["ไม่ทราบ"]

    photos = stack.turn(citizen, text_event, "บริษัท สยามเคมีภัณฑ์ จำกัด")
    assert "รูปถ่าย" in said(photos), said(photos)  # evidence photos: asked once, optional
    third = press(stack, citizen, photos, "ข้าม")
    assert "คุ้มครองข้อมูลส่วนบุคคล" in said(third), said(third)  # consent before any phone
    assert [b["action"]["label"] for b in quick_replies(third)] == ["ยินยอม", "ไม่ประสงค์ออกนาม"]

    fourth = press(stack, citizen, third, "ยินยอม")
    assert "เบอร์โทรศัพท์" in said(fourth), said(fourth)
    wrong = stack.turn(citizen, text_event, "1234")
    assert "ไม่ใช่เบอร์โทรศัพท์ในประเทศไทย" in said(wrong), said(wrong)

    fifth = stack.turn(citizen, text_event, "081-234-5678 ค่ะ")
    summary = said(fifth)
    assert "จังหวัดชลบุรี" in summary and "ยืนยัน" in summary, summary
    assert "บริษัท สยามเคมีภัณฑ์ จำกัด" in summary and "ทุกคืน" in summary and "081 234 5678" in summary
    assert [m["type"] for d in fifth for m in d["payload"]["messages"]][-1] == "flex"  # the summary card
    buttons = quick_replies(fifth)
    assert [b["action"]["label"] for b in buttons] == ["ยืนยัน", "แก้ไข", "ยกเลิก"]

    sixth = press(stack, citizen, fifth, "ยืนยัน")
    created = said(sixth)
    number = TRACKING.search(created)
    assert number, created
    assert "สำนักงานอุตสาหกรรมจังหวัดชลบุรี" in created and "1 วันทำการ" in created
    with capsys.disabled():
        print(f"\nfull complaint: 8 citizen turns (one a wrong phone) in {time.monotonic() - started:.1f}s")

    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert (row.category, row.agency, row.state, row.province) == ("odor", "PIO-CBI", "new", "ชลบุรี")
    assert row.line_user_id == citizen
    assert row.description.startswith("โรงงานแถวบ้านปล่อยกลิ่นเหม็น")
    assert 0 < row.nlu_confidence <= 1
    assert (row.subject_type, row.subject_name, row.occurred_text) == ("factory", "บริษัท สยามเคมีภัณฑ์ จำกัด", "ทุกคืน")
    assert (row.contact_phone, row.anonymous) == ("+66812345678", False) and row.consent_at is not None

    status = stack.turn(citizen, text_event, f"ขอติดตามเรื่อง {number.group(0)} ค่ะ")
    answer = "\n".join(texts(status))
    assert number.group(0) in answer and "รับเรื่องแล้ว" in answer, answer

    mine = "\n".join(texts(stack.turn(citizen, postback_event, "/my_tickets")))
    assert number.group(0) in mine and "กลิ่นเหม็น" in mine, mine

    stranger = new_user_id()
    other = stack.turn(stranger, text_event, f"ขอติดตามเรื่อง {number.group(0)} ค่ะ")
    assert "ไม่พบเรื่อง" in "\n".join(texts(other)), "a citizen never sees another person's ticket"


def test_a_complaint_with_its_place_in_bangkok_goes_to_diw(stack):
    citizen = new_user_id()
    first = stack.turn(citizen, text_event, "โรงงานที่กรุงเทพมหานครปล่อยน้ำเสียลงคลอง น้ำดำมาก ปลาตายเต็มเลย")
    text = said(first)
    assert "น้ำเสีย" in text and "จังหวัดอะไร" not in text, text  # no need to ask for the place
    assert "ทราบชื่อโรงงาน" in text, text
    when = press(stack, citizen, first, "ไม่ทราบ")
    assert "เกิดขึ้นเมื่อไหร่" in said(when), said(when)
    photos = stack.turn(citizen, text_event, "ทุกวันตอนตีสอง")
    consent = press(stack, citizen, photos, "ข้าม")
    summary = press(stack, citizen, consent, "ไม่ประสงค์ออกนาม")  # declined: filed anonymously
    assert "ไม่ประสงค์ออกนาม" in said(summary) and "ยืนยัน" in said(summary), said(summary)
    done = stack.turn(citizen, text_event, "ยืนยัน")
    number = TRACKING.search(said(done))
    assert number, texts(done)
    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert (row.category, row.agency) == ("wastewater", "DIW")
    assert (row.anonymous, row.contact_phone, row.consent_at, row.subject_name) == (True, None, None, None)
    assert row.occurred_text == "ทุกวันตอนตีสอง"


def test_a_line_location_gives_the_place_and_one_field_is_edited_without_restarting(stack):
    citizen = new_user_id()
    first = stack.turn(citizen, text_event, "เหมืองหินแถวบ้านระเบิดหินเสียงดังมาก บ้านร้าวไปหลายหลังแล้วค่ะ")
    assert "เหตุเกิดที่จังหวัดอะไรคะ" in said(first), said(first)
    address = "ตำบลหน้าพระลาน อำเภอเฉลิมพระเกียรติ สระบุรี 18240 ประเทศไทย"
    located = stack.turn(citizen, location_event, 14.6912, 100.8702, address)
    assert "ทราบชื่อโรงงาน" in said(located), said(located)  # the province came from the address
    press(stack, citizen, located, "ไม่ทราบ")
    photos = stack.turn(citizen, text_event, "ทุกวันตอนเที่ยง")
    consent = press(stack, citizen, photos, "ข้าม")
    summary = press(stack, citizen, consent, "ไม่ประสงค์ออกนาม")
    assert "จังหวัดสระบุรี" in said(summary) and "หน้าพระลาน" in said(summary), said(summary)

    which = press(stack, citizen, summary, "แก้ไข")
    assert "แก้ไขข้อใด" in said(which), said(which)
    asked = press(stack, citizen, which, "ช่วงเวลา")
    assert "เกิดขึ้นเมื่อไหร่" in said(asked), said(asked)
    again = stack.turn(citizen, text_event, "ทุกวันตอนบ่ายสาม")
    text = said(again)
    assert "ทุกวันตอนบ่ายสาม" in text and "จังหวัดสระบุรี" in text, text  # only that field changed
    assert "ทราบชื่อโรงงาน" not in text and "คุ้มครองข้อมูล" not in text, text

    done = press(stack, citizen, again, "ยืนยัน")
    number = TRACKING.search(said(done))
    assert number, said(done)
    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert row.category in ("mining", "noise"), row.category  # either way: a mine goes to DPIM
    assert (row.agency, row.subject_type, row.province) == ("DPIM", "mine", "สระบุรี")
    assert (row.latitude, row.longitude, row.address) == (14.6912, 100.8702, address)
    assert row.occurred_text == "ทุกวันตอนบ่ายสาม"


def group_text(user_id, text, reply_token=None):
    return in_group(text_event(user_id, text, reply_token=reply_token))


def group_postback(user_id, data, reply_token=None):
    return in_group(postback_event(user_id, data, reply_token=reply_token))


def test_corruption_offers_anonymity_first_and_no_details_are_echoed_in_a_group(stack):
    citizen = new_user_id()
    detail = "เจ้าหน้าที่เรียกรับเงินสินบนห้าพันบาท ถ้าอยากให้ใบอนุญาตออกเร็ว ไม่มีใบเสร็จค่ะ"
    first = stack.turn(citizen, group_text, detail)
    text = said(first)
    assert "ไม่ประสงค์ออกนามไหมคะ" in text and "ศูนย์ปฏิบัติการต่อต้านการทุจริต" in text, text
    named = press(stack, citizen, first, "ไม่ประสงค์ออกนาม", event=group_postback)
    assert "ทราบชื่อ" in said(named), said(named)
    when = press(stack, citizen, named, "ไม่ทราบ", event=group_postback)
    photos = press(stack, citizen, when, "ไม่ทราบ", event=group_postback)
    summary = press(stack, citizen, photos, "ข้าม", event=group_postback)
    text = said(summary)
    assert "แชทกลุ่ม" in text and "ห้าพันบาท" not in text and "สรุปเรื่อง" not in text, text
    done = press(stack, citizen, summary, "ยืนยัน", event=group_postback)
    number = TRACKING.search(said(done))
    assert number, said(done)
    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert (row.category, row.agency, row.confidential, row.anonymous) == ("corruption", "ACOC", True, True)
    assert row.contact_phone is None and row.subject_type == "official"


def test_out_of_scope_is_referred_without_a_ticket(stack):
    citizen = new_user_id()
    before = len(tickets(stack))
    reply = "\n".join(texts(stack.turn(citizen, text_event, "ถนนหน้าบ้านเป็นหลุมเป็นบ่อมาหลายเดือนแล้ว ไฟถนนก็ดับ")))
    assert "1111" in reply and "Traffy Fondue" in reply, reply
    assert len(tickets(stack)) == before
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count(Referral.id))).scalar_one() >= 1
    engine.dispose()


def test_a_new_friend_is_greeted_with_a_short_menu(stack):
    greeting = stack.turn(new_user_id(), follow_event)
    assert "สวัสดีค่ะ" in "\n".join(texts(greeting))
    labels = [b["action"]["label"] for b in quick_replies(greeting)]
    assert labels == ["เรื่องของฉัน", "ติดตามเรื่อง", "แจ้งเรื่องใดได้บ้าง"]


def test_greeting_and_a_sticker_get_polite_answers(stack):
    citizen = new_user_id()
    hello = "\n".join(texts(stack.turn(citizen, text_event, "สวัสดีค่ะ")))
    assert "สวัสดีค่ะ" in hello
    sticker = "\n".join(texts(stack.turn(citizen, sticker_event)))
    assert "ข้อความตัวอักษร" in sticker


def test_a_bad_signature_is_rejected_and_changes_nothing(stack):
    citizen = new_user_id()
    before = len(tickets(stack))
    event = text_event(citizen, "โรงงานส่งกลิ่นเหม็นที่ระยอง", reply_token="bad-signature-token")
    assert stack.post_webhook(event, signature="c2lnbmF0dXJl").status_code == 400
    assert stack.post_webhook(event, signature=None).status_code == 400
    import time

    time.sleep(1.5)
    assert stack.deliveries(citizen) == []
    assert len(tickets(stack)) == before


def test_a_complaint_in_progress_carries_on_after_rasa_restarts(stack):
    """Conversations live in Rasa's SQL tracker store (endpoints.yml), not in its memory:
    a restart (or a model swap) between two answers loses nothing the citizen said."""
    citizen = new_user_id()
    first = stack.turn(citizen, text_event, "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก")
    assert "เหตุเกิดที่จังหวัดอะไรคะ" in said(first), said(first)

    stack.restart_rasa()

    second = stack.turn(citizen, text_event, "ชลบุรีค่ะ")
    assert "ทราบชื่อโรงงาน" in said(second), said(second)  # the next question, not a new start
