"""Starting a complaint and validating the complaint form."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.presentation import category_name, place_summary
from cases.places import find_industrial_estate, find_province, normalise_province
from cases.taxonomy import PLACE_BOUND_CATEGORIES, Category, category_from_intent

_DONT_KNOW = re.compile(r"ไม่\s*(ทราบ|รู้|แน่ใจ|ระบุ|สะดวก)|ไม่รู้|ไม่ทราบ|ไม่แน่ใจ")
_YES = re.compile(r"^\s*(ยืนยัน|ใช่|ตกลง|โอเค|ok|okay|yes|ถูกต้อง|แจ้งเลย|ได้เลย)", re.IGNORECASE)
_NO = re.compile(r"^\s*(ไม่|ยกเลิก|no|cancel)", re.IGNORECASE)


def entity_value(tracker: Tracker, entity: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value else None


class ActionStartComplaint(Action):
    """Remember what the citizen complained about, in their own words, and say it back."""

    def name(self) -> Text:
        return "action_start_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        confidence = (message.get("intent") or {}).get("confidence")
        text = message.get("text") or ""
        category = category_from_intent(intent) or Category.OTHER

        province = normalise_province(entity_value(tracker, "province")) or find_province(text)
        estate = entity_value(tracker, "industrial_estate") or find_industrial_estate(text)

        dispatcher.utter_message(
            response="utter_category_understood", category=category_name(category.value)
        )
        return [
            SlotSet(slots.COMPLAINT_CATEGORY, category.value),
            SlotSet(slots.COMPLAINT_TEXT, text),
            SlotSet(slots.NLU_INTENT, intent),
            SlotSet(slots.NLU_CONFIDENCE, confidence),
            SlotSet(slots.PROVINCE, province),
            SlotSet(slots.INDUSTRIAL_ESTATE, estate),
            SlotSet(slots.CONFIRM_COMPLAINT, None),
        ]


def province_from_answer(text: str | None) -> Optional[str]:
    """An answer to "which province?": the official name, UNKNOWN_PROVINCE, or None if unclear."""
    if not text:
        return None
    official = normalise_province(text) or find_province(text)
    if official:
        return official
    if _DONT_KNOW.search(text):
        return slots.UNKNOWN_PROVINCE
    return None


def confirmation_from_answer(value: Any) -> Optional[bool]:
    """True/False from the affirm/deny intents or from typed words; None when unclear."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    if _NO.search(value):
        return False
    if _YES.search(value):
        return True
    return None


class ValidateComplaintForm(FormValidationAction):
    """Asks for the province only when routing needs it; checks the province and the confirmation."""

    def name(self) -> Text:
        return "validate_complaint_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        category = tracker.get_slot(slots.COMPLAINT_CATEGORY)
        needs_place = category in {c.value for c in PLACE_BOUND_CATEGORIES}
        if not needs_place or tracker.get_slot(slots.INDUSTRIAL_ESTATE):
            return [s for s in domain_slots if s != slots.PROVINCE]
        return domain_slots

    def validate_province(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value == slots.UNKNOWN_PROVINCE:
            return {slots.PROVINCE: value}
        if value is None or not str(value).strip():
            return {slots.PROVINCE: None}  # nothing said yet (e.g. the form just started)
        province = province_from_answer(str(value) if value else None)
        if province is None:
            dispatcher.utter_message(response="utter_wrong_province")
        return {slots.PROVINCE: province}

    def validate_confirm_complaint(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {slots.CONFIRM_COMPLAINT: confirmation_from_answer(value)}


class ActionAskConfirmComplaint(Action):
    """Summarises the complaint and asks the citizen to confirm it."""

    def name(self) -> Text:
        return "action_ask_confirm_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        province = tracker.get_slot(slots.PROVINCE)
        if province == slots.UNKNOWN_PROVINCE:
            province = None
        place = place_summary(province, tracker.get_slot(slots.INDUSTRIAL_ESTATE))
        values = {
            "category": category_name(tracker.get_slot(slots.COMPLAINT_CATEGORY)),
            "description": tracker.get_slot(slots.COMPLAINT_TEXT) or "",
        }
        if place:
            dispatcher.utter_message(response="utter_confirm_complaint", place=place, **values)
        else:
            dispatcher.utter_message(response="utter_confirm_complaint_no_place", **values)
        return []


class ActionResetComplaint(Action):
    """Drops the complaint in progress (the citizen cancelled)."""

    def name(self) -> Text:
        return "action_reset_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_complaint_cancelled")
        return slots.reset_complaint()
