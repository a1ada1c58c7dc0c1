"""Turning a confirmed complaint into a routed ticket."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction
from actions.complaint_intake import ActionAskConfirmComplaint
from actions.evidence import file_with_evidence
from actions.factory_match import offer_factories
from actions.long_text import with_whole_texts
from actions.model_version import model_id_of
from actions.presentation import agency_name
from cases.places import industrial_estate_or_none
from cases.privacy import pseudonym
from cases.repository import TicketDraft
from cases.taxonomy import Category, Priority, SubjectType

logger = logging.getLogger(__name__)

COMPLAINT_FORM = "complaint_form"
REQUESTED_SLOT = "requested_slot"
ACTION_LISTEN = "action_listen"


def _given(value: Any) -> Any:
    """None for empty answers and the "not given" marker."""
    return None if value in (None, "", slots.NOT_GIVEN) else value


def _float(value: Any) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _consent_time(tracker: Tracker) -> Optional[datetime]:
    if tracker.get_slot(slots.PDPA_CONSENT) is not True:
        return None
    raw = tracker.get_slot(slots.CONSENT_AT)
    try:
        return datetime.fromisoformat(raw) if raw else datetime.now(timezone.utc)
    except (TypeError, ValueError):
        return datetime.now(timezone.utc)


def draft_from_tracker(tracker: Tracker) -> TicketDraft:
    province = tracker.get_slot(slots.PROVINCE)
    try:
        category = Category(tracker.get_slot(slots.COMPLAINT_CATEGORY))
    except ValueError:
        category = Category.OTHER
    try:
        subject_type = SubjectType(tracker.get_slot(slots.SUBJECT_TYPE))
    except ValueError:
        subject_type = SubjectType.UNKNOWN
    confidence = tracker.get_slot(slots.NLU_CONFIDENCE)
    consent_at = _consent_time(tracker)
    anonymous = tracker.get_slot(slots.ANONYMOUS) is True or consent_at is None
    # Personal data only with consent: no consent, no phone.
    phone = None if anonymous else _given(tracker.get_slot(slots.CONTACT_PHONE))
    return TicketDraft(
        category=category,
        # Messages cut for the NLU are kept whole in the ticket (actions/long_text.py).
        description=with_whole_texts(tracker.get_slot(slots.COMPLAINT_TEXT) or "", tracker.events),
        province=None if province in (None, slots.UNKNOWN_PROVINCE) else province,
        industrial_estate=industrial_estate_or_none(tracker.get_slot(slots.INDUSTRIAL_ESTATE)),
        subject_type=subject_type,
        subject_name=_given(tracker.get_slot(slots.SUBJECT_NAME)),
        line_user_id=tracker.sender_id,
        nlu_intent=tracker.get_slot(slots.NLU_INTENT),
        nlu_confidence=float(confidence) if confidence is not None else None,
        nlu_model_version=model_id_of(tracker),
        conversation_id=tracker.sender_id,
        occurred_text=_given(tracker.get_slot(slots.OCCURRED_TEXT)),
        latitude=_float(tracker.get_slot(slots.LATITUDE)),
        longitude=_float(tracker.get_slot(slots.LONGITUDE)),
        address=_given(tracker.get_slot(slots.ADDRESS)),
        place_detail=_given(tracker.get_slot("place_detail")),
        contact_phone=phone,
        anonymous=anonymous,
        consent_at=consent_at if not anonymous else None,
        submission_key=_given(tracker.get_slot(slots.COMPLAINT_ID)),
    )


def back_to_confirmation() -> List[EventType]:
    """The complaint could not be stored: keep every slot and make the form wait for the
    answer to the confirmation again (the summary is shown by the caller).

    The form is active again with ``requested_slot`` = ``confirm_complaint`` and Rasa listens
    (not the form at once: without a user message it would not validate, and the dynamic
    required slots come from the validation action). The citizen's next confirmation
    completes the form and the rule submits again with the same ``complaint_id``: the
    submission key files the ticket once, even if this attempt was in fact committed before
    the connection broke.
    """
    return [
        SlotSet(slots.CONFIRM_COMPLAINT, None),
        ActiveLoop(COMPLAINT_FORM),
        SlotSet(REQUESTED_SLOT, slots.CONFIRM_COMPLAINT),
        FollowupAction(ACTION_LISTEN),
    ]


class ActionSubmitComplaint(Action):
    def name(self) -> Text:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot(slots.CONFIRM_COMPLAINT) is not True:
            dispatcher.utter_message(response="utter_complaint_cancelled")
            return slots.reset_complaint()

        draft = draft_from_tracker(tracker)

        def store(session):  # type: ignore[no-untyped-def]
            # Linked to an open case it duplicates, with the photos sent so far (evidence.py).
            return file_with_evidence(session, draft=draft, sender_id=tracker.sender_id)

        try:
            submitted = await asyncio.to_thread(in_transaction, store)
        except SQLAlchemyError as exc:
            # The class only: SQLAlchemy's message can carry the INSERT's parameters (the phone).
            logger.error(
                "ticket not stored for %s (%s); the complaint is kept and confirmation asked again",
                pseudonym(tracker.sender_id),
                type(exc).__name__,
            )
            dispatcher.utter_message(response="utter_ticket_not_stored_kept")
            asked = await ActionAskConfirmComplaint().run(dispatcher, tracker, domain)
            return [*asked, *back_to_confirmation()]

        tracking_number, agency, priority = submitted.tracking_number, submitted.agency, submitted.priority
        logger.info(
            "ticket %s created: category=%s agency=%s anonymous=%s contact=%s for %s",
            tracking_number,
            draft.category.value,
            agency,
            draft.anonymous,
            "phone" if draft.contact_phone else "-",  # never the number itself
            pseudonym(tracker.sender_id),
        )
        response = "utter_ticket_created_urgent" if priority == Priority.URGENT.value else "utter_ticket_created"
        if submitted.case_tracking_number:  # the case is already open: the citizen joins it
            urgent = priority == Priority.URGENT.value
            dispatcher.utter_message(
                response="utter_duplicate_linked_urgent" if urgent else "utter_duplicate_linked",
                tracking_number=tracking_number,
                case_tracking_number=submitted.case_tracking_number,
                agency_name=agency_name(submitted.case_agency or agency),
            )
        else:
            dispatcher.utter_message(
                response=response, tracking_number=tracking_number, agency_name=agency_name(agency)
            )
        if submitted.photos:
            dispatcher.utter_message(response="utter_photos_attached", count=submitted.photos)
        # The registry's best candidates for the subject, offered once the complaint is safe:
        # a pick links the ticket (action_store_factory_pick), no pick changes nothing.
        offered = [] if draft.category == Category.CORRUPTION else offer_factories(dispatcher, tracker, domain)
        return [SlotSet(slots.EVIDENCE_TICKET, tracking_number), *session_after_filing(tracking_number, offered)]


def session_after_filing(tracking_number: str, offered: List[EventType]) -> List[EventType]:
    """A new Rasa session once the ticket is filed, keeping only what may follow the filing.

    Rasa loads a conversation from its latest ``session_started`` event, then replays,
    copies and featurises every event of that session for each prediction and sends them all
    to the action server on each custom action call, so a citizen's every earlier complaint
    made each message dearer. The complaint itself is in the case database now; what the
    conversation still needs is the ticket a later photo or factory pick goes to and the
    factories just offered (``offered``: its slot events). ``session_started`` clears every
    other slot, so nothing of this complaint reaches the next one; after it Rasa listens,
    as after any session start. The ``evidence_ticket`` slot set before it (by the caller) is
    the end of this complaint's conversation for the console's transcript.
    """
    return [SessionStarted(), SlotSet(slots.EVIDENCE_TICKET, tracking_number), *offered]
