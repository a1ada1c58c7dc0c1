"""A citizen asks where their complaint is, by tracking number."""

from __future__ import annotations

import asyncio
import re
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction, log_database_error
from actions.my_tickets import ActionListMyTickets
from actions.presentation import agency_name, state_name, thai_datetime
from cases.duplicate_links import case_of
from cases.repository import get_citizen_ticket
from cases.tracking import find_tracking_number

logger = logging.getLogger(__name__)


# The citizen does not have the number ("จำเลขไม่ได้", "เรื่องของฉัน"): their tickets are listed
# instead, and the status question ends (it never traps the citizen).
LISTED = "listed"
_NO_NUMBER = re.compile(
    r"จำ\s*(?:เลข\S*)?\s*ไม่ได้|ลืม\s*เลข|ไม่\s*(?:รู้|ทราบ|มี)\s*เลข|เรื่องของ\s*(?:ฉัน|ผม|หนู|เรา)|my_tickets|ทั้งหมด"
)


class ValidateStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_status_form"

    async def extract_tracking_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if find_tracking_number(text):
            return {}
        if (message.get("intent") or {}).get("name") == "my_tickets" or _NO_NUMBER.search(text):
            await ActionListMyTickets().run(dispatcher, tracker, domain)
            return {slots.TRACKING_NUMBER: LISTED}
        return {}

    def validate_tracking_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == LISTED:
            return {slots.TRACKING_NUMBER: LISTED}  # their tickets were just listed
        number = find_tracking_number(str(value)) if value else None
        if number is None:
            dispatcher.utter_message(response="utter_wrong_tracking_number")
        return {slots.TRACKING_NUMBER: number}


class ActionCheckStatus(Action):
    def name(self) -> Text:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        done = [SlotSet(slots.TRACKING_NUMBER, None)]
        if tracker.get_slot(slots.TRACKING_NUMBER) == LISTED:
            return done  # their tickets were listed instead
        number: Optional[str] = find_tracking_number(tracker.get_slot(slots.TRACKING_NUMBER))
        if number is None:
            dispatcher.utter_message(response="utter_wrong_tracking_number")
            return done

        await say_status(dispatcher, tracker, number)
        return done


async def say_status(dispatcher: CollectingDispatcher, tracker: Tracker, number: str) -> None:
    """The status of the citizen's own ticket ``number`` (never someone else's)."""

    def lookup(session):  # type: ignore[no-untyped-def]
        ticket = get_citizen_ticket(session, tracking_number=number, line_user_id=tracker.sender_id)
        if ticket is None:
            return None
        shown = case_of(session, ticket)  # a complaint joined to an open case shows the case's progress
        return shown.state, shown.agency, shown.updated_at

    try:
        found = await asyncio.to_thread(in_transaction, lookup)
    except SQLAlchemyError as exc:
        log_database_error(logger, "status look-up failed", exc, tracker.sender_id)
        dispatcher.utter_message(response="utter_status_unavailable")
        return
    if found is None:
        dispatcher.utter_message(response="utter_ticket_not_found", tracking_number=number)
        return
    state, agency, updated_at = found
    dispatcher.utter_message(
        response="utter_ticket_status",
        tracking_number=number,
        state=state_name(state),
        agency_name=agency_name(agency),
        updated_at=thai_datetime(updated_at),
    )
