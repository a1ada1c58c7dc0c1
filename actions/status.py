"""A citizen asks where their complaint is, by tracking number."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction, log_database_error
from actions.presentation import agency_name, state_name, thai_datetime
from cases.duplicate_links import case_of
from cases.repository import get_citizen_ticket
from cases.tracking import find_tracking_number

logger = logging.getLogger(__name__)


class ValidateStatusForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_status_form"

    def validate_tracking_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        number = find_tracking_number(str(value)) if value else None
        if number is None:
            dispatcher.utter_message(response="utter_wrong_tracking_number")
        return {slots.TRACKING_NUMBER: number}


class ActionCheckStatus(Action):
    def name(self) -> Text:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number: Optional[str] = find_tracking_number(tracker.get_slot(slots.TRACKING_NUMBER))
        done = [SlotSet(slots.TRACKING_NUMBER, None)]
        if number is None:
            dispatcher.utter_message(response="utter_wrong_tracking_number")
            return done

        def lookup(session):  # type: ignore[no-untyped-def]
            ticket = get_citizen_ticket(
                session, tracking_number=number, line_user_id=tracker.sender_id
            )
            if ticket is None:
                return None
            shown = case_of(session, ticket)  # a complaint joined to an open case shows the case's progress
            return shown.state, shown.agency, shown.updated_at

        try:
            found = await asyncio.to_thread(in_transaction, lookup)
        except SQLAlchemyError as exc:
            log_database_error(logger, "status look-up failed", exc, tracker.sender_id)
            dispatcher.utter_message(response="utter_status_unavailable")
            return done

        if found is None:
            dispatcher.utter_message(response="utter_ticket_not_found", tracking_number=number)
            return done
        state, agency, updated_at = found
        dispatcher.utter_message(
            response="utter_ticket_status",
            tracking_number=number,
            state=state_name(state),
            agency_name=agency_name(agency),
            updated_at=thai_datetime(updated_at),
        )
        return done
