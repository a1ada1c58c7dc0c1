""" "ลบข้อมูลของฉัน": the citizen's erasure request, after they confirmed it (PDPA).

The rules (bot/dialogue/privacy.yml) ask for confirmation first (``utter_ask_erasure``,
which says what is erased and what the law keeps); the confirm button runs this action.
The work and its audit are ``cases.erasure.erase_citizen``; wording: bot/domain/privacy.yml.
"""

from __future__ import annotations

import asyncio
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.case_store import in_transaction, log_database_error
from cases.erasure import erase_citizen
from cases.privacy import pseudonym
from settings import get_settings

logger = logging.getLogger(__name__)


class ActionEraseMyData(Action):
    def name(self) -> Text:
        return "action_erase_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        salt = get_settings().privacy.pseudonym_salt

        def erase(session):  # type: ignore[no-untyped-def]
            return erase_citizen(session, line_user_id=tracker.sender_id, salt=salt)

        try:
            report = await asyncio.to_thread(in_transaction, erase)
        except SQLAlchemyError as exc:
            log_database_error(logger, "erasure failed", exc, tracker.sender_id)
            dispatcher.utter_message(response="utter_erasure_failed")
            return []
        logger.info(
            "erasure done for %s: tickets=%d photos=%d handoffs=%d events=%d",
            pseudonym(tracker.sender_id),
            report.tickets_cleared,
            report.photos_deleted,
            report.handoffs_deleted,
            report.events_deleted,
        )
        dispatcher.utter_message(response="utter_erasure_done")
        return [AllSlotsReset()]  # nothing the citizen told stays in this conversation's slots
