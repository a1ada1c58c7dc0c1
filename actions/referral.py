"""Out-of-scope requests: the domain says where to go; here the referral is counted."""

from __future__ import annotations

import asyncio
import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.case_store import in_transaction, log_database_error
from cases.repository import record_referral

logger = logging.getLogger(__name__)


class ActionRecordReferral(Action):
    def name(self) -> Text:
        return "action_record_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        confidence = ((tracker.latest_message or {}).get("intent") or {}).get("confidence")
        try:
            await asyncio.to_thread(in_transaction, lambda s: record_referral(s, nlu_confidence=confidence))
        except SQLAlchemyError as exc:
            # The citizen already has the referral; losing one count must not bother them.
            log_database_error(logger, "referral not counted", exc)
        return []
