"""A 20,000-character message: acknowledged, stored whole, answered (Rasa gets the first
5,000 characters, turns.MAX_RASA_TEXT_CHARS), nothing lost from the stored event."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from cases.inbound import InboundEvent
from gateway import signing
from gateway.turns import MAX_RASA_TEXT_CHARS
from tests.support.web import Gateway, texts_of


def test_a_20000_character_message_is_answered_and_kept_whole(gateway: Gateway, case_database):
    user = signing.new_user_id()
    text = ("โรงงานปล่อยน้ำเสียลงคลองทุกคืน " * 700)[:20_000]
    event = signing.text_event(user, text)
    response = gateway.send_events(event)
    assert response.status_code == 200
    (delivery,) = gateway.wait_for_deliveries(user, timeout=20)
    assert texts_of(delivery)[0].startswith("echo: โรงงาน")
    assert len(gateway.rasa.received[-1]["message"]) == MAX_RASA_TEXT_CHARS
    engine = create_engine(case_database)
    with Session(engine) as s:
        row = s.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"]))
    engine.dispose()
    assert json.loads(row.body)["message"]["text"] == text
