"""Very long and empty LINE texts through the real gateway (stub Rasa, fake LINE, the real
domain's texts): the NLU reads a bounded prefix, the citizen is told once, the ticket keeps
the whole text; an empty text never reaches Rasa. Never a 500."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from actions import slots
from actions.case_store import _session_factory
from actions.complaint_intake import ActionStartComplaint
from actions.long_text import FULL_TEXT_METADATA_KEY as ACTIONS_KEY
from actions.submit_complaint import ActionSubmitComplaint
from cases.models import Ticket
from cases.domain_texts import read_responses
from gateway import signing
from gateway.turns import (
    FULL_TEXT_METADATA_KEY,
    MAX_RASA_TEXT_CHARS,
    TurnKind,
    bounded_text,
    turn_for_event,
)
from web.app import create_app
from linebot.v3.webhooks import Event
from tests.support.web import Gateway, gateway_settings, serve, texts_of
from settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "bot" / "domain"
RESPONSES = read_responses(DOMAIN)
NOTICE = RESPONSES["utter_long_message_cut"][0]["text"]
EMPTY = RESPONSES["utter_empty_message"][0]["text"]
BUSY = RESPONSES["utter_system_busy"][0]["text"]
LONG_COMPLAINT = ("โรงงานหลอมโลหะปล่อยน้ำเสียสีดำลงคลองหลังชุมชนทุกคืน ปลาตายเป็นแพ ชาวบ้านคันตามผิวหนัง " * 400)[:20_000]


@pytest.fixture
def gateway(stub_rasa, fake_line_url: str) -> Iterator[Gateway]:
    """The gateway with the project's own domain (so the notice is the real sentence)."""
    stub, rasa_url = stub_rasa
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=rasa_url, DOMAIN_PATH=str(DOMAIN))
    with serve(create_app(settings)) as url:
        yield Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)


def event_turn(text: str):  # type: ignore[no-untyped-def]
    return turn_for_event(Event.from_dict(signing.text_event(signing.new_user_id(), text)))


def test_the_gateway_and_the_actions_use_one_metadata_key():
    assert FULL_TEXT_METADATA_KEY == ACTIONS_KEY


def test_bounded_text_cuts_only_what_is_too_long():
    assert bounded_text("โรงงานส่งกลิ่นเหม็น") == ("โรงงานส่งกลิ่นเหม็น", None)
    exact = "ก" * MAX_RASA_TEXT_CHARS
    assert bounded_text(exact) == (exact, None)
    text, whole = bounded_text(LONG_COMPLAINT)
    assert text == LONG_COMPLAINT.strip()[:MAX_RASA_TEXT_CHARS] and whole == LONG_COMPLAINT.strip()
    # Spaces first, words after: neither empty nor cut away.
    padded = " " * 6000 + "โรงงานส่งกลิ่นเหม็น"
    assert bounded_text(padded) == ("โรงงานส่งกลิ่นเหม็น", None)
    padded_long = "\n" * 6000 + LONG_COMPLAINT
    assert bounded_text(padded_long)[0].startswith("โรงงานหลอมโลหะ")
    assert bounded_text(" " * 9000) == ("", None)


def test_turns_of_long_and_empty_texts():
    long_turn = event_turn(LONG_COMPLAINT)
    assert long_turn.kind is TurnKind.TO_RASA and len(long_turn.text) == MAX_RASA_TEXT_CHARS
    assert long_turn.was_cut and long_turn.full_text == LONG_COMPLAINT.strip()
    short = event_turn("โรงงานส่งกลิ่นเหม็น")
    assert not short.was_cut and short.full_text is None
    for empty in ("", "   ", "\n\t", " " * 20_000):
        assert event_turn(empty).kind is TurnKind.EMPTY


def test_a_long_message_gets_one_notice_and_rasa_reads_a_prefix_with_the_whole_text(gateway: Gateway):
    citizen = signing.new_user_id()
    assert gateway.send_events(signing.text_event(citizen, LONG_COMPLAINT)).status_code == 200
    (delivery,) = gateway.wait_for_deliveries(citizen)
    texts = texts_of(delivery)
    assert texts[0] == NOTICE and texts.count(NOTICE) == 1
    assert texts[1].startswith("echo: โรงงานหลอมโลหะ")
    (received,) = gateway.rasa.received
    assert received["message"] == LONG_COMPLAINT[:MAX_RASA_TEXT_CHARS]
    assert received["metadata"] == {FULL_TEXT_METADATA_KEY: LONG_COMPLAINT.strip()}

    # A message of ordinary length: no notice, no metadata.
    gateway.send_events(signing.text_event(citizen, "ขอบคุณค่ะ"))
    second = gateway.wait_for_deliveries(citizen, 2)[1]
    assert texts_of(second) == ["echo: ขอบคุณค่ะ"]
    assert gateway.rasa.received[-1] == {"sender": citizen, "message": "ขอบคุณค่ะ"}


