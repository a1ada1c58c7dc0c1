"""A message cut for the NLU (the gateway sends the whole text as metadata) is filed whole."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.complaint_intake import ValidateComplaintForm
from actions.case_store import session_factory
from actions.long_text import FULL_TEXT_METADATA_KEY, cut_messages, with_whole_texts
from actions.submit_complaint import ActionSubmitComplaint, draft_from_tracker
from cases.models import Ticket
from tests.actions.conftest import make_tracker

PREFIX_CHARS = 5000
WHOLE = ("รถบรรทุกของโรงงานขนกากสารเคมีมาทิ้งที่บ่อดินร้างตอนตีสอง กลิ่นฉุนมาก " * 300)[:15_000].strip()
PREFIX = WHOLE[:PREFIX_CHARS]


def user(text: str, whole: str | None = None) -> dict:
    metadata = {"model_id": "abc"}
    if whole is not None:
        metadata[FULL_TEXT_METADATA_KEY] = whole
    return {"event": "user", "text": text, "metadata": metadata}


def test_only_metadata_that_extends_the_text_counts():
    events = [
        user("สวัสดีค่ะ"),
        user(PREFIX, WHOLE),
        user("อื่น", "ไม่ใช่ข้อความนี้"),  # does not start with the text Rasa read
        user("สั้น", "สั้น"),  # nothing was cut
        {"event": "bot", "text": PREFIX, "metadata": {FULL_TEXT_METADATA_KEY: WHOLE}},
    ]
    assert cut_messages(events) == {PREFIX: WHOLE}


def test_the_description_gets_each_cut_message_back_whole():
    events = [user(PREFIX, WHOLE)]
    assert with_whole_texts(PREFIX, events) == WHOLE
    # The first message was short; the detail asked for was the long one.
    assert with_whole_texts(f"กลิ่นเหม็น {PREFIX}", events) == f"กลิ่นเหม็น {WHOLE}"
    # Rewritten after "edit": the long message is no longer part of it.
    assert with_whole_texts("โรงงานทิ้งกากค่ะ", events) == "โรงงานทิ้งกากค่ะ"
    assert with_whole_texts("โรงงานทิ้งกากค่ะ", []) == "โรงงานทิ้งกากค่ะ"


async def test_the_detail_answer_is_filed_whole(case_database):
    """A short first message, then the long detail: the ticket has both, the detail whole."""
    first = "มีคนทิ้งกากค่ะ"
    tracker = make_tracker(slots={slots.COMPLAINT_TEXT: first}, text=PREFIX)
    validated = ValidateComplaintForm().validate_description_detail(PREFIX, CollectingDispatcher(), tracker, {})
    values = {
        slots.COMPLAINT_ID: "0c7d6d1b9a8e4f1b8f2a3c4d5e6f7a8b",
        slots.COMPLAINT_CATEGORY: "industrial_waste",
        slots.COMPLAINT_TEXT: validated[slots.COMPLAINT_TEXT],
        slots.PROVINCE: "สระบุรี",
        slots.CONFIRM_COMPLAINT: True,
    }
    tracker = Tracker(
        sender_id="U" + "f" * 32,
        slots=values,
        latest_message={"text": "/affirm", "intent": {"name": "affirm"}, "entities": []},
        events=[user(first), user(PREFIX, WHOLE), user("/affirm")],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )
    assert draft_from_tracker(tracker).description == f"{first} {WHOLE}"

    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ticket_created"
    with session_factory()() as session:
        ticket = session.scalar(select(Ticket))
    assert ticket.description == f"{first} {WHOLE}" and len(ticket.description) > PREFIX_CHARS
