"""Follow-up and handoff over every real process: an officer resolves, the push asks the
citizen, "not solved" reopens the ticket; a citizen asks for a person, the bot goes quiet,
the officer answers on LINE and hands back."""

from __future__ import annotations

import time

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from cases.accounts import Role, create_officer
from cases.feedback import feedback_for_ticket
from cases.models import Handoff, Ticket
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import Category
from gateway.signing import new_user_id, text_event
from tests.e2e.test_line_conversation import press, quick_replies, said

PASSWORD = "e2e follow-up password"


def in_db(stack, work):  # type: ignore[no-untyped-def]
    engine = create_engine(stack.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()


def officer_headers(stack, username: str, agency: str, role: Role = Role.OFFICER) -> dict[str, str]:
    in_db(stack, lambda s: create_officer(s, username=username, password=PASSWORD, agency=agency, role=role))
    r = stack.http.post(f"{stack.gateway_url}/api/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def wait_for_push(stack, citizen: str, after: int, timeout: float = 20) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [d for d in stack.deliveries(citizen) if d["seq"] > after and d["kind"] == "push"]
        if new:
            return new
        time.sleep(0.2)
    raise AssertionError("no push arrived")


def last_seq(stack, citizen: str) -> int:
    return max((d["seq"] for d in stack.deliveries(citizen)), default=0)


def test_resolved_push_then_not_solved_reopens_and_a_rating_is_kept(stack):
    citizen = new_user_id()
    number = in_db(
        stack,
        lambda s: (
            create_ticket(
                s,
                draft=TicketDraft(
                    category=Category.ODOR,
                    province="ชลบุรี",
                    description="โรงงานส่งกลิ่นเหม็นทุกคืน",
                    line_user_id=citizen,
                ),
            ).tracking_number
        ),
    )
    headers = officer_headers(stack, "e2e-cbi", "PIO-CBI")

    r = stack.http.post(
        f"{stack.gateway_url}/api/tickets/{number}/state",
        headers=headers,
        json={"state": "resolved", "note": "สั่งให้ปรับปรุงระบบบำบัดกลิ่นแล้ว", "notify": True},
    )
    assert r.status_code == 200 and r.json()["notified"] is True, r.text
    push = wait_for_push(stack, citizen, 0)
    text = said(push)
    assert "ระบบบำบัดกลิ่น" in text and "ปัญหาได้รับการแก้ไขแล้วหรือไม่" in text, text
    assert [b["action"]["label"] for b in quick_replies(push)] == ["แก้ไขแล้ว", "ยังไม่ได้แก้ไข"]

    answer = press(stack, citizen, push, "ยังไม่ได้แก้ไข")
    assert "เปิดเรื่องเลขที่" in said(answer) and number in said(answer), said(answer)
    rated = press(stack, citizen, answer, "4 พอใจ")
    assert "ขอบคุณสำหรับคะแนน" in said(rated), said(rated)

    def check(session):  # type: ignore[no-untyped-def]
        ticket = session.query(Ticket).filter_by(tracking_number=number).one()
        return (
            ticket.state,
            ticket.events[-1].actor,
            [(f.solved, f.rating) for f in feedback_for_ticket(session, ticket_id=ticket.id)],
        )

    assert in_db(stack, check) == ("reopened", "citizen", [(False, 4)])

    # The officer sees it: the ticket is open again and the answer is on its page.
    detail = stack.http.get(f"{stack.gateway_url}/api/tickets/{number}", headers=headers, params={"transcript": False})
    assert detail.json()["state"] == "reopened"


def test_handoff_round_trip(stack):
    citizen = new_user_id()
    started = stack.turn(citizen, text_event, "ขอคุยกับเจ้าหน้าที่ค่ะ")
    assert "ส่งต่อการสนทนาให้เจ้าหน้าที่แล้ว" in said(started), said(started)

    # The bot is quiet: the message is kept for the officer, with one acknowledgement.
    kept = stack.turn(citizen, text_event, "โรงงานยังปล่อยกลิ่นเหม็นอยู่เลยค่ะ")
    assert "ได้รับข้อความแล้ว" in said(kept) and "จังหวัด" not in said(kept), said(kept)
    before = last_seq(stack, citizen)
    body_event = text_event(citizen, "อยู่ไหมคะ")
    stack.post_webhook(body_event)
    time.sleep(3)
    assert last_seq(stack, citizen) == before, "no second acknowledgement, no bot answer"

    # An untied handoff is at the central desk (OPS).
    headers = officer_headers(stack, "e2e-ops", "OPS")
    items = stack.http.get(f"{stack.gateway_url}/api/handoffs", headers=headers).json()["items"]
    mine = [h for h in items if h["last_citizen_message"] == "อยู่ไหมคะ"]
    assert len(mine) == 1 and mine[0]["message_count"] == 2 and mine[0]["tracking_number"] is None
    handoff_id = mine[0]["id"]
    other = officer_headers(stack, "e2e-cmi", "PIO-CMI")
    assert stack.http.get(f"{stack.gateway_url}/api/handoffs/{handoff_id}", headers=other).status_code == 404

    r = stack.http.post(
        f"{stack.gateway_url}/api/handoffs/{handoff_id}/reply",
        headers=headers,
        json={"text": "สวัสดีค่ะ ขอทราบจังหวัดที่เกิดเหตุด้วยนะคะ"},
    )
    assert r.status_code == 200 and r.json()["notified"] is True
    assert "ขอทราบจังหวัดที่เกิดเหตุ" in said(wait_for_push(stack, citizen, before))

    before = last_seq(stack, citizen)
    assert stack.http.post(f"{stack.gateway_url}/api/handoffs/{handoff_id}/close", headers=headers).status_code == 200
    assert "กลับมาดูแล" in said(wait_for_push(stack, citizen, before))
    assert in_db(stack, lambda s: s.get(Handoff, handoff_id).closed_reason) == "officer"

    # The bot answers again.
    back = stack.turn(citizen, text_event, "สวัสดีค่ะ")
    assert "ไอ-ดี" in said(back) and "ได้รับข้อความแล้ว" not in said(back), said(back)