def test_the_notice_keeps_the_answer_within_five_line_messages(gateway: Gateway):
    citizen = signing.new_user_id()
    gateway.rasa.responder = lambda sender, message: [{"recipient_id": sender, "text": f"ข้อ {i}"} for i in range(5)]
    gateway.send_events(signing.text_event(citizen, LONG_COMPLAINT))
    (delivery,) = gateway.wait_for_deliveries(citizen)
    messages = delivery["payload"]["messages"]
    assert len(messages) == 5
    assert messages[0]["text"] == NOTICE
    assert messages[-1]["text"] == "ข้อ 3\n\nข้อ 4"


def test_empty_texts_get_the_empty_message_text_and_never_reach_rasa(gateway: Gateway):
    for text in ("", "   ", " " * 20_000):
        citizen = signing.new_user_id()
        assert gateway.send_events(signing.text_event(citizen, text)).status_code == 200
        (delivery,) = gateway.wait_for_deliveries(citizen)
        assert texts_of(delivery) == [EMPTY]
    assert gateway.rasa.received == []


def test_rasa_down_then_back_the_long_message_is_answered_once_with_its_notice(gateway: Gateway):
    citizen = signing.new_user_id()
    gateway.rasa.status_code = 503
    gateway.send_events(signing.text_event(citizen, LONG_COMPLAINT))
    (busy,) = gateway.wait_for_deliveries(citizen)
    assert texts_of(busy) == [BUSY]
    gateway.rasa.status_code = 200
    answer = gateway.wait_for_deliveries(citizen, 2, timeout=15)[1]
    assert texts_of(answer)[0] == NOTICE and texts_of(answer)[1].startswith("echo: ")
    time.sleep(0.5)
    assert len(gateway.deliveries(citizen)) == 2
    assert gateway.rasa.received[-1]["metadata"] == {FULL_TEXT_METADATA_KEY: LONG_COMPLAINT.strip()}


class ActionsLikeRasa:
    """Rasa's part for a complaint, with the real actions: keeps each sender's user events
    (metadata included, as Rasa's tracker store does) and runs action_start_complaint."""

    def __init__(self, stub) -> None:  # type: ignore[no-untyped-def]
        self.stub = stub
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.slots: dict[str, dict[str, Any]] = {}

    def __call__(self, sender: str, message: str) -> list[dict[str, Any]]:
        metadata = self.stub.received[-1].get("metadata") or {}
        event = {"event": "user", "text": message, "metadata": metadata, "timestamp": time.time()}
        self.events.setdefault(sender, []).append(event)
        tracker = self.tracker(sender, message, metadata)
        dispatcher = CollectingDispatcher()
        produced = asyncio.run(ActionStartComplaint().run(dispatcher, tracker, {}))
        self.slots[sender] = {e["name"]: e["value"] for e in produced if e["event"] == "slot"}
        return [{"recipient_id": sender, "text": m["response"]} for m in dispatcher.messages]

    def tracker(
        self, sender: str, message: str, metadata: dict[str, Any], values: dict[str, Any] | None = None
    ) -> Tracker:
        return Tracker(
            sender_id=sender,
            slots=values or {},
            latest_message={
                "text": message,
                "intent": {"name": "complaint_wastewater", "confidence": 0.97},
                "entities": [],
                "metadata": metadata,
            },
            events=list(self.events.get(sender, [])),
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name=None,
        )


def test_the_ticket_keeps_the_whole_long_complaint(gateway: Gateway, case_database: str):
    rasa = ActionsLikeRasa(gateway.rasa)
    gateway.rasa.responder = rasa
    citizen = signing.new_user_id()
    gateway.send_events(signing.text_event(citizen, LONG_COMPLAINT))
    (delivery,) = gateway.wait_for_deliveries(citizen, timeout=20)
    assert texts_of(delivery)[:2] == [NOTICE, "utter_category_understood"]
    # The slot holds what the NLU read; the rest of the form is answered, then confirmed.
    values = dict(rasa.slots[citizen])
    assert values[slots.COMPLAINT_TEXT] == LONG_COMPLAINT[:MAX_RASA_TEXT_CHARS]
    values.update(
        {
            slots.PROVINCE: "ชลบุรี",
            slots.SUBJECT_NAME: slots.NOT_GIVEN,
            slots.SUBJECT_TYPE: "factory",
            slots.EVIDENCE: "skip",
            slots.PDPA_CONSENT: False,
            slots.ANONYMOUS: True,
            slots.CONFIRM_COMPLAINT: True,
        }
    )
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed
    try:
        dispatcher = CollectingDispatcher()
        tracker = rasa.tracker(citizen, "/affirm", {}, values)
        asyncio.run(ActionSubmitComplaint().run(dispatcher, tracker, {}))
    finally:
        _session_factory.cache_clear()
        get_settings.cache_clear()  # DATABASE_URL changed
    assert dispatcher.messages[0]["response"] == "utter_ticket_created"
    engine = create_engine(case_database)
    with Session(engine) as session:
        ticket = session.scalar(
            select(Ticket).where(Ticket.tracking_number == dispatcher.messages[0]["tracking_number"])
        )
        assert ticket.description == LONG_COMPLAINT.strip()
        assert len(ticket.description) > MAX_RASA_TEXT_CHARS
    engine.dispose()
