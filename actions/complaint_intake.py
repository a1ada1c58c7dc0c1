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
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions import facts
from actions.evidence import SKIPPED, EvidenceFormMixin
from actions.listening import (
    INFO_RESPONSES,
    RESUME_WORDS,
    ActionResumeComplaint,
    ActionStatusInForm,
    category_change,
    held_complaint,
    information_topic,
)
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
from cases.taxonomy import PLACE_BOUND_CATEGORIES, Category, SubjectType, category_from_intent

__all__ = [
    "ActionAskConfirmComplaint",
    "ActionResetComplaint",
    "ActionStartComplaint",
    "ValidateComplaintForm",
    "confirmation_from_answer",
    "province_from_answer",
]

PLACE_DETAIL = "place_detail"
EMERGENCY = "emergency"
OFFERED_PHONE = "offered_phone"
HELD_COMPLAINT = "held_complaint"
# Free-text questions whose answer is checked against the question (a question back,
# chit-chat, "บอกไปแล้ว" or a change of category is never stored).
CHECKED_ANSWERS = (slots.PROVINCE, slots.DESCRIPTION_DETAIL, slots.SUBJECT_NAME, slots.OCCURRED_TEXT)

# Intents of messages that say nothing about the complaint in progress.
NOT_ABOUT_THE_COMPLAINT = frozenset(
    {
        "check_status",
        "my_tickets",
        "help",
        "ask_information",
        "cancel",
        "ask_human",
        "resume_complaint",
        "report_problem",
    }
)

# Slots each editable field clears, so that the form asks just those again.
EDIT_CLEARS: dict[str, tuple[str, ...]] = {
    "description": (slots.DESCRIPTION_DETAIL,),
    "place": (slots.PROVINCE, slots.INDUSTRIAL_ESTATE, PLACE_DETAIL, *slots.LOCATION_SLOTS),
    "subject": (slots.SUBJECT_NAME, slots.SUBJECT_TYPE),
    "occurred": (slots.OCCURRED_TEXT,),
    "contact": (slots.ANONYMOUS, slots.PDPA_CONSENT, slots.CONSENT_AT, slots.CONTACT_PHONE, OFFERED_PHONE),
    CATEGORY_FIELD: (slots.CORRECTED_CATEGORY,),
}


