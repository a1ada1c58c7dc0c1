"""A citizen's Thai conversation on LINE, through every real process."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, func, select

from cases.models import Referral, Ticket
from integrations.line_gateway.signing import (
    follow_event,
    new_user_id,
    postback_event,
    sticker_event,
    text_event,
)

TRACKING = re.compile(r"IDEE-\d{4}-\d{6}")


def texts(deliveries: list[dict]) -> list[str]:
    return [m.get("text", "") for d in deliveries for m in d["payload"]["messages"]]


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


def test_a_thai_complaint_becomes_a_routed_ticket_and_its_status_can_be_asked(stack):
    citizen = new_user_id()

    first = stack.turn(citizen, text_event, "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก")
    assert [d["kind"] for d in first] == ["reply"], "one turn is one reply call"
    said = "\n".join(texts(first))
    assert "กลิ่นเหม็น" in said, said  # the category it understood
    assert "เหตุเกิดที่จังหวัดอะไรคะ" in said, said  # and it asks for the province
    assert "ไม่พบชื่อจังหวัด" not in said, said  # without scolding an answer never given

    second = stack.turn(citizen, text_event, "ชลบุรีค่ะ")
    summary = "\n".join(texts(second))
    assert "จังหวัดชลบุรี" in summary and "ยืนยัน" in summary, summary
    buttons = quick_replies(second)
    assert [b["action"]["label"] for b in buttons] == ["ยืนยัน", "ยกเลิก"]
    confirm = buttons[0]["action"]
    assert confirm["type"] == "postback"

    third = stack.turn(citizen, postback_event, confirm["data"])
    created = "\n".join(texts(third))
    number = TRACKING.search(created)
    assert number, created
    assert "สำนักงานอุตสาหกรรมจังหวัดชลบุรี" in created

    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert (row.category, row.agency, row.state, row.province) == ("odor", "PIO-CBI", "new", "ชลบุรี")
    assert row.line_user_id == citizen
    assert row.description.startswith("โรงงานแถวบ้านปล่อยกลิ่นเหม็น")
    assert 0 < row.nlu_confidence <= 1

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
    summary = "\n".join(texts(first))
    assert "น้ำเสีย" in summary and "ยืนยัน" in summary, summary  # no need to ask for the place
    done = stack.turn(citizen, text_event, "ยืนยัน")
    number = TRACKING.search("\n".join(texts(done)))
    assert number, texts(done)
    row = next(t for t in tickets(stack) if t.tracking_number == number.group(0))
    assert (row.category, row.agency) == ("wastewater", "DIW")


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
