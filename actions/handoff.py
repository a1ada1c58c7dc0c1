""" "ขอคุยกับเจ้าหน้าที่": open a handoff; the gateway then keeps the citizen's messages for
an officer instead of sending them to Rasa (gateway/handoff_gate.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction, log_database_error
from actions.listening import held_complaint
from cases.handoff import open_handoff
from cases.privacy import pseudonym
from cases.tracking import find_tracking_number

logger = logging.getLogger(__name__)


class ActionRequestHandoff(Action):
    def name(self) -> Text:
        return "action_request_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        named = next(tracker.get_latest_entity_values(slots.TRACKING_NUMBER), None)
        number = find_tracking_number(str(named)) if named else None
        who = pseudonym(tracker.sender_id)

        def work(session):  # type: ignore[no-untyped-def]
            return open_handoff(session, line_user_id=tracker.sender_id, tracking_number=number)

        try:
            opened = await asyncio.to_thread(in_transaction, work)
        except SQLAlchemyError as exc:
            log_database_error(logger, "handoff not opened", exc, tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return []
        logger.info("handoff %s for %s (already open: %s)", opened.handoff_id, who, opened.already_open)
        if opened.already_open:
            dispatcher.utter_message(response="utter_handoff_already_open")
        else:
            dispatcher.utter_message(response="utter_handoff_started")
        events = [SlotSet(slots.TRACKING_NUMBER, None), SlotSet("requested_slot", None)]
        if tracker.get_slot(slots.COMPLAINT_CATEGORY):
            # A complaint in progress is kept: "ต่อเรื่องเดิม" after the hand-back resumes it.
            events.append(SlotSet("held_complaint", held_complaint(tracker)))
        return events
