from __future__ import annotations
from datetime import datetime

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.case_store import session_factory
from actions.factory_match import FACTORY_CANDIDATES
from actions.status import ActionCheckStatus, ValidateStatusForm
from actions.submit_complaint import ActionSubmitComplaint
from cases.models import Ticket
from tests.actions.conftest import make_tracker

CITIZEN = "U" + "c" * 32


def complaint_slots(**overrides):
    values = {
        slots.COMPLAINT_CATEGORY: "wastewater",
        slots.COMPLAINT_TEXT: "โรงงานปล่อยน้ำเสียลงคลอง ปลาตายเป็นแพ",
        slots.NLU_INTENT: "complaint_wastewater",
        slots.NLU_CONFIDENCE: 0.91,
        slots.PROVINCE: "ชลบุรี",
        slots.CONFIRM_COMPLAINT: True,
    }
    values.update(overrides)
    return values


async def test_confirmed_complaint_becomes_a_routed_ticket(case_database):
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint_slots(), sender_id=CITIZEN), {})
    reply = dispatcher.messages[0]
    assert reply["response"] == "utter_ticket_created"
    assert reply["agency_name"].startswith("สำนักงานอุตสาหกรรมจังหวัดชลบุรี")
    with session_factory()() as session:
        ticket = session.scalar(select(Ticket))
    assert ticket.tracking_number == reply["tracking_number"]
    assert (ticket.category, ticket.agency, ticket.state, ticket.line_user_id) == (
        "wastewater",
        "PIO-CBI",
        "new",
        CITIZEN,
    )
    assert ticket.nlu_confidence == 0.91
    # The complaint's slots are cleared; only the ticket later photos go to is remembered.
    assert all(e["value"] is None for e in events if e["event"] == "slot" and e["name"] != slots.EVIDENCE_TICKET)


async def test_a_filed_complaint_ends_the_conversation_session_keeping_only_its_ticket(case_database):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=complaint_slots(), sender_id=CITIZEN)
    events = await ActionSubmitComplaint().run(dispatcher, tracker, {})
    number = dispatcher.messages[0]["tracking_number"]
    kinds = [e["event"] for e in events]
    assert kinds.count("session_started") == 1
    start = kinds.index("session_started")
    # Before the new session: the ticket mark that ends this complaint's transcript (console).
    assert [(e["name"], e["value"]) for e in events[:start]] == [(slots.EVIDENCE_TICKET, number)]
    # The new session (every slot reset) knows only the ticket a later photo or factory pick goes to.
    carried = {e["name"]: e["value"] for e in events[start + 1 :] if e["event"] == "slot"}
    assert carried == {slots.EVIDENCE_TICKET: number, FACTORY_CANDIDATES: None}
    assert kinds[start + 1 :] == ["slot"] * len(carried)


async def test_a_cancelled_complaint_keeps_the_session(case_database):
    events = await ActionSubmitComplaint().run(
        CollectingDispatcher(),
        make_tracker(slots=complaint_slots(**{slots.CONFIRM_COMPLAINT: False}), sender_id=CITIZEN),
        {},
    )
    assert "session_started" not in [e["event"] for e in events]


async def test_urgent_and_unknown_province_complaints(case_database):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots=complaint_slots(**{slots.COMPLAINT_CATEGORY: "hazard", slots.PROVINCE: slots.UNKNOWN_PROVINCE})
    )
    await ActionSubmitComplaint().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ticket_created_urgent"
    with session_factory()() as session:
        ticket = session.scalar(select(Ticket))
    assert (ticket.agency, ticket.priority, ticket.province) == ("OPS", "urgent", None)


async def test_declined_complaint_creates_nothing(case_database):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=complaint_slots(**{slots.CONFIRM_COMPLAINT: False}))
    await ActionSubmitComplaint().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_complaint_cancelled"
    with session_factory()() as session:
        assert session.scalar(select(Ticket)) is None


async def test_status_is_shown_only_to_the_owner(case_database):
    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint_slots(), sender_id=CITIZEN), {})
    number = dispatcher.messages[0]["tracking_number"]

    dispatcher = CollectingDispatcher()
    await ActionCheckStatus().run(
        dispatcher, make_tracker(slots={slots.TRACKING_NUMBER: number.lower()}, sender_id=CITIZEN), {}
    )
    status = dispatcher.messages[0]
    assert status["response"] == "utter_ticket_status"
    assert status["tracking_number"] == number
    assert status["state"] == "รับเรื่องแล้ว รอเจ้าหน้าที่ตรวจสอบ"
    assert str(datetime.now().year + 543) in status["updated_at"]

    dispatcher = CollectingDispatcher()
    await ActionCheckStatus().run(
        dispatcher, make_tracker(slots={slots.TRACKING_NUMBER: number}, sender_id="U" + "d" * 32), {}
    )
    assert dispatcher.messages[0]["response"] == "utter_ticket_not_found"


def test_tracking_number_validation():
    dispatcher = CollectingDispatcher()
    assert ValidateStatusForm().validate_tracking_number("idee-2569-000007", dispatcher, make_tracker(), {}) == {
        slots.TRACKING_NUMBER: "IDEE-2569-000007"
    }
    assert ValidateStatusForm().validate_tracking_number("12345", dispatcher, make_tracker(), {}) == {
        slots.TRACKING_NUMBER: None
    }
    assert dispatcher.messages[0]["response"] == "utter_wrong_tracking_number"


async def test_a_repeated_confirmation_files_one_ticket(case_database):
    values = complaint_slots(**{slots.COMPLAINT_ID: "4f1c2d"})
    numbers = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=values, sender_id=CITIZEN), {})
        numbers.append(dispatcher.messages[0]["tracking_number"])
    assert numbers[0] == numbers[1]
    with session_factory()() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1
