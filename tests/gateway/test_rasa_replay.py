"""A retried event that Rasa already handled is answered from the tracker, not sent twice."""

from __future__ import annotations

from datetime import datetime, timezone

from gateway.rasa_replay import answered_in_tracker

RECEIVED = datetime(2026, 11, 25, 10, 0, 0, tzinfo=timezone.utc)
T = RECEIVED.timestamp()


def user(text: str, at: float) -> dict:
    return {"event": "user", "text": text, "timestamp": at}


def bot(text: str, **data) -> dict:  # type: ignore[no-untyped-def]
    return {"event": "bot", "text": text, "data": data, "timestamp": T + 2}


def test_the_answer_rasa_gave_after_the_event_was_received_is_found():
    events = [
        user("ชลบุรีค่ะ", T - 300),  # the same words earlier in the conversation: not this event
        bot("old answer"),
        user("ชลบุรีค่ะ", T + 1),
        {"event": "slot", "name": "province", "value": "ชลบุรี"},
        bot("ทราบชื่อโรงงานไหมคะ", buttons=[{"title": "ไม่ทราบ", "payload": "/deny"}]),
        {"event": "action", "name": "action_listen"},
    ]
    assert answered_in_tracker(events, text="ชลบุรีค่ะ", received_at=RECEIVED) == [
        {"text": "ทราบชื่อโรงงานไหมคะ", "buttons": [{"title": "ไม่ทราบ", "payload": "/deny"}]}
    ]


def test_not_handled_yet_means_send_it():
    events = [user("ชลบุรีค่ะ", T - 300), bot("old answer")]
    assert answered_in_tracker(events, text="ชลบุรีค่ะ", received_at=RECEIVED) is None
    assert answered_in_tracker([user("อื่น", T + 1)], text="ชลบุรีค่ะ", received_at=RECEIVED) is None


def test_the_answer_stops_at_the_next_user_message_and_keeps_custom_payloads():
    events = [user("/affirm", T + 1), bot("", custom={"idee_private_previous": True}), user("x", T + 5), bot("later")]
    assert answered_in_tracker(events, text="/affirm", received_at=RECEIVED) == [
        {"custom": {"idee_private_previous": True}}
    ]
