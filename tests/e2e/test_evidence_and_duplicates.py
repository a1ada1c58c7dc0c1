"""Evidence photos and duplicates over every real process: a citizen files a complaint with
a LINE location and a photo (downloaded from the fake LINE's content endpoint); a second
citizen's matching complaint nearby is joined to that open case, and their later photo is
added as evidence."""

from __future__ import annotations

import time

from sqlalchemy import create_engine, select

from cases.models import Attachment, Ticket
from gateway.signing import image_event, location_event, new_user_id, text_event
from tests.e2e.test_line_conversation import TRACKING, press, said

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 40
LAT, LON = 12.6900, 101.2800  # Rayong town
ADDRESS = "ตำบลเนินพระ อำเภอเมืองระยอง ระยอง 21000 ประเทศไทย"


def photo(stack, message_id: str) -> str:
    """Give the fake LINE the bytes of an image message; LINE's content endpoint serves them."""
    response = stack.http.put(
        f"{stack.fake_line_url}/_fake/content/{message_id}", content=JPEG, headers={"Content-Type": "image/jpeg"}
    )
    response.raise_for_status()
    return message_id


def rows(stack, model):  # type: ignore[no-untyped-def]
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        found = conn.execute(select(model)).all()
    engine.dispose()
    return found


def test_a_complaint_with_a_photo_and_a_location_then_a_second_citizen_joins_it(stack, capsys):
    first_citizen, second_citizen = new_user_id(), new_user_id()
    started = time.monotonic()

    # The first citizen: complaint, LINE location, a photo in the middle of the form.
    opened = stack.turn(first_citizen, text_event, "โรงงานปล่อยน้ำเสียสีดำลงคลองหลังบ้านทุกคืน ปลาตายเต็มคลองเลยค่ะ")
    assert "จังหวัดอะไร" in said(opened), said(opened)
    located = stack.turn(first_citizen, location_event, LAT, LON, ADDRESS)
    assert "ทราบชื่อโรงงาน" in said(located), said(located)
    pictured = stack.turn(first_citizen, image_event, photo(stack, "e2e-photo-1"))
    text = said(pictured)
    assert "ได้รับรูปแล้ว" in text and "ทราบชื่อโรงงาน" in text, text  # acknowledged, question asked again
    consent = press(stack, first_citizen, pictured, "ไม่ทราบ")
    assert "คุ้มครองข้อมูลส่วนบุคคล" in said(consent), said(consent)  # no photo question: one came
    summary = press(stack, first_citizen, consent, "ไม่ประสงค์ออกนาม")
    done = press(stack, first_citizen, summary, "ยืนยัน")
    created = said(done)
    case_number = TRACKING.search(created).group(0)
    assert "แนบรูปถ่ายหลักฐาน 1 รูป" in created, created
    with capsys.disabled():
        print(f"\ncomplaint with a location and a photo: 6 citizen turns in {time.monotonic() - started:.1f}s")

    case = next(t for t in rows(stack, Ticket) if t.tracking_number == case_number)
    assert (case.latitude, case.longitude, case.province) == (LAT, LON, "ระยอง")
    assert case.duplicate_of_id is None
    (stored,) = [a for a in rows(stack, Attachment) if a.ticket_id == case.id]
    assert (stored.content_type, stored.size_bytes, stored.line_message_id) == ("image/jpeg", len(JPEG), "e2e-photo-1")

    # The second citizen: the same problem a few hundred metres away, no photo at first.
    opened = stack.turn(second_citizen, text_event, "โรงงานแถวนี้ปล่อยน้ำเสียสีดำลงคลองทุกคืน ปลาตายหมดเลยค่ะ")
    assert "จังหวัดอะไร" in said(opened), said(opened)
    located = stack.turn(second_citizen, location_event, LAT + 0.003, LON, ADDRESS)
    asked = press(stack, second_citizen, located, "ไม่ทราบ")
    assert "รูปถ่าย" in said(asked), said(asked)  # the photo question, asked once
    consent = press(stack, second_citizen, asked, "ข้าม")
    summary = press(stack, second_citizen, consent, "ไม่ประสงค์ออกนาม")
    joined = press(stack, second_citizen, summary, "ยืนยัน")
    text = said(joined)
    assert "มีผู้แจ้งไว้แล้ว" in text and case_number in text, text
    assert "สำนักงานอุตสาหกรรมจังหวัดระยอง" in text, text
    own_number = next(n for n in TRACKING.findall(text) if n != case_number)
    assert first_citizen not in text

    # Their evidence after filing goes to their complaint, which the officer sees in the case.
    later = stack.turn(second_citizen, image_event, photo(stack, "e2e-photo-2"))
    assert f"เลขที่ {own_number}" in said(later), said(later)
    mine = next(t for t in rows(stack, Ticket) if t.tracking_number == own_number)
    assert mine.duplicate_of_id == case.id and mine.line_user_id == second_citizen
    assert [a.line_message_id for a in rows(stack, Attachment) if a.ticket_id == mine.id] == ["e2e-photo-2"]

    # The second citizen follows the case through their own number, never the first citizen's.
    status = said(stack.turn(second_citizen, text_event, f"ขอติดตามเรื่อง {own_number} ค่ะ"))
    assert own_number in status and "รับเรื่องแล้ว" in status, status
    other = said(stack.turn(second_citizen, text_event, f"ขอติดตามเรื่อง {case_number} ค่ะ"))
    assert "ไม่พบเรื่อง" in other, other
