"""Starting a complaint and the complaint form: ask only what is missing, confirm, edit.

Slots, in the order asked (each only when still empty; see ValidateComplaintForm.required_slots):
anonymous (corruption only, before anything personal), description_detail (when the first
message is short), province (place-bound categories, unless an industrial estate or a LINE
location gave it), subject_name, subject_type (unless obvious), occurred_text, pdpa_consent
and contact_phone (skipped when anonymous), edit_field (after "แก้ไข"), confirm_complaint;
corrected_category comes first after "ประเภทเรื่อง" (actions/category_correction.py).
The location slots (latitude, longitude, address) are never asked: a LINE location message
fills them at any time, and the province is derived from its address.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.evidence import EvidenceFormMixin
from actions.category_correction import CATEGORY_FIELD, announce_category, correct_category
from actions.clarify import clarify_instead_of_guessing
from actions.intake_answers import (
    MIN_DESCRIPTION_CHARS,
    anonymity_from_answer,
    confirmation_from_answer,
    consent_from_answer,
    edit_field_from_answer,
    infer_subject_type,
    is_payload,
    occurred_from_text,
    optional_text_from_answer,
    phone_from_answer,
    province_from_address,
    province_from_answer,
    subject_type_from_answer,
)
from actions.presentation import (
    category_name,
    contact_summary,
    place_summary,
    response_text,
    subject_summary,
)
from cases.places import (
    find_industrial_estate,
    find_province,
    industrial_estate_or_none,
    normalise_province,
)
from cases.taxonomy import PLACE_BOUND_CATEGORIES, Category, category_from_intent

__all__ = [
    "ActionAskConfirmComplaint",
    "ActionResetComplaint",
    "ActionStartComplaint",
    "ValidateComplaintForm",
    "confirmation_from_answer",
    "province_from_answer",
]

# Slots each editable field clears, so that the form asks just those again.
EDIT_CLEARS: dict[str, tuple[str, ...]] = {
    "description": (slots.DESCRIPTION_DETAIL,),
    "place": (slots.PROVINCE, slots.INDUSTRIAL_ESTATE, *slots.LOCATION_SLOTS),
    "subject": (slots.SUBJECT_NAME, slots.SUBJECT_TYPE),
    "occurred": (slots.OCCURRED_TEXT,),
    "contact": (slots.ANONYMOUS, slots.PDPA_CONSENT, slots.CONSENT_AT, slots.CONTACT_PHONE),
    CATEGORY_FIELD: (slots.CORRECTED_CATEGORY,),
}


def entity_value(tracker: Tracker, entity: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value else None


def is_private_category(category: str | None) -> bool:
    return category == Category.CORRUPTION.value


class ActionStartComplaint(Action):
    """Remember what the citizen complained about, in their own words, and say it back."""

    def name(self) -> Text:
        return "action_start_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # Unsure of the category: ask (actions/clarify.py) instead of guessing.
        asked = await clarify_instead_of_guessing(dispatcher, tracker, domain)
        if asked is not None:
            return asked
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        confidence = (message.get("intent") or {}).get("confidence")
        text = message.get("text") or ""
        category = category_from_intent(intent) or Category.OTHER

        # A location shared before the complaint still counts.
        province = (
            normalise_province(entity_value(tracker, "province"))
            or find_province(text)
            or province_from_address(tracker.get_slot(slots.ADDRESS))
        )
        tagged_estate = industrial_estate_or_none(entity_value(tracker, "industrial_estate"))
        estate = tagged_estate or find_industrial_estate(text)

        dispatcher.utter_message(
            response="utter_category_understood", category=category_name(category.value)
        )
        if is_private_category(category.value):
            dispatcher.utter_message(response="utter_corruption_privacy")
        return [
            SlotSet(slots.COMPLAINT_CATEGORY, category.value),
            SlotSet(slots.COMPLAINT_ID, uuid.uuid4().hex),
            SlotSet(slots.COMPLAINT_TEXT, text),
            SlotSet(slots.NLU_INTENT, intent),
            SlotSet(slots.NLU_CONFIDENCE, confidence),
            SlotSet(slots.PROVINCE, province),
            SlotSet(slots.INDUSTRIAL_ESTATE, estate),
            SlotSet(slots.SUBJECT_NAME, entity_value(tracker, "subject_name")),
            SlotSet(slots.SUBJECT_TYPE, infer_subject_type(category.value, text)),
            SlotSet(slots.OCCURRED_TEXT, entity_value(tracker, "date") or occurred_from_text(text)),
            SlotSet(slots.DESCRIPTION_DETAIL, None),
            SlotSet(slots.ANONYMOUS, None),
            SlotSet(slots.PDPA_CONSENT, None),
            SlotSet(slots.CONSENT_AT, None),
            SlotSet(slots.CONTACT_PHONE, None),
            SlotSet(slots.EDIT_REQUESTED, None),
            SlotSet(slots.EDIT_FIELD, None),
            SlotSet(slots.CONFIRM_COMPLAINT, None),
        ]


def complaint_required_slots(tracker: Tracker) -> List[Text]:
    """The slots this complaint still needs, in the order they are asked (pure)."""
    category = tracker.get_slot(slots.COMPLAINT_CATEGORY)
    editing = tracker.get_slot(slots.EDIT_FIELD)
    anonymous = tracker.get_slot(slots.ANONYMOUS)
    required: List[Text] = [s for s in slots.LOCATION_SLOTS if tracker.get_slot(s) is not None]
    if editing == CATEGORY_FIELD:
        required.append(slots.CORRECTED_CATEGORY)  # first: what is asked next depends on it
    if is_private_category(category):
        required.append(slots.ANONYMOUS)  # offered before anything personal is asked
    text = tracker.get_slot(slots.COMPLAINT_TEXT) or ""
    if len(text.strip()) < MIN_DESCRIPTION_CHARS or editing == "description":
        required.append(slots.DESCRIPTION_DETAIL)
    place_bound = category in {c.value for c in PLACE_BOUND_CATEGORIES}
    estate = industrial_estate_or_none(tracker.get_slot(slots.INDUSTRIAL_ESTATE))
    if (place_bound and not estate) or editing == "place":
        required.append(slots.PROVINCE)
    required += [slots.SUBJECT_NAME, slots.SUBJECT_TYPE, slots.OCCURRED_TEXT]
    required.append(slots.EVIDENCE)  # photos: asked once, never after one came (evidence.py)
    if anonymous is not True:
        required.append(slots.PDPA_CONSENT)
        if tracker.get_slot(slots.PDPA_CONSENT) is True:
            required.append(slots.CONTACT_PHONE)
    if tracker.get_slot(slots.EDIT_REQUESTED):
        required.append(slots.EDIT_FIELD)
    required.append(slots.CONFIRM_COMPLAINT)
    return required


def _latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


class ValidateComplaintForm(EvidenceFormMixin, FormValidationAction):
    """One validate_<slot> per question; a failed check names a response and clears the slot."""

    def name(self) -> Text:
        return "validate_complaint_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        return complaint_required_slots(tracker)

    # -- place -------------------------------------------------------------------------------

    def validate_province(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == slots.UNKNOWN_PROVINCE:
            return {slots.PROVINCE: value}
        if value is None or not str(value).strip():
            return {slots.PROVINCE: None}  # nothing said yet (e.g. the form just started)
        province = province_from_answer(str(value))
        if province is None:
            dispatcher.utter_message(response="utter_wrong_province")
        return {slots.PROVINCE: province}

    def validate_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A LINE location: keep the address and take its province (a correction wins)."""
        if not value:
            return {}
        result: Dict[Text, Any] = {slots.ADDRESS: str(value)[:512]}
        province = province_from_address(str(value))
        if province:
            result[slots.PROVINCE] = province
        estate = find_industrial_estate(str(value))
        if estate:
            result[slots.INDUSTRIAL_ESTATE] = estate
        return result

    def validate_latitude(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {slots.LATITUDE: _coordinate(value, 90)}

    def validate_longitude(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {slots.LONGITUDE: _coordinate(value, 180)}

    # -- what happened -----------------------------------------------------------------------

    def validate_description_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not isinstance(value, str) or not value.strip() or is_payload(value):
            return {slots.DESCRIPTION_DETAIL: None}
        detail = value.strip()
        if tracker.get_slot(slots.EDIT_FIELD) == "description":
            text = detail  # the citizen rewrote the description
        else:
            text = f"{tracker.get_slot(slots.COMPLAINT_TEXT) or ''} {detail}".strip()
        return {slots.DESCRIPTION_DETAIL: detail, slots.COMPLAINT_TEXT: text}

    def validate_subject_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if _is_province_correction(tracker):
            return {slots.SUBJECT_NAME: None}  # the answer corrected the place; ask again
        name = optional_text_from_answer(value)
        result: Dict[Text, Any] = {slots.SUBJECT_NAME: name}
        if name and name != slots.NOT_GIVEN and not tracker.get_slot(slots.SUBJECT_TYPE):
            inferred = infer_subject_type(None, name)
            if inferred:
                result[slots.SUBJECT_TYPE] = inferred
        return result

    def validate_subject_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {slots.SUBJECT_TYPE: None}
        subject_type = subject_type_from_answer(str(value))
        if subject_type is None:
            dispatcher.utter_message(response="utter_wrong_subject_type")
        return {slots.SUBJECT_TYPE: subject_type}

    def validate_occurred_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if _is_province_correction(tracker):
            return {slots.OCCURRED_TEXT: None}
        return {slots.OCCURRED_TEXT: optional_text_from_answer(value, max_chars=128)}

    # -- who is complaining ------------------------------------------------------------------

    def validate_anonymous(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        anonymous = anonymity_from_answer(value)
        if anonymous is None and value is not None:
            dispatcher.utter_message(response="utter_wrong_yes_no")
        if anonymous:
            return {slots.ANONYMOUS: True, slots.PDPA_CONSENT: None, slots.CONTACT_PHONE: None}
        return {slots.ANONYMOUS: anonymous}

    def validate_pdpa_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        consent = consent_from_answer(value)
        if consent is None:
            if value is not None:
                dispatcher.utter_message(response="utter_wrong_yes_no")
            return {slots.PDPA_CONSENT: None}
        if consent:
            return {
                slots.PDPA_CONSENT: True,
                slots.ANONYMOUS: False,
                slots.CONSENT_AT: datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
        # Declined: no personal data; the complaint is still filed, anonymously.
        return {
            slots.PDPA_CONSENT: False,
            slots.ANONYMOUS: True,
            slots.CONSENT_AT: None,
            slots.CONTACT_PHONE: None,
        }

    def validate_contact_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot(slots.PDPA_CONSENT) is not True:
            return {slots.CONTACT_PHONE: None}  # never keep a number without consent
        phone = phone_from_answer(value)
        if phone is None:
            if value is not None:
                dispatcher.utter_message(response="utter_wrong_contact_phone")
            return {slots.CONTACT_PHONE: None}
        if phone == slots.NOT_GIVEN:
            return {slots.CONTACT_PHONE: slots.NOT_GIVEN, slots.ANONYMOUS: True}
        return {slots.CONTACT_PHONE: phone, slots.ANONYMOUS: False}

    # -- confirmation and editing ------------------------------------------------------------

    def validate_confirm_complaint(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        answer = confirmation_from_answer(value)
        if answer == slots.EDIT:
            return {
                slots.CONFIRM_COMPLAINT: None,
                slots.EDIT_REQUESTED: True,
                slots.EDIT_FIELD: None,
            }
        return {slots.CONFIRM_COMPLAINT: answer}

    async def validate_corrected_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return await correct_category(value, dispatcher, tracker, domain)

    def validate_edit_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        field = edit_field_from_answer(value)
        if field is None:
            if value is not None:
                dispatcher.utter_message(response="utter_wrong_edit_field")
            return {slots.EDIT_FIELD: None}
        result: Dict[Text, Any] = {slots.EDIT_FIELD: field, slots.EDIT_REQUESTED: None}
        result.update({name: None for name in EDIT_CLEARS[field]})
        if field == "description":
            result[slots.COMPLAINT_TEXT] = ""
        return result


def _coordinate(value: Any, limit: float) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -limit <= number <= limit else None


def _is_province_correction(tracker: Tracker) -> bool:
    """The citizen corrected the province ("ไม่ใช่ชลบุรี เป็นระยองค่ะ") instead of answering."""
    if tracker.get_slot("requested_slot") == slots.PROVINCE:
        return False
    text = _latest_text(tracker)
    said_province = entity_value(tracker, "province") or find_province(text)
    return bool(said_province) and bool(
        re.search(r"แก้|เปลี่ยน|ไม่ใช่|ผิด|จังหวัด", text)
    )


class ActionAskConfirmComplaint(Action):
    """Summarises the complaint and asks the citizen to confirm, edit or cancel it."""

    def name(self) -> Text:
        return "action_ask_confirm_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        province = tracker.get_slot(slots.PROVINCE)
        if province == slots.UNKNOWN_PROVINCE:
            province = None
        place = place_summary(
            province,
            industrial_estate_or_none(tracker.get_slot(slots.INDUSTRIAL_ESTATE)),
            tracker.get_slot(slots.ADDRESS),
        )
        values = {
            "category": category_name(tracker.get_slot(slots.COMPLAINT_CATEGORY)),
            "description": _shown(tracker.get_slot(slots.COMPLAINT_TEXT)),  # Flex text: never empty
            "subject": subject_summary(
                tracker.get_slot(slots.SUBJECT_NAME), tracker.get_slot(slots.SUBJECT_TYPE)
            ),
            "occurred": _shown(tracker.get_slot(slots.OCCURRED_TEXT)),
            "contact": contact_summary(
                tracker.get_slot(slots.ANONYMOUS),
                tracker.get_slot(slots.CONTACT_PHONE),
                anonymous_label=response_text(domain, "utter_contact_anonymous"),
            ),
        }
        if tracker.get_slot(slots.EDIT_FIELD) == CATEGORY_FIELD:
            announce_category(dispatcher, tracker)  # the new category and where it now goes
        if place:
            dispatcher.utter_message(response="utter_confirm_complaint", place=place, **values)
        else:
            dispatcher.utter_message(response="utter_confirm_complaint_no_place", **values)
        # Marks the summary as private: the gateway keeps it out of LINE group chats.
        dispatcher.utter_message(json_message={"idee_private_previous": True})
        return [SlotSet(slots.EDIT_FIELD, None)]


def _shown(value: Any) -> str:
    return "-" if value in (None, "", slots.NOT_GIVEN) else str(value)


class ActionResetComplaint(Action):
    """Drops the complaint in progress (the citizen cancelled)."""

    def name(self) -> Text:
        return "action_reset_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_complaint_cancelled")
        return slots.reset_complaint()
