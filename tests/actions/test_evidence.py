"""Evidence photos and duplicates in the actions: the form's photo step, a photo outside
the form, and submission (pending photos linked; a matching open case joined)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.case_store import in_transaction, session_factory
from actions.complaint_intake import ValidateComplaintForm, complaint_required_slots
from actions.evidence import (
    PHOTO,
    SKIPPED,
    ActionReceivePhoto,
    evidence_from_answer,
    owner_of,
)
from actions.submit_complaint import ActionSubmitComplaint
from cases.attachments import count_pending, list_attachments, store_attachment
from cases.models import Ticket
from tests.actions.conftest import make_tracker

ALICE = "U" + "a" * 32
BOB = "U" + "b" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
LAT, LON = 13.0920, 101.1040


def form_tracker(*, text: str, intent: str, before: dict[str, Any], filled: dict[str, Any]) -> Tracker:
    """The tracker the form's validation sees: slots before the turn, then what this turn filled."""
    events: list[dict[str, Any]] = [{"event": "slot", "name": name, "value": value} for name, value in before.items()]
    events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}})
    events += [{"event": "slot", "name": name, "value": value} for name, value in filled.items()]
    return Tracker(
        sender_id=ALICE,
        slots={**before, **filled, "requested_slot": "pdpa_consent"},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "complaint_form"},
        latest_action_name="action_listen",
    )


def test_the_evidence_answer():
    assert evidence_from_answer(PHOTO) == PHOTO
    assert evidence_from_answer(SKIPPED) == SKIPPED
    assert evidence_from_answer("/send_photo") == PHOTO
    assert evidence_from_answer("ข้าม") == SKIPPED
    assert evidence_from_answer("ไม่มีรูปค่ะ") == SKIPPED
    assert evidence_from_answer("มีค่ะ") is None  # wait for the photo: asked again
    assert evidence_from_answer(None) is None and evidence_from_answer("  ") is None


def test_photos_are_asked_once_after_when_and_never_after_one_came():
    values = {
        slots.COMPLAINT_CATEGORY: "odor",
        slots.COMPLAINT_TEXT: "โรงงานส่งกลิ่นเหม็นมากทุกคืน แสบจมูก",
        slots.PROVINCE: "ชลบุรี",
    }
    required = complaint_required_slots(make_tracker(slots=values))
    assert required.index(slots.EVIDENCE) == required.index(slots.OCCURRED_TEXT) + 1
    assert required.index(slots.EVIDENCE) < required.index(slots.PDPA_CONSENT)
    for given in (PHOTO, SKIPPED):
        tracker = make_tracker(slots={**values, slots.EVIDENCE: given})
        missing = [s for s in complaint_required_slots(tracker) if tracker.get_slot(s) is None]
        assert slots.EVIDENCE not in missing


async def test_a_photo_during_another_question_is_acknowledged_and_the_question_asked_again():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(
        text="/send_photo",
        intent="send_photo",
        before={slots.EVIDENCE: None},
        filled={slots.PDPA_CONSENT: "/send_photo", slots.EVIDENCE: PHOTO},
    )
    events = await ValidateComplaintForm().get_validation_events(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_photo_received"]
    values = {e["name"]: e["value"] for e in events}
    # The consent question comes again, as one line: its paragraph was shown once already.
    assert values == {slots.EVIDENCE: PHOTO, slots.PDPA_CONSENT: None, "consent_asked": True}


async def test_a_second_photo_is_only_acknowledged():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(
        text="/send_photo",
        intent="send_photo",
        before={slots.EVIDENCE: PHOTO},
        filled={slots.PDPA_CONSENT: "/send_photo", slots.EVIDENCE: PHOTO},
    )
    await ValidateComplaintForm().get_validation_events(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_photo_added"]


async def test_saying_a_photo_was_sent_is_not_a_photo():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(
        text="ส่งรูปให้แล้วค่ะ",
        intent="send_photo",
        before={slots.EVIDENCE: None},
        filled={slots.PDPA_CONSENT: "ส่งรูปให้แล้วค่ะ", slots.EVIDENCE: PHOTO},
    )
    events = await ValidateComplaintForm().get_validation_events(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_photo_not_seen"]
    assert {e["name"]: e["value"] for e in events} == {
        slots.EVIDENCE: None,
        slots.PDPA_CONSENT: None,
        "consent_asked": True,  # asked again in one line
    }


async def test_other_answers_are_validated_as_before():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(text="ข้าม", intent="inform", before={}, filled={slots.EVIDENCE: "ข้าม"})
    events = await ValidateComplaintForm().get_validation_events(dispatcher, tracker, {})
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}[slots.EVIDENCE] == SKIPPED


def complaint(**overrides: Any) -> dict[str, Any]:
    values = {
        slots.COMPLAINT_ID: None,
        slots.COMPLAINT_CATEGORY: "odor",
        slots.COMPLAINT_TEXT: "โรงงานส่งกลิ่นเหม็นทุกคืน แสบจมูกมาก",
        slots.NLU_INTENT: "complaint_odor",
        slots.NLU_CONFIDENCE: 0.9,
        slots.PROVINCE: "ระยอง",
        slots.LATITUDE: LAT,
        slots.LONGITUDE: LON,
        slots.CONFIRM_COMPLAINT: True,
    }
    values.update(overrides)
    return values


def pending_photo(sender: str, message_id: str) -> None:
    in_transaction(lambda s: store_attachment(s, owner=owner_of(sender), content=JPEG, line_message_id=message_id))


async def test_submission_links_the_pending_photos(case_database):
    pending_photo(ALICE, "p1")
    pending_photo(ALICE, "p2")
    pending_photo(BOB, "p3")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint(), sender_id=ALICE), {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_ticket_created", "utter_photos_attached"]
    assert dispatcher.messages[1]["count"] == 2
    number = dispatcher.messages[0]["tracking_number"]
    assert {"event": "slot", "name": slots.EVIDENCE_TICKET, "value": number} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events if e["event"] == "slot"
    ]
    with session_factory()() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.tracking_number == number))
        assert len(list_attachments(session, ticket_ids=[ticket.id])) == 2
        assert count_pending(session, owner=owner_of(BOB)) == 1  # never another citizen's photo