def entity_value(tracker: Tracker, entity: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value else None


# Province names that are also everyday words ("ตอนนี้เลย", "ตากผ้า"): taken only when said as a place.
_WORD_PROVINCES = {
    "เลย": r"(?:จ\.|จังหวัด)\s*เลย|^\s*เลย\s*(?:ค่ะ|ครับ|คะ|นะ)?\s*$|เลย\s*\d{5}|อ\.\s*\S+\s+เลย(?:\s|$)",
    "ตาก": r"(?:จ\.|จังหวัด)\s*ตาก|^\s*ตาก\s*(?:ค่ะ|ครับ|คะ|นะ)?\s*$|แม่สอด",
}


def _previous_value(tracker: Tracker, name: str, *, other_than: Any) -> Any:
    """The slot's latest value other than ``other_than`` (set earlier in this turn or before)."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == name and event.get("value") != other_than:
            return event.get("value")
    return None


def _unambiguous_province(value: Optional[str], text: str) -> Optional[str]:
    province = normalise_province(value) if value else None
    if province in _WORD_PROVINCES and not re.search(_WORD_PROVINCES[province], text or ""):
        return None
    return province


def _named_entity(tracker: Tracker, said: facts.Facts) -> Optional[str]:
    """The NLU's subject_name entity, unless it is part of a place ("ธงชัย" of อ.ปักธงชัย)
    or a description rather than a name."""
    name = entity_value(tracker, "subject_name")
    if not name:
        return None
    text = (tracker.latest_message or {}).get("text") or ""
    if said.place_detail and name in said.place_detail:
        return None
    if re.search(r"(?:อ\.|อำเภอ|ต\.|ตำบล|จ\.|จังหวัด|เขต|แขวง)\s*\S*" + re.escape(name), text):
        return None
    if find_province(name) or facts.is_description_not_name(name):
        return None
    return name


def is_private_category(category: str | None) -> bool:
    return category == Category.CORRUPTION.value


class ActionStartComplaint(Action):
    """Remember what the citizen complained about, in their own words, and say it back."""

    def name(self) -> Text:
        return "action_start_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if tracker.get_slot(HELD_COMPLAINT) and RESUME_WORDS.search(text):
            # "เปลี่ยนใจค่ะ แจ้งก็ได้ เรื่องถังเคมีเมื่อกี้", read as a new complaint: the held one comes back.
            return await ActionResumeComplaint().run(dispatcher, tracker, domain)
        # A request for information (SME loans, licences) is answered, not made a complaint.
        if information_topic(text):
            dispatcher.utter_message(response=INFO_RESPONSES[information_topic(text)])
            return [FollowupAction("action_listen")]
        emergency = facts.is_emergency(text)
        if emergency:
            # Danger now: the numbers to call come first, before any question.
            dispatcher.utter_message(response="utter_emergency_first")
        else:
            # Unsure of the category: ask (actions/clarify.py) instead of guessing.
            asked = await clarify_instead_of_guessing(dispatcher, tracker, domain)
            if asked is not None:
                return asked
        intent = (message.get("intent") or {}).get("name")
        confidence = (message.get("intent") or {}).get("confidence")
        category = category_from_intent(intent) or Category.OTHER
        if emergency:
            category = Category.HAZARD
        said = facts.facts_from_text(text)

        # A location shared before the complaint still counts.
        province = (
            said.province
            or _unambiguous_province(entity_value(tracker, "province"), text)
            or province_from_address(tracker.get_slot(slots.ADDRESS))
        )
        tagged_estate = industrial_estate_or_none(entity_value(tracker, "industrial_estate"))
        estate = tagged_estate or find_industrial_estate(text)

        if not emergency:
            dispatcher.utter_message(response="utter_category_understood", category=category_name(category.value))
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
            SlotSet(slots.SUBJECT_NAME, said.subject_name or _named_entity(tracker, said)),
            SlotSet(
                slots.SUBJECT_TYPE,
                infer_subject_type(category.value, text) or (SubjectType.FACTORY.value if emergency else None),
            ),
            SlotSet(
                slots.OCCURRED_TEXT,
                said.occurred or entity_value(tracker, "date") or occurred_from_text(text),
            ),
            SlotSet(PLACE_DETAIL, said.place_detail),
            SlotSet(EMERGENCY, True if emergency else None),
            SlotSet(OFFERED_PHONE, said.phone),
            SlotSet(slots.EVIDENCE, SKIPPED if said.no_photo else tracker.get_slot(slots.EVIDENCE)),
            SlotSet(HELD_COMPLAINT, None),
            SlotSet("consent_asked", None),
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
    if tracker.get_slot(EMERGENCY) is True:
        # Danger now: only where and what; the rest would only delay the officers.
        if tracker.get_slot(slots.EDIT_REQUESTED):
            required.append(slots.EDIT_FIELD)
        if editing in ("subject", "occurred", "contact"):
            required += {
                "subject": [slots.SUBJECT_NAME, slots.SUBJECT_TYPE],
                "occurred": [slots.OCCURRED_TEXT],
                "contact": [slots.PDPA_CONSENT, slots.CONTACT_PHONE],
            }[editing]
        required.append(slots.CONFIRM_COMPLAINT)
        return required
    required += [slots.SUBJECT_NAME, slots.SUBJECT_TYPE, slots.OCCURRED_TEXT]
    required.append(slots.EVIDENCE)  # photos: asked once, never after one came (evidence.py)
    if anonymous is not True:
        required.append(slots.PDPA_CONSENT)
        if tracker.get_slot(slots.PDPA_CONSENT) is True and not tracker.get_slot(OFFERED_PHONE):
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

    # -- every fact from every message -------------------------------------------------------

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Facts heard in this message fill their (empty) slots before the open question's
        answer is validated; slots the form does not ask (place detail, a phone said before
        consent, a new category) are returned beside the validated ones."""
        text = _latest_text(tracker)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if (
            facts.is_status_request(text)
            and intent not in ("check_status", "my_tickets")
            and tracker.get_slot("requested_slot") in CHECKED_ANSWERS
        ):
            # "เรื่องที่ผมแจ้งไปเมื่อกี้ถึงไหนแล้วครับ จำเลขไม่ได้": answered, the question asked on.
            await ActionStatusInForm().run(dispatcher, tracker, domain)
        heard = self._facts_heard(dispatcher, tracker)
        tracker.add_slots([SlotSet(name, value) for name, value in heard.items()])
        events = await super().get_validation_events(dispatcher, tracker, domain)
        validated = {e.get("name") for e in events if e.get("event") == "slot"}
        return list(events) + [SlotSet(n, v) for n, v in heard.items() if n not in validated]

    def _facts_heard(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if not text.strip() or is_payload(text) or not tracker.get_slot(slots.COMPLAINT_CATEGORY):
            return {}
        intent = (message.get("intent") or {}).get("name")
        if intent in NOT_ABOUT_THE_COMPLAINT and (
            intent not in ("check_status", "my_tickets") or facts.is_status_request(text)
        ):
            return {}  # "เรื่องที่แจ้งไปเมื่อกี้ถึงไหนแล้ว": its "เมื่อกี้" is no time of this complaint
        if facts.answer_problem(text) in ("status", "chitchat") or RESUME_WORDS.search(text):
            return {}  # "กลับมาแล้ว ต่อเรื่องเมื่อกี้": its "เมื่อกี้" is no time of this complaint
        found: Dict[Text, Any] = {}
        switched = category_change(tracker)
        if switched:
            found[slots.COMPLAINT_CATEGORY] = switched
            dispatcher.utter_message(response="utter_category_understood", category=category_name(switched))
        said = facts.facts_from_text(text)
        requested = tracker.get_slot("requested_slot")

        def empty(name: str) -> bool:
            # The open question's slot too, when its answer was not taken as text (an answer
            # the NLU read as goodbye: "วันจันทร์ที่แล้วครับ").
            return tracker.get_slot(name) in (None, "")

        if said.occurred and empty(slots.OCCURRED_TEXT):
            found[slots.OCCURRED_TEXT] = said.occurred
        if said.subject_name and empty(slots.SUBJECT_NAME):
            found[slots.SUBJECT_NAME] = said.subject_name
        if said.province and empty(slots.PROVINCE):
            found[slots.PROVINCE] = said.province
        if said.place_detail:
            held = tracker.get_slot(PLACE_DETAIL) or ""
            if said.place_detail not in held:
                found[PLACE_DETAIL] = f"{held} {said.place_detail}".strip()[:256]
        if said.phone and not tracker.get_slot(slots.CONTACT_PHONE):
            found[OFFERED_PHONE] = said.phone
        if said.no_photo and empty(slots.EVIDENCE):
            found[slots.EVIDENCE] = SKIPPED
        if not tracker.get_slot(slots.SUBJECT_TYPE):
            inferred = infer_subject_type(None, text)
            if inferred and requested != slots.SUBJECT_TYPE:
                found[slots.SUBJECT_TYPE] = inferred
        return found

    def _not_an_answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[str]:
        """Why the latest message is not an answer to the open question (said so to the
        citizen, who is asked again), or None when it may be stored."""
        text = _latest_text(tracker)
        if category_change(tracker) or slots.COMPLAINT_CATEGORY in tracker.slots_to_validate():
            return "category"
        problem = facts.answer_problem(text)
        if problem == "identity":
            dispatcher.utter_message(response="utter_identity_protected")
        elif problem == "question":
            dispatcher.utter_message(response="utter_answer_later")
        elif problem == "chitchat":
            dispatcher.utter_message(response="utter_continue_complaint")
        return problem

    # -- place -------------------------------------------------------------------------------

    def validate_province(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == slots.UNKNOWN_PROVINCE:
            return {slots.PROVINCE: value}
        if isinstance(value, str) and not _unambiguous_province(value, _latest_text(tracker)):
            # "ตอนนี้เลย" tagged as the province เลย: keep what was known before.
            if normalise_province(value) and tracker.get_slot("requested_slot") != slots.PROVINCE:
                return {slots.PROVINCE: _previous_value(tracker, slots.PROVINCE, other_than=value)}
        if value is None or not str(value).strip():
            return {slots.PROVINCE: None}  # nothing said yet (e.g. the form just started)
        if tracker.get_slot("requested_slot") == slots.PROVINCE and self._not_an_answer(dispatcher, tracker) in (
            "identity",
            "question",
            "chitchat",
            "category",
            "status",
        ):
            return {slots.PROVINCE: None}
        province = province_from_answer(str(value))
        if province in (None, slots.UNKNOWN_PROVINCE) and facts.province_of(str(value)):
            province = facts.province_of(str(value))  # "แถวมหาชัยค่ะ": the locality's province
        if province is None:
            guessed = facts.guess_province(str(value))
            if guessed:
                dispatcher.utter_message(response="utter_province_guessed", province=guessed)
                return {slots.PROVINCE: guessed}
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
        if self._not_an_answer(dispatcher, tracker) in ("identity", "question", "chitchat", "status"):
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
        if tracker.get_slot("requested_slot") == slots.SUBJECT_NAME and isinstance(value, str):
            if self._not_an_answer(dispatcher, tracker):
                return {slots.SUBJECT_NAME: None}
            if facts.is_description_not_name(value) or facts.is_dont_know(value) and facts.subject_name(value) is None:
                # "ไม่รู้ชื่อค่ะ โรงงานหลังวัด มีปล่องควันสูงๆ": kept in the description, not as a name.
                result: Dict[Text, Any] = {slots.SUBJECT_NAME: slots.NOT_GIVEN}
                if not facts.is_dont_know(value) or len(value.strip()) > 20:
                    text = f"{tracker.get_slot(slots.COMPLAINT_TEXT) or ''} {value.strip()}".strip()
                    result[slots.COMPLAINT_TEXT] = text
                return result
            value = facts.subject_name(value) or value
        name = optional_text_from_answer(value)
        result = {slots.SUBJECT_NAME: name}
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
        if tracker.get_slot("requested_slot") == slots.OCCURRED_TEXT and isinstance(value, str):
            phrase = facts.occurred_phrase(value)
            problem = self._not_an_answer(dispatcher, tracker)
            if problem == "already_said" and phrase:
                return {slots.OCCURRED_TEXT: phrase}
            if problem:
                return {slots.OCCURRED_TEXT: None}
            if phrase and len(value.strip()) > 40:
                return {slots.OCCURRED_TEXT: phrase}
            if not phrase and facts.is_dont_know(value) and len(value.strip()) <= 30:
                return {slots.OCCURRED_TEXT: slots.NOT_GIVEN}  # "ข้ามครับ", "จำไม่ได้ค่ะ"
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
        typed_phone = facts.phone_in(value) if isinstance(value, str) else None
        if typed_phone:  # "ได้ค่ะ โทรมาที่ 089-765-4321 นะคะ": consent and the number at once
            consent = True
        if consent is None:
            if value is not None:
                dispatcher.utter_message(response="utter_wrong_yes_no")
            return {slots.PDPA_CONSENT: None}
        if consent:
            result = {
                slots.PDPA_CONSENT: True,
                slots.ANONYMOUS: False,
                slots.CONSENT_AT: datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            phone = typed_phone or tracker.get_slot(OFFERED_PHONE)
            if phone:
                result[slots.CONTACT_PHONE] = phone
            return result
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
        if isinstance(value, str) and _DECLINES_CALL.search(value) and not facts.phone_in(value):
            return {slots.CONTACT_PHONE: slots.NOT_GIVEN, slots.ANONYMOUS: True}
        phone = phone_from_answer(value)
        if phone is None:
            if value is not None:
                near = facts.almost_phone(value) if isinstance(value, str) else None
                response = {"short": "utter_phone_digit_missing", "long": "utter_phone_digit_extra"}
                dispatcher.utter_message(response=response.get(near or "", "utter_wrong_contact_phone"))
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


# "ไม่เอาดีกว่าค่ะ ไม่ต้องโทรมา": no number after all (the complaint is filed anonymously).
_DECLINES_CALL = re.compile(r"ไม่\s*เอา|ไม่\s*ต้อง\s*โทร|ไม่\s*สะดวก|ไม่\s*ให้|ไม่\s*ขอ\s*ให้|ไม่ดีกว่า")


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
    return bool(said_province) and bool(re.search(r"แก้|เปลี่ยน|ไม่ใช่|ผิด|จังหวัด", text))


class ActionAskConfirmComplaint(Action):
    """Summarises the complaint and asks the citizen to confirm, edit or cancel it."""

    def name(self) -> Text:
        return "action_ask_confirm_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        province = tracker.get_slot(slots.PROVINCE)
        if province == slots.UNKNOWN_PROVINCE:
            province = None
        place = place_summary(
            province,
            industrial_estate_or_none(tracker.get_slot(slots.INDUSTRIAL_ESTATE)),
            tracker.get_slot(slots.ADDRESS),
            detail=tracker.get_slot(PLACE_DETAIL),
        )
        values = {
            "category": category_name(tracker.get_slot(slots.COMPLAINT_CATEGORY)),
            "description": _shown(tracker.get_slot(slots.COMPLAINT_TEXT)),  # Flex text: never empty
            "subject": subject_summary(tracker.get_slot(slots.SUBJECT_NAME), tracker.get_slot(slots.SUBJECT_TYPE)),
            "occurred": _shown(tracker.get_slot(slots.OCCURRED_TEXT)),
            "contact": contact_summary(
                tracker.get_slot(slots.ANONYMOUS),
                tracker.get_slot(slots.CONTACT_PHONE),
                # A label inside the summary ("การติดต่อกลับ: ไม่ประสงค์ออกนาม"), not a sentence.
                anonymous_label=response_text(domain, "utter_contact_anonymous").removesuffix("ค่ะ"),
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

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        held = held_complaint(tracker)
        if held.get(slots.COMPLAINT_CATEGORY):
            # Kept for "เปลี่ยนใจ" (action_resume_complaint); a new complaint drops it.
            dispatcher.utter_message(response="utter_complaint_held")
        else:
            dispatcher.utter_message(response="utter_complaint_cancelled")
        events = slots.reset_complaint()
        events += [SlotSet(name, None) for name in (PLACE_DETAIL, EMERGENCY, OFFERED_PHONE)]
        return events + [SlotSet(HELD_COMPLAINT, held or None)]
