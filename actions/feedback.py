"""The citizen's answers to the follow-up pushed after resolution: solved? then a rating.

The quick replies carry the tracking number and the answer as entities
(``/ticket_feedback{"tracking_number": ..., "solved": "yes"}``,
``/rate_ticket{"tracking_number": ..., "rating": "4"}``); cases/feedback.py checks that
the ticket is the sender's own and stores the answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction, log_database_error
from cases.feedback import FeedbackOutcome, parse_solved, record_answer, record_rating
from cases.privacy import pseudonym
from cases.tracking import find_tracking_number

logger = logging.getLogger(__name__)

SOLVED_ENTITY = "solved"
RATING_ENTITY = "rating"
# The entity also fills the status form's slot; clear it so a later status check asks afresh.
CLEAR_TRACKING_NUMBER = [SlotSet(slots.TRACKING_NUMBER, None)]


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return None if value is None else str(value)


def _tracking_number(tracker: Tracker) -> Optional[str]:
    return find_tracking_number(_entity(tracker, slots.TRACKING_NUMBER) or "")


async def _store(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    what: str,
    record: Callable[..., FeedbackOutcome],
    number: str,
    **answer: Any,
) -> Optional[FeedbackOutcome]:
    """Store the sender's answer about ticket ``number`` with ``record`` (cases/feedback.py).

    ``record`` checks that the ticket is the sender's own. On a database error the citizen
    is told feedback is unavailable and None is returned.
    """

    def work(session):  # type: ignore[no-untyped-def]
        return record(session, tracking_number=number, line_user_id=tracker.sender_id, **answer)

    try:
        return await asyncio.to_thread(in_transaction, work)
    except SQLAlchemyError as exc:
        log_database_error(logger, f"{what} not stored", exc, tracker.sender_id)
        dispatcher.utter_message(response="utter_feedback_unavailable")
        return None


class ActionTicketFeedback(Action):
    """ "แก้ไขแล้ว / ยังไม่ได้แก้ไข": store it (not solved reopens), then ask for a rating."""

    def name(self) -> Text:
        return "action_ticket_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = _tracking_number(tracker)
        solved = parse_solved(_entity(tracker, SOLVED_ENTITY))
        if number is None or solved is None:
            dispatcher.utter_message(response="utter_feedback_not_asked")
            return CLEAR_TRACKING_NUMBER

        outcome = await _store(dispatcher, tracker, "feedback", record_answer, number, solved=solved)
        if outcome is None:
            return CLEAR_TRACKING_NUMBER
        logger.info("feedback from %s: %s", pseudonym(tracker.sender_id), outcome.value)
        if outcome is FeedbackOutcome.SOLVED:
            dispatcher.utter_message(response="utter_feedback_thanks_solved", tracking_number=number)
        elif outcome is FeedbackOutcome.REOPENED:
            dispatcher.utter_message(response="utter_feedback_reopened", tracking_number=number)
        else:  # not the sender's ticket, or not waiting for an answer: say nothing about it
            dispatcher.utter_message(response="utter_feedback_not_asked")
            return CLEAR_TRACKING_NUMBER
        dispatcher.utter_message(response="utter_feedback_ask_rating", tracking_number=number)
        return CLEAR_TRACKING_NUMBER


class ActionRateTicket(Action):
    """A 1-5 rating from the quick reply."""

    def name(self) -> Text:
        return "action_rate_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = _tracking_number(tracker)
        rating = _entity(tracker, RATING_ENTITY)
        if number is None:
            dispatcher.utter_message(response="utter_feedback_not_asked")
            return CLEAR_TRACKING_NUMBER

        outcome = await _store(dispatcher, tracker, "rating", record_rating, number, rating=rating)
        if outcome is None:
            return CLEAR_TRACKING_NUMBER
        if outcome is FeedbackOutcome.RATED:
            dispatcher.utter_message(response="utter_feedback_rated")
        elif outcome is FeedbackOutcome.INVALID_RATING:
            dispatcher.utter_message(response="utter_feedback_ask_rating", tracking_number=number)
        else:
            dispatcher.utter_message(response="utter_feedback_not_asked")
        return CLEAR_TRACKING_NUMBER