async def test_a_matching_complaint_joins_the_open_case(case_database):
    first = CollectingDispatcher()
    await ActionSubmitComplaint().run(first, make_tracker(slots=complaint(), sender_id=ALICE), {})
    case_number = first.messages[0]["tracking_number"]

    second = CollectingDispatcher()
    other_words = complaint(
        **{
            slots.COMPLAINT_TEXT: "กลิ่นเหม็นจากโรงงานตอนกลางคืน แสบจมูกจนนอนไม่ได้",
            slots.LATITUDE: LAT + 0.003,
        }
    )
    await ActionSubmitComplaint().run(second, make_tracker(slots=other_words, sender_id=BOB), {})
    (said,) = second.messages
    assert said["response"] == "utter_duplicate_linked"
    assert said["case_tracking_number"] == case_number
    assert said["tracking_number"] != case_number
    assert said["agency_name"].startswith("สำนักงานอุตสาหกรรมจังหวัดระยอง")
    assert not any(ALICE in str(v) for v in said.values())  # nothing of the first citizen
    with session_factory()() as session:
        mine = session.scalar(select(Ticket).where(Ticket.tracking_number == said["tracking_number"]))
        case = session.scalar(select(Ticket).where(Ticket.tracking_number == case_number))
        assert mine.duplicate_of_id == case.id and mine.line_user_id == BOB


async def test_an_urgent_duplicate_keeps_the_safety_advice(case_database):
    hazard = {slots.COMPLAINT_CATEGORY: "hazard", slots.COMPLAINT_TEXT: "โรงงานไฟไหม้ ควันดำเต็มหมู่บ้าน"}
    await ActionSubmitComplaint().run(
        CollectingDispatcher(), make_tracker(slots=complaint(**hazard), sender_id=ALICE), {}
    )
    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint(**hazard), sender_id=BOB), {})
    assert dispatcher.messages[0]["response"] == "utter_duplicate_linked_urgent"


async def test_a_photo_after_filing_is_added_to_the_citizens_ticket(case_database):
    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint(), sender_id=ALICE), {})
    number = dispatcher.messages[0]["tracking_number"]
    pending_photo(ALICE, "later")
    after = CollectingDispatcher()
    tracker = make_tracker(
        slots={slots.EVIDENCE_TICKET: number}, text="/send_photo", intent="send_photo", sender_id=ALICE
    )
    assert await ActionReceivePhoto().run(after, tracker, {}) == []
    assert after.messages[0]["response"] == "utter_photo_added_to_ticket"
    assert after.messages[0]["tracking_number"] == number
    with session_factory()() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.tracking_number == number))
        assert len(list_attachments(session, ticket_ids=[ticket.id])) == 1


async def test_a_photo_is_never_added_to_someone_elses_ticket(case_database):
    dispatcher = CollectingDispatcher()
    await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=complaint(), sender_id=ALICE), {})
    alices = dispatcher.messages[0]["tracking_number"]
    pending_photo(BOB, "bobs")
    bob = CollectingDispatcher()
    tracker = make_tracker(
        slots={slots.EVIDENCE_TICKET: alices}, text="/send_photo", intent="send_photo", sender_id=BOB
    )
    await ActionReceivePhoto().run(bob, tracker, {})
    assert bob.messages[0]["response"] == "utter_photo_before_complaint"
    with session_factory()() as session:
        assert count_pending(session, owner=owner_of(BOB)) == 1


async def test_a_photo_before_any_complaint_is_kept_for_it(case_database):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="/send_photo", intent="send_photo", sender_id=ALICE)
    events = await ActionReceivePhoto().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_photo_before_complaint"
    assert [(e["name"], e["value"]) for e in events] == [(slots.EVIDENCE, PHOTO)]
    typed = CollectingDispatcher()
    await ActionReceivePhoto().run(typed, make_tracker(text="ส่งรูปแล้วค่ะ", intent="send_photo"), {})
    assert typed.messages[0]["response"] == "utter_photo_not_seen"
