"""Durable intake through the real gateway: stored before the 200, answered once, in order,
and kept while Rasa is down."""

from __future__ import annotations

import time

from sqlalchemy import create_engine, select

from cases.inbound import InboundEvent
from gateway import signing
from tests.support.web import BUSY_TEXT, Gateway, texts_of


def statuses(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = [r.status for r in conn.execute(select(InboundEvent).order_by(InboundEvent.id))]
    engine.dispose()
    return rows


def settled_statuses(database_url: str, timeout: float = 10) -> list[str]:
    """The statuses once no event is being processed: the worker marks an event done just
    after LINE received its answer, so a test that saw the answer waits for that write."""
    deadline = time.monotonic() + timeout
    while "processing" in (found := statuses(database_url)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_a_redelivered_event_is_answered_once(gateway: Gateway, case_database):
    user_id = signing.new_user_id()
    event = signing.text_event(user_id, "โรงงานส่งกลิ่นเหม็น")
    assert gateway.send_events(event).status_code == 200
    gateway.wait_for_deliveries(user_id)
    redelivery = {**event, "deliveryContext": {"isRedelivery": True}, "replyToken": signing.new_reply_token()}
    assert gateway.send_events(redelivery).status_code == 200
    time.sleep(1.5)
    assert len(gateway.deliveries(user_id)) == 1
    assert [r["message"] for r in gateway.rasa.received] == ["โรงงานส่งกลิ่นเหม็น"]
    assert settled_statuses(case_database) == ["done"]


def test_a_users_messages_reach_rasa_in_the_order_sent(gateway: Gateway):
    user_id = signing.new_user_id()
    gateway.rasa.responder = lambda sender, message: (
        time.sleep(0.3 if message == "หนึ่ง" else 0) or [{"recipient_id": sender, "text": message}]
    )
    events = [signing.text_event(user_id, word) for word in ("หนึ่ง", "สอง", "สาม")]
    assert gateway.send_events(*events).status_code == 200
    deliveries = gateway.wait_for_deliveries(user_id, count=3)
    assert [texts_of(d)[0] for d in deliveries] == ["หนึ่ง", "สอง", "สาม"]


def test_while_rasa_is_down_the_event_waits_and_the_citizen_hears_once(gateway: Gateway, case_database):
    gateway.rasa.status_code = 503
    user_id = signing.new_user_id()
    assert gateway.send_events(signing.text_event(user_id, "เหมืองระเบิดหินทั้งคืน")).status_code == 200
    (busy,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(busy) == [BUSY_TEXT]
    time.sleep(2.0)  # retries happen, the citizen is not told again
    assert len(gateway.deliveries(user_id)) == 1
    assert statuses(case_database)[0] in ("pending", "processing")  # queued, being retried

    gateway.rasa.status_code = 200
    answered = gateway.wait_for_deliveries(user_id, count=2, timeout=20)
    assert texts_of(answered[1]) == ["echo: เหมืองระเบิดหินทั้งคืน"]
    assert answered[1]["kind"] == "push"  # the reply token was spent on the busy message
    assert settled_statuses(case_database) == ["done"]


def test_events_are_stored_before_the_webhook_answers(gateway: Gateway, case_database):
    gateway.rasa.status_code = 503
    user_id = signing.new_user_id()
    assert gateway.send_events(signing.text_event(user_id, "ทดสอบ")).status_code == 200
    assert len(statuses(case_database)) == 1


def test_a_webhook_that_cannot_be_stored_is_not_acknowledged(fake_line_url, domain_file, stub_rasa, monkeypatch):
    from web.app import create_app
    from tests.support.web import gateway_settings, serve

    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=stub_rasa[1], DOMAIN_PATH=str(domain_file))
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub_rasa[0])
        response = gateway.send_events(signing.text_event(signing.new_user_id(), "สวัสดี"))
    assert response.status_code == 503  # LINE delivers it again later: nothing is lost
    assert "Traceback" not in response.text
    assert stub_rasa[0].received == []
