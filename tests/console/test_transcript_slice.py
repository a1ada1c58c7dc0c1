"""A ticket's transcript is its own complaint's part of the conversation, never the
citizen's whole history: no other complaint (a corruption report), no phone given there,
button presses as the label the citizen saw, personal data masked for anonymous tickets."""

from __future__ import annotations

from cases.taxonomy import Category
from console.transcript import conversation_slice
from tests.cases.factories import ticket
from tests.console.conftest import CITIZEN, complaint_events
from tests.console.test_pages import page_login

BRIBE = "IDEE-2569-000001"
ODOUR = "IDEE-2569-000002"


def two_complaints() -> list[dict]:
    bribe = complaint_events(BRIBE, "เจ้าหน้าที่เรียกรับสินบนค่ะ", phone="0812345678", before=[{"event": "session_started"}])
    return complaint_events(
        ODOUR,
        "โรงงานส่งกลิ่นเหม็นค่ะ",
        before=[*bribe, {"event": "user", "text": "/my_tickets"}, {"event": "bot", "text": f"เรื่องของคุณ {BRIBE}"}],
    )


def test_the_slice_holds_only_its_own_complaint():
    events = two_complaints()
    odour = conversation_slice(events, ODOUR, anonymous=False)
    text = "\n".join(ln.text for ln in odour)
    assert odour[0].text == "โรงงานส่งกลิ่นเหม็นค่ะ" and ODOUR in odour[-1].text
    assert "สินบน" not in text and BRIBE not in text and "0812345678" not in text
    bribe = "\n".join(ln.text for ln in conversation_slice(events, BRIBE, anonymous=False))
    assert "สินบน" in bribe and "0812345678" in bribe and "กลิ่นเหม็น" not in bribe


def filed_in_its_own_session(number: str, said: str, **kwargs) -> list[dict]:
    """One filed complaint as the submit action leaves it: the ticket mark, then a new
    session that carries the ticket (actions/submit_complaint.py), then Rasa listens."""
    *filed, listen = complaint_events(number, said, **kwargs)
    carried = {"event": "slot", "name": "evidence_ticket", "value": number}
    return [*filed, {"event": "session_started"}, carried, {"event": "slot", "name": "factory_candidates"}, listen]


def test_a_new_session_after_each_filing_keeps_each_slice_to_its_complaint():
    bribe = filed_in_its_own_session(BRIBE, "เจ้าหน้าที่เรียกรับสินบนค่ะ", phone="0812345678")
    events = filed_in_its_own_session(ODOUR, "โรงงานส่งกลิ่นเหม็นค่ะ", before=[*bribe, {"event": "user", "text": "/greet"}])
    odour = conversation_slice(events, ODOUR, anonymous=False)
    assert odour[0].text == "โรงงานส่งกลิ่นเหม็นค่ะ" and ODOUR in odour[-1].text
    assert not any("สินบน" in ln.text or "0812345678" in ln.text for ln in odour)
    report = conversation_slice(events, BRIBE, anonymous=False)
    assert report[0].text == "เจ้าหน้าที่เรียกรับสินบนค่ะ" and BRIBE in report[-1].text
    assert "0812345678" in "\n".join(ln.text for ln in report)
    assert not any("กลิ่นเหม็น" in ln.text for ln in report)


def test_button_presses_read_as_their_labels():
    lines = conversation_slice(two_complaints(), ODOUR, anonymous=False)
    citizen = [ln.text for ln in lines if ln.speaker == "citizen"]
    assert citizen[-1] == "ยืนยัน" and not any(t.startswith("/") for t in citizen)


def test_an_anonymous_ticket_has_its_personal_data_masked():
    lines = conversation_slice(two_complaints(), BRIBE, anonymous=True)
    text = "\n".join(ln.text for ln in lines)
    assert "0812345678" not in text and "[phone]" in text


def test_a_ticket_not_filed_in_this_conversation_has_no_transcript():
    assert conversation_slice(two_complaints(), "IDEE-2569-000003", anonymous=False) == []
    assert conversation_slice([{"event": "user", "text": "สวัสดี"}], ODOUR, anonymous=False) == []


def test_the_odour_officer_sees_neither_the_report_nor_its_phone(console, world):
    body = console.client.get(f"/api/tickets/{world.cbi}", headers=console.login("cbi-officer")).json()
    text = str(body["transcript"])
    assert body["transcript_available"] is True and "โรงงานส่งกลิ่นเหม็นค่ะ" in text
    assert "สินบน" not in text and "081-234-5678" not in text and "IDEE-2569-999998" not in text
    assert "/affirm" not in text and "ยืนยัน" in text
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    assert "โรงงานส่งกลิ่นเหม็นค่ะ" in html and "สินบน" not in html and "081-234-5678" not in html


def test_an_anonymous_ticket_transcript_is_masked_in_the_api(console, trackers):
    from tests.cases.factories import officer

    with console.sessions.begin() as s:
        officer(s, "acoc", "ACOC")
        number = ticket(s, category=Category.CORRUPTION, line_user_id=CITIZEN, anonymous=True).tracking_number
    trackers[CITIZEN] = complaint_events(number, "เจ้าหน้าที่เรียกสินบน โทร 081 234 5678 ค่ะ")
    body = console.client.get(f"/api/tickets/{number}", headers=console.login("acoc")).json()
    text = str(body["transcript"])
    assert "สินบน" in text and "081 234 5678" not in text and "[phone]" in text


def test_a_viewer_who_may_not_see_the_ticket_gets_no_transcript(console, world):
    for who in ("cmi-officer", "admin"):
        r = console.client.get(
            f"/api/tickets/{world.cbi if who == 'cmi-officer' else world.bribe}", headers=console.login(who)
        )
        assert r.status_code == 404 and "transcript" not in r.text


def test_a_button_is_read_even_after_a_later_message_and_from_a_line_card():
    events = complaint_events(ODOUR, "โรงงานส่งกลิ่นเหม็นค่ะ")
    confirm = next(i for i, e in enumerate(events) if e.get("text") == "/affirm")
    # The summary's buttons, then a Flex card (custom payload) with a LINE postback action.
    events[confirm:confirm] = [
        {
            "event": "bot",
            "data": {
                "custom": {
                    "line": {
                        "type": "flex",
                        "contents": {
                            "footer": {
                                "contents": [
                                    {
                                        "type": "button",
                                        "action": {"type": "postback", "label": "แก้ไขเรื่อง", "data": "/edit"},
                                    }
                                ]
                            }
                        },
                    }
                }
            },
        }
    ]
    events.insert(confirm + 1, {"event": "user", "text": "/edit"})
    events.insert(
        confirm + 2,
        {"event": "bot", "text": "แก้ส่วนไหนคะ", "data": {"buttons": [{"title": "ยืนยัน", "payload": "/affirm"}]}},
    )
    events.insert(confirm + 3, {"event": "bot", "text": "(การ์ดสรุป)"})
    citizen = [ln.text for ln in conversation_slice(events, ODOUR, anonymous=False) if ln.speaker == "citizen"]
    assert citizen[-2:] == ["แก้ไขเรื่อง", "ยืนยัน"], citizen
