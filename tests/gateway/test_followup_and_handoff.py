"""Through the real gateway, fake LINE and console API (Rasa stubbed, actions real):
the resolved push's quick reply comes back as a postback and reopens the ticket; while a
handoff is open the citizen's messages go to the officer, not Rasa; officers' replies
are pushed; handing back and the timeout return the citizen to the bot."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.feedback import ActionRateTicket, ActionTicketFeedback
from actions.handoff import ActionRequestHandoff
from cases.db import make_engine
from cases.feedback import feedback_for_ticket
from cases.handoff import open_handoff_for
from cases.models import Handoff, Ticket
from console.tokens import COOKIE_NAME
from gateway import signing
from web.app import create_app
from tests.actions.conftest import make_tracker
from tests.cases.factories import PASSWORD, officer, ticket
from tests.support.web import DOMAIN_YAML, Gateway, gateway_settings, serve, texts_of

ROOT = Path(__file__).resolve().parents[2]
RASA_INTENT = re.compile(r"^/(\w+)(\{.*\})?$", re.S)
ACTIONS = {
    "ticket_feedback": ActionTicketFeedback(),
    "rate_ticket": ActionRateTicket(),
    "ask_human": ActionRequestHandoff(),
}


def run_like_rasa(sender: str, message: str) -> list[dict[str, Any]]:
    """Parse "/intent{entities}" as Rasa does and run the real action for it."""
    match = RASA_INTENT.match(message)
    intent, raw = (match.group(1), match.group(2)) if match else ("text", None)
    entities = [{"entity": k, "value": v} for k, v in json.loads(raw or "{}").items()]
    action = ACTIONS.get(intent)
    if action is None:
        return [{"recipient_id": sender, "text": f"rasa: {message[:40]}"}]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender_id=sender, intent=intent, entities=entities)
    asyncio.run(action.run(dispatcher, tracker, {}))
    return [{"recipient_id": sender, "text": m["response"]} for m in dispatcher.messages]


@dataclass
class Stack:
    gateway: Gateway
    url: str
    database_url: str

    def session(self) -> Session:
        return Session(make_engine(self.database_url), expire_on_commit=False)

    def login(self, username: str) -> dict[str, str]:
        r = httpx.post(f"{self.url}/api/auth/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def api(self, method: str, path: str, who: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.url}/api{path}", headers=self.login(who), timeout=15, **kw)

    def wait(self, predicate, timeout: float = 10):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := predicate():
                return value
            time.sleep(0.05)
        raise AssertionError("condition not met in time")


def stack_for(tmp_path: Path, stub_rasa, fake_line_url: str, case_database: str) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    stub, rasa_url = stub_rasa
    stub.responder = run_like_rasa
    domain = tmp_path / "domain"
    domain.mkdir()
    (domain / "gateway.yml").write_text(DOMAIN_YAML, encoding="utf-8")
    shutil.copy(ROOT / "bot" / "domain" / "followup.yml", domain / "followup.yml")
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url,
        RASA_URL=rasa_url,
        DOMAIN_PATH=str(domain),
        DATABASE_URL=case_database,
        CONSOLE_SECRET_KEY="test-secret",
    )
    with serve(create_app(settings)) as url:
        yield Stack(Gateway(url=url, fake_line_url=fake_line_url, rasa=stub), url, case_database)


@pytest.fixture
def stack(tmp_path, stub_rasa, fake_line_url, case_database) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    yield from stack_for(tmp_path, stub_rasa, fake_line_url, case_database)


def quick_replies(delivery: dict[str, Any]) -> dict[str, str]:
    """label -> postback data of the quick replies in a LINE push or reply."""
    items = {}
    for message in delivery["payload"]["messages"]:
        for item in (message.get("quickReply") or {}).get("items", []):
            items[item["action"]["label"]] = item["action"].get("data")
    return items


def test_resolved_push_asks_and_not_solved_reopens_the_ticket(stack: Stack):
    citizen = signing.new_user_id()
    with stack.session() as s:
        officer(s, "cbi", "PIO-CBI")
        number = ticket(s, line_user_id=citizen).tracking_number
        s.commit()
    r = stack.api(
        "POST", f"/tickets/{number}/state", "cbi", json={"state": "resolved", "note": "สั่งปรับปรุงแล้ว", "notify": True}
    )
    assert r.status_code == 200 and r.json()["notified"] is True

    [push] = stack.gateway.wait_for_deliveries(citizen)
    assert push["kind"] == "push"
    texts = texts_of(push)
    assert "สั่งปรับปรุงแล้ว" in texts[0] and "ได้รับการแก้ไขแล้วหรือไม่" in texts[1] and number in texts[1]
    buttons = quick_replies(push)
    assert set(buttons) == {"แก้ไขแล้ว", "ยังไม่ได้แก้ไข"}
    intent, payload = buttons["ยังไม่ได้แก้ไข"].split("{", 1)
    assert (intent, json.loads("{" + payload)) == ("/ticket_feedback", {"tracking_number": number, "solved": "no"})

    # Someone else pressing the same data (forwarded, guessed) changes nothing.
    stranger = signing.new_user_id()
    stack.gateway.send_events(signing.postback_event(stranger, buttons["ยังไม่ได้แก้ไข"]))
    assert texts_of(stack.gateway.wait_for_deliveries(stranger)[0]) == ["utter_feedback_not_asked"]

    # The citizen presses "not solved": the postback data reaches Rasa as sent, the ticket reopens.
    stack.gateway.send_events(signing.postback_event(citizen, buttons["ยังไม่ได้แก้ไข"]))
    deliveries = stack.gateway.wait_for_deliveries(citizen, 2)
    assert texts_of(deliveries[1]) == ["utter_feedback_reopened", "utter_feedback_ask_rating"]
    assert stack.gateway.rasa.received[-1]["message"] == buttons["ยังไม่ได้แก้ไข"]
    with stack.session() as s:
        t = s.query(Ticket).filter_by(tracking_number=number).one()
        assert t.state == "reopened"
        assert (t.events[-1].actor, t.events[-1].to_state) == ("citizen", "reopened")
        assert [(f.solved, f.rating) for f in feedback_for_ticket(s, ticket_id=t.id)] == [(False, None)]

    # The ticket page shows the answer to the officer.
    page = httpx.get(
        f"{stack.url}/console/tickets/{number}", cookies={COOKIE_NAME: stack.login("cbi")["Authorization"][7:]}
    )
    assert page.status_code == 200
    assert "ปัญหายังไม่ได้รับการแก้ไข" in page.text and "ยังไม่ให้คะแนน" in page.text


def test_other_states_push_no_question_and_notify_false_pushes_nothing(stack: Stack):
    citizen = signing.new_user_id()
    with stack.session() as s:
        officer(s, "cbi", "PIO-CBI")
        number = ticket(s, line_user_id=citizen).tracking_number
        s.commit()
    stack.api("POST", f"/tickets/{number}/state", "cbi", json={"state": "in_progress", "notify": True})
    [push] = stack.gateway.wait_for_deliveries(citizen)
    assert len(texts_of(push)) == 1 and quick_replies(push) == {}
    stack.api("POST", f"/tickets/{number}/state", "cbi", json={"state": "resolved", "notify": False})
    time.sleep(0.5)
    assert len(stack.gateway.deliveries(citizen)) == 1


def test_handoff_quiet_officer_reply_and_hand_back(stack: Stack):
    citizen = signing.new_user_id()
    with stack.session() as s:
        officer(s, "cbi", "PIO-CBI")
        officer(s, "cmi", "PIO-CMI")
        number = ticket(s, line_user_id=citizen).tracking_number
        s.commit()
    stack.gateway.send_events(signing.text_event(citizen, "/ask_human"))
    assert texts_of(stack.gateway.wait_for_deliveries(citizen)[0]) == ["utter_handoff_started"]
    received = len(stack.gateway.rasa.received)

    # While open, the citizen's messages are kept for the officer and Rasa hears nothing.
    stack.gateway.send_events(signing.text_event(citizen, "โทร 081-234-5678 ได้เลยค่ะ"))
    ack = stack.gateway.wait_for_deliveries(citizen, 2)[1]
    assert "ได้รับข้อความแล้ว" in texts_of(ack)[0] and "กลับไปคุยกับไอ-ดี" in quick_replies(ack)
    stack.gateway.send_events(signing.text_event(citizen, "ยังรออยู่นะคะ"))
    with stack.session() as s:
        stack.wait(lambda: len(open_handoff_for(s, line_user_id=citizen).messages) == 2 or s.expire_all())
    time.sleep(0.3)
    assert len(stack.gateway.deliveries(citizen)) == 2  # one acknowledgement only
    assert len(stack.gateway.rasa.received) == received

    # The ticket's agency sees it; another agency does not.
    listing = stack.api("GET", "/handoffs", "cbi").json()["items"]
    assert [(h["tracking_number"], h["message_count"]) for h in listing] == [(number, 2)]
    handoff_id = listing[0]["id"]
    assert stack.api("GET", "/handoffs", "cmi").json()["items"] == []
    assert stack.api("GET", f"/handoffs/{handoff_id}", "cmi").status_code == 404
    assert stack.api("POST", f"/handoffs/{handoff_id}/reply", "cmi", json={"text": "x"}).status_code == 404
    detail = stack.api("GET", f"/handoffs/{handoff_id}", "cbi").json()
    assert [m["text"] for m in detail["messages"]] == ["โทร 081-234-5678 ได้เลยค่ะ", "ยังรออยู่นะคะ"]
    assert citizen not in json.dumps(detail)

    # The officer's reply is pushed to the citizen.
    r = stack.api("POST", f"/handoffs/{handoff_id}/reply", "cbi", json={"text": "สวัสดีค่ะ เจ้าหน้าที่รับเรื่องแล้ว"})
    assert r.status_code == 200 and r.json()["notified"] is True
    push = stack.gateway.wait_for_deliveries(citizen, 3)[2]
    assert push["kind"] == "push" and "สวัสดีค่ะ เจ้าหน้าที่รับเรื่องแล้ว" in texts_of(push)[0]
    assert stack.api("POST", f"/handoffs/{handoff_id}/reply", "cbi", json={"text": ""}).status_code == 422

    # Hand back: the citizen is told, and the next message goes to Rasa again.
    assert stack.api("POST", f"/handoffs/{handoff_id}/close", "cbi").status_code == 200
    assert "กลับมาดูแล" in texts_of(stack.gateway.wait_for_deliveries(citizen, 4)[3])[0]
    assert stack.api("POST", f"/handoffs/{handoff_id}/close", "cbi").status_code == 409
    assert stack.api("POST", f"/handoffs/{handoff_id}/reply", "cbi", json={"text": "ยังอยู่ไหม"}).status_code == 409
    stack.gateway.send_events(signing.text_event(citizen, "สวัสดี"))
    assert texts_of(stack.gateway.wait_for_deliveries(citizen, 5)[4]) == ["rasa: สวัสดี"]


def test_the_citizen_can_ask_for_the_bot_back(stack: Stack):
    citizen = signing.new_user_id()
    stack.gateway.send_events(signing.text_event(citizen, "/ask_human"))
    stack.gateway.wait_for_deliveries(citizen)
    stack.gateway.send_events(signing.postback_event(citizen, "/end_handoff"))
    assert "กลับมาดูแล" in texts_of(stack.gateway.wait_for_deliveries(citizen, 2)[1])[0]
    with stack.session() as s:
        [h] = s.query(Handoff).all()
        assert (h.status, h.closed_reason) == ("closed", "citizen")


@pytest.fixture
def quick_timeout(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HANDOFF_TIMEOUT_MINUTES", str(1.0 / 60))  # one second
    monkeypatch.setenv("HANDOFF_SWEEP_SECONDS", "0.2")


def test_without_officer_activity_the_handoff_times_out(
    quick_timeout, tmp_path, stub_rasa, fake_line_url, case_database
):
    for stack in stack_for(tmp_path, stub_rasa, fake_line_url, case_database):
        citizen = signing.new_user_id()
        stack.gateway.send_events(signing.text_event(citizen, "/ask_human"))
        stack.gateway.wait_for_deliveries(citizen)
        back = stack.gateway.wait_for_deliveries(citizen, 2, timeout=10)[1]
        assert back["kind"] == "push" and "กลับมาดูแล" in texts_of(back)[0]
        with stack.session() as s:
            [h] = s.query(Handoff).all()
            assert (h.status, h.closed_reason) == ("closed", "timeout")
        stack.gateway.send_events(signing.text_event(citizen, "สวัสดี"))
        assert texts_of(stack.gateway.wait_for_deliveries(citizen, 3)[2]) == ["rasa: สวัสดี"]


def test_officers_read_labels_for_photos_and_locations():
    from gateway.handoff_gate import LOCATION_LABEL, PHOTO_LABEL, officer_view
    from gateway.turns import Turn, TurnKind, location_text

    def turn(text: str, **kw: Any) -> Turn:
        return Turn("U1", None, TurnKind.TO_RASA, text, **kw)

    assert officer_view(turn("สวัสดีค่ะ")) == "สวัสดีค่ะ"
    assert officer_view(turn("/share_photo", image_message_id="123")) == PHOTO_LABEL
    place = officer_view(turn(location_text(13.1, 100.9, "ถนนสุขุมวิท ชลบุรี")))
    assert place == f"{LOCATION_LABEL} 13.1, 100.9 ถนนสุขุมวิท ชลบุรี"
