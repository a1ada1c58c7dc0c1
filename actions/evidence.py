"""Evidence photos and duplicate cases in the conversation.

The gateway stores a photo before Rasa hears "/send_photo" (gateway/
evidence.py). Here:
- inside the complaint form, a photo fills the ``evidence`` slot (the form asks for photos
  once, after when it happened, and never when one already came); a photo sent while
  another question is open is acknowledged and that question is asked again;
- outside a form, a photo is added to the ticket this conversation just filed
  (``evidence_ticket``), or kept for the complaint the citizen is about to tell;
- at submission the citizen's pending photos are linked to the new ticket, and a
  complaint about an open case is linked to it (cases.duplicate_links).

Domain: bot/domain/evidence.yml (intent send_photo; slots evidence, evidence_ticket;
responses utter_ask_evidence, utter_photo_*, utter_duplicate_linked).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions import slots
from actions.case_store import in_transaction, log_database_error
from actions.facts import says_no_photo
from actions.intake_answers import is_payload, yes_no_from_answer
from cases.attachments import link_pending, owner_key
from cases.duplicate_links import file_complaint
from cases.repository import TicketDraft, get_citizen_ticket
from settings import get_settings

logger = logging.getLogger(__name__)

PHOTO_INTENT = "send_photo"
PHOTO = "photo"  # evidence slot: at least one photo came
SKIPPED = "skip"  # evidence slot: the citizen has no photo
# "มีค่ะ", "เดี๋ยวส่งให้": a photo is on its way (not "ไม่มี", which starts with ไม่).
_PHOTO_COMING = re.compile(r"^\s*(มี|เดี๋ยว|กำลัง|จะ)\s*(รูป|ภาพ|ส่ง|ค่ะ|ครับ|คะ|นะ|$)")


def owner_of(sender_id: str) -> str:
    return owner_key(sender_id, get_settings().privacy.pseudonym_salt)


def is_photo_turn(tracker: Tracker) -> bool:
    """The latest message is about a photo: a real one, or typed words ("ส่งรูปแล้วค่ะ")."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") == PHOTO_INTENT


def is_real_photo(tracker: Tracker) -> bool:
    """A photo the gateway stored: it sends exactly "/send_photo"; typed words are not one."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return text.startswith("/" + PHOTO_INTENT)


def _value_before_this_turn(tracker: Tracker, name: str) -> Any:
    after_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            after_user = True
        elif after_user and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def evidence_from_answer(value: Any) -> Optional[str]:
    """The evidence question's answer: PHOTO, SKIPPED, or None when nothing was said.

    "มีค่ะ" waits for the photo; any other typed answer ("ข้าม", "ไม่มีรูป", ...) moves on:
    a photo sent later still counts.
    """
    if value in (PHOTO, SKIPPED):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    if is_payload(value) and PHOTO_INTENT in value:
        return PHOTO
    if _PHOTO_COMING.search(value) or yes_no_from_answer(value) is True:  # "มีค่ะ": ask again
        return None
    return SKIPPED


def photo_in_form_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """For ValidateComplaintForm: the events of a photo turn inside the form, else None.

    The photo fills ``evidence``; whatever slot the "/send_photo" text filled by its
    from_text mapping is cleared again, so the open question is asked once more.
    """
    if not is_photo_turn(tracker):
        return None
    before = _value_before_this_turn(tracker, slots.EVIDENCE)
    if is_real_photo(tracker):
        dispatcher.utter_message(response="utter_photo_added" if before == PHOTO else "utter_photo_received")
        evidence = PHOTO
    elif says_no_photo((tracker.latest_message or {}).get("text")):
        evidence = SKIPPED  # "ไม่มีรูปค่ะ กลางคืนถ่ายไม่ติด": read as a photo intent, means none
    else:  # "ส่งรูปแล้วค่ะ" but no photo came
        dispatcher.utter_message(response="utter_photo_not_seen")
        evidence = before
    events: List[Dict[Text, Any]] = [SlotSet(slots.EVIDENCE, evidence)]
    if tracker.get_slot("requested_slot") == slots.PDPA_CONSENT:
        events.append(SlotSet("consent_asked", True))  # the paragraph was shown: one line now
    for name in tracker.slots_to_validate():
        if name != slots.EVIDENCE:
            events.append(SlotSet(name, None))
    return events


class EvidenceFormMixin:
    """Evidence handling for the complaint form's validation action (mixed in first)."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        photo = photo_in_form_events(dispatcher, tracker)
        if photo is not None:
            return photo
        return await super().get_validation_events(dispatcher, tracker, domain)  # type: ignore[misc]

    def validate_evidence(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {slots.EVIDENCE: evidence_from_answer(value)}


@dataclass(frozen=True)
class Submitted:
    tracking_number: str
    agency: str
    priority: str
    photos: int
    case_tracking_number: Optional[str] = None
    case_agency: Optional[str] = None


def file_with_evidence(session: Session, *, draft: TicketDraft, sender_id: str) -> Submitted:
    """File the ticket (linked to an open case it duplicates) and give it the pending photos."""
    filed = file_complaint(session, draft=draft)
    photos = link_pending(session, owner=owner_of(sender_id), ticket_id=filed.ticket.id)
    case = filed.case
    return Submitted(
        tracking_number=filed.ticket.tracking_number,
        agency=filed.ticket.agency,
        priority=filed.ticket.priority,
        photos=photos,
        case_tracking_number=case.tracking_number if case else None,
        case_agency=case.agency if case else None,
    )


class ActionReceivePhoto(Action):
    """A photo outside the complaint form: add it to the ticket just filed, or keep it."""

    def name(self) -> Text:
        return "action_receive_photo"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not is_real_photo(tracker):  # "ส่งรูปแล้วค่ะ" but no photo came
            dispatcher.utter_message(response="utter_photo_not_seen")
            return []
        number = tracker.get_slot(slots.EVIDENCE_TICKET)
        if not number:
            dispatcher.utter_message(response="utter_photo_before_complaint")
            return [SlotSet(slots.EVIDENCE, PHOTO)]
        sender = tracker.sender_id

        def attach(session: Session) -> Optional[int]:
            ticket = get_citizen_ticket(session, tracking_number=number, line_user_id=sender)
            if ticket is None:  # never someone else's ticket
                return None
            return link_pending(session, owner=owner_of(sender), ticket_id=ticket.id)

        try:
            linked = await asyncio.to_thread(in_transaction, attach)
        except SQLAlchemyError as exc:
            log_database_error(logger, "photo not linked", exc, sender)
            dispatcher.utter_message(response="utter_photo_not_linked")
            return []
        if linked is None:
            dispatcher.utter_message(response="utter_photo_before_complaint")
            return [SlotSet(slots.EVIDENCE_TICKET, None), SlotSet(slots.EVIDENCE, PHOTO)]
        dispatcher.utter_message(response="utter_photo_added_to_ticket", tracking_number=number)
        return []
