"""The NLU model version a ticket is stored with comes from the tracker's events."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.case_store import session_factory
from actions.model_version import model_id_of
from actions.submit_complaint import ActionSubmitComplaint
from cases.models import Ticket
from tests.actions.test_submit_and_status import complaint_slots

OLD, NEW = "0" * 32, "1" * 32


def tracker_with(events: list[dict], slots: dict | None = None) -> Tracker:
    return Tracker(
        sender_id="U" + "9" * 32,
        slots=slots or {},
        latest_message={},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def user(model_id: str | None) -> dict:
    return {"event": "user", "text": "x", "metadata": {"model_id": model_id} if model_id else {}}


def test_the_latest_user_message_names_the_model():
    events = [
        user(OLD),
        {"event": "action", "name": "utter_x", "metadata": {"model_id": OLD}},
        user(NEW),
        {"event": "bot", "text": "y", "metadata": {"model_id": NEW}},
    ]
    assert model_id_of(tracker_with(events)) == NEW
    assert model_id_of(tracker_with([user(None)])) is None
    assert model_id_of(tracker_with([])) is None


async def test_the_submitted_ticket_stores_the_model_id(case_database):
    tracker = tracker_with([user(OLD), user(NEW)], slots=complaint_slots())
    await ActionSubmitComplaint().run(CollectingDispatcher(), tracker, {})
    with session_factory()() as session:
        assert session.scalars(select(Ticket.nlu_model_version)).all() == [NEW]
