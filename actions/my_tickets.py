""" "เรื่องของฉัน": the citizen's own tickets, newest first, by LINE user."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.case_store import in_transaction, log_database_error
from actions.presentation import agency_name, category_name, state_name, thai_datetime
from cases.repository import list_citizen_tickets
from cases.domain_texts import Wording

logger = logging.getLogger(__name__)

MAX_TICKETS_SHOWN = 5
LINE_TEMPLATE = "utter_my_ticket_line"


def response_template(domain: DomainDict, name: str) -> str:
    """The text of a domain response, for actions that repeat it over a list."""
    return Wording.of_domain(domain).required_text(name)


def ticket_line(template: str, ticket: dict[str, Any]) -> str:
    return template.format(**ticket)


class ActionListMyTickets(Action):
    def name(self) -> Text:
        return "action_list_my_tickets"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        def load(session):  # type: ignore[no-untyped-def]
            return [
                {
                    "tracking_number": t.tracking_number,
                    "category": category_name(t.category),
                    "state": state_name(t.state),
                    "agency_name": agency_name(t.agency),
                    "updated_at": thai_datetime(t.updated_at),
                }
                for t in list_citizen_tickets(session, line_user_id=tracker.sender_id, limit=MAX_TICKETS_SHOWN)
            ]

        try:
            tickets = await asyncio.to_thread(in_transaction, load)
        except SQLAlchemyError as exc:
            log_database_error(logger, "ticket list failed", exc, tracker.sender_id)
            dispatcher.utter_message(response="utter_status_unavailable")
            return []
        if not tickets:
            dispatcher.utter_message(response="utter_no_tickets")
            return []
        template = response_template(domain, LINE_TEMPLATE)
        dispatcher.utter_message(
            response="utter_my_tickets",
            tickets="\n\n".join(ticket_line(template, t) for t in tickets),
        )
        return []
