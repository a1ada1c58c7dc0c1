"""Turning a confirmed complaint into a routed ticket."""

from __future__ import annotations

import asyncio
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction
from actions.presentation import agency_name
from cases.privacy import pseudonym
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import Category, Priority

logger = logging.getLogger(__name__)


def draft_from_tracker(tracker: Tracker) -> TicketDraft:
    province = tracker.get_slot(slots.PROVINCE)
    try:
        category = Category(tracker.get_slot(slots.COMPLAINT_CATEGORY))
    except ValueError:
        category = Category.OTHER
    confidence = tracker.get_slot(slots.NLU_CONFIDENCE)
    return TicketDraft(
        category=category,
        description=tracker.get_slot(slots.COMPLAINT_TEXT) or "",
        province=None if province in (None, slots.UNKNOWN_PROVINCE) else province,
        industrial_estate=tracker.get_slot(slots.INDUSTRIAL_ESTATE),
        line_user_id=tracker.sender_id,
        nlu_intent=tracker.get_slot(slots.NLU_INTENT),
        nlu_confidence=float(confidence) if confidence is not None else None,
        conversation_id=tracker.sender_id,
    )


class ActionSubmitComplaint(Action):
    def name(self) -> Text:
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if tracker.get_slot(slots.CONFIRM_COMPLAINT) is not True:
            dispatcher.utter_message(response="utter_complaint_cancelled")
            return slots.reset_complaint()

        draft = draft_from_tracker(tracker)

        def store(session):  # type: ignore[no-untyped-def]
            ticket = create_ticket(session, draft=draft)
            return ticket.tracking_number, ticket.agency, ticket.priority

        try:
            tracking_number, agency, priority = await asyncio.to_thread(in_transaction, store)
        except SQLAlchemyError:
            logger.exception("ticket not stored for %s", pseudonym(tracker.sender_id))
            dispatcher.utter_message(response="utter_ticket_failed")
            return slots.reset_complaint()

        logger.info(
            "ticket %s created: category=%s agency=%s for %s",
            tracking_number,
            draft.category.value,
            agency,
            pseudonym(tracker.sender_id),
        )
        response = (
            "utter_ticket_created_urgent"
            if priority == Priority.URGENT.value
            else "utter_ticket_created"
        )
        dispatcher.utter_message(
            response=response, tracking_number=tracking_number, agency_name=agency_name(agency)
        )
        return slots.reset_complaint()
