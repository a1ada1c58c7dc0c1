"""In a LINE group or room the bot never posts a citizen's list of complaints or a case's
status (anyone in the group would read them, a corruption case among them); in a one-to-one
chat both are shown as before. Texts come from the real domain."""

from __future__ import annotations

import re

from linebot.v3.webhooks import Event

from cases.domain_texts import read_responses
from gateway.responses import load_fallback_texts
from gateway.service import LineGateway
from gateway.signing import in_group, new_user_id, postback_event
from gateway.turns import turn_for_event

RESPONSES = read_responses("bot/domain")
TEXTS = load_fallback_texts("bot/domain")


def rendered(name: str, **values: str) -> dict:
    """What Rasa sends for a response: its first variant with the slots filled in."""
    text = RESPONSES[name][0]["text"]
    return {"recipient_id": "u", "text": re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), text)}


MY_TICKETS = [rendered("utter_my_tickets", tickets="• IDEE-2569-000001 เรื่องทุจริต\n  สถานะ: รับเรื่องแล้ว · ศูนย์ต่อต้านการทุจริต")]
STATUS = [
    rendered(
        "utter_ticket_status",
        tracking_number="IDEE-2569-000001",
        state="รับเรื่องแล้ว",
        agency_name="ศูนย์ปฏิบัติการต่อต้านการทุจริต",
    )
]


def said(messages) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(m.text for m in messages)


def answer(group: bool, rasa_messages: list[dict]) -> str:
    event = postback_event(new_user_id(), "/my_tickets")
    turn = turn_for_event(Event.from_dict(in_group(event) if group else event))
    return said(LineGateway(rasa=None, line=None, texts=TEXTS).line_messages(turn, rasa_messages))  # type: ignore[arg-type]


def test_the_domain_gives_the_notice_and_the_private_beginnings():
    assert TEXTS.private_in_group and "แชทกลุ่ม" in TEXTS.private_in_group
    assert len(TEXTS.private_prefixes) >= 2


def test_in_a_group_no_complaint_list_and_no_status():
    for private in (MY_TICKETS, STATUS):
        text = answer(True, [*private, {"text": "มีอะไรให้ช่วยอีกไหมคะ"}])
        assert "IDEE-2569-000001" not in text and "ทุจริต" not in text, text
        assert text == f"{TEXTS.private_in_group}\nมีอะไรให้ช่วยอีกไหมคะ"


def test_in_a_one_to_one_chat_both_are_shown():
    assert "IDEE-2569-000001" in answer(False, MY_TICKETS)
    assert "IDEE-2569-000001" in answer(False, STATUS)


def test_other_answers_in_a_group_are_kept():
    assert answer(True, [{"text": "สวัสดีค่ะ ไอ-ดียินดีให้บริการค่ะ"}]) == "สวัสดีค่ะ ไอ-ดียินดีให้บริการค่ะ"
