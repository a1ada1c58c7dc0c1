"""One LINE user files a corruption report (anonymous, a phone in its text), then an odour
complaint: through every real process, the odour ticket's officer reads only the odour
conversation (neither the report nor the phone), and ACOC reads the report masked."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from cases.accounts import create_officer
from gateway.signing import new_user_id, text_event
from tests.e2e.test_line_conversation import TRACKING, press, said, tickets

PASSWORD = "e2e officer password"
BRIBE = "เจ้าหน้าที่เรียกรับเงินสินบนห้าพันบาท ถ้าอยากให้ใบอนุญาตออกเร็ว โทรหาฉันได้ที่ 081-234-5678 ค่ะ"
PHONE_PARTS = ("081-234-5678", "0812345678", "081 234 5678", "+66812345678")


def officer_token(stack, username: str, agency: str) -> dict[str, str]:
    engine = create_engine(stack.database_url)
    with Session(engine) as session, session.begin():
        create_officer(session, username=username, password=PASSWORD, agency=agency, role="officer")
    engine.dispose()
    response = stack.http.post(f"{stack.gateway_url}/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def transcript(stack, number: str, headers: dict[str, str]) -> str:
    response = stack.http.get(f"{stack.gateway_url}/api/tickets/{number}", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["transcript_available"] is True, body
    return "\n".join(f"{line['speaker']}: {line['text']}" for line in body["transcript"])


def test_the_odour_officer_sees_neither_the_corruption_report_nor_the_phone(stack):
    citizen = new_user_id()

    first = stack.turn(citizen, text_event, BRIBE)
    assert "ไม่ประสงค์ออกนาม" in said(first), said(first)
    step = press(stack, citizen, first, "ไม่ประสงค์ออกนาม")
    for _ in range(6):  # answer "don't know" / "skip" until the summary asks to confirm
        labels = [
            b["action"]["label"]
            for d in step
            for m in d["payload"]["messages"]
            for b in (m.get("quickReply") or {}).get("items", [])
        ]
        if "ยืนยัน" in labels:
            break
        step = press(stack, citizen, step, next(label for label in ("ไม่ทราบ", "ข้าม") if label in labels))
    done = press(stack, citizen, step, "ยืนยัน")
    bribe_number = TRACKING.search(said(done)).group(0)

    opened = stack.turn(citizen, text_event, "โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก")
    assert "จังหวัดอะไร" in said(opened), said(opened)
    named = stack.turn(citizen, text_event, "ชลบุรีค่ะ")
    photos = press(stack, citizen, named, "ไม่ทราบ")
    consent = press(stack, citizen, photos, "ข้าม")
    summary = press(stack, citizen, consent, "ไม่ประสงค์ออกนาม")
    created = press(stack, citizen, summary, "ยืนยัน")
    odour_number = TRACKING.search(said(created)).group(0)

    rows = {t.tracking_number: t for t in tickets(stack)}
    assert (rows[bribe_number].agency, rows[odour_number].agency) == ("ACOC", "PIO-CBI")

    odour = transcript(stack, odour_number, officer_token(stack, "cbi-e2e", "PIO-CBI"))
    assert "กลิ่นเหม็น" in odour and odour_number in odour, odour
    assert "สินบน" not in odour and bribe_number not in odour, odour
    assert not any(p in odour for p in PHONE_PARTS), odour
    assert "/affirm" not in odour and "citizen: ยืนยัน" in odour, odour  # the label, not the payload

    report = transcript(stack, bribe_number, officer_token(stack, "acoc-e2e", "ACOC"))
    assert "สินบน" in report and "กลิ่นเหม็น" not in report, report
    assert not any(p in report for p in PHONE_PARTS), report  # anonymous: masked for ACOC too
