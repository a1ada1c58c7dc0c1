"""A conversation that listens: information requests, a cancelled complaint picked up again,
status and "my complaints" in the middle of a complaint, a change of category mid-form.

The facts themselves are read in actions/facts.py; the form uses both
(actions/complaint_intake.py). Wording: bot/domain/listening.yml.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.facts import clean, facts_from_text, is_status_request
from actions.my_tickets import ActionListMyTickets
from actions.status import say_status
from cases.taxonomy import category_from_intent
from cases.tracking import find_tracking_number

# Slots a cancelled complaint keeps for "เปลี่ยนใจ" (everything the citizen told).
HELD_SLOTS = tuple(
    s for s in slots.COMPLAINT_SLOTS if s not in (slots.CONFIRM_COMPLAINT, slots.EDIT_REQUESTED, slots.EDIT_FIELD)
) + ("place_detail", "emergency", "offered_phone")

_FINANCE = re.compile(r"สินเชื่อ|กู้\s*เงิน|เงินกู้|เงินทุน|ดอกเบี้ย|ซอฟต์\s*โลน|soft\s*loan|แหล่งทุน|ขอทุน", re.IGNORECASE)
_LICENCE = re.compile(
    r"ใบอนุญาต|ขอ\s*อนุญาต|ร\.?ง\.?\s*4|เปิด\s*โรงงาน|ตั้ง\s*โรงงาน|จด\s*ทะเบียน|ขอ\s*มอก|ขอ\s*มาตรฐาน|ขอใบ"
)
_ASKING = re.compile(r"\?|ที่ไหน|ยังไง|อย่างไร|ไหม|มั้ย|หรือเปล่า|ได้บ้าง|ติดต่อ|สอบถาม|อยาก(?:ทราบ|รู้|กู้|ขอ|เปิด|ได้)|ต้อง(?:ทำ|ไป|ขอ)")
_COMPLAINING = re.compile(
    r"ร้องเรียน|แจ้งเรื่อง|เหม็น|เสียงดัง|น้ำเสีย|ฝุ่น|ควัน|โกง|ทุจริต|เรียก(?:รับ)?เงิน|ไม่ได้รับ|ถูกหลอก|ไม่มีใบอนุญาต|เถื่อน|รั่ว|ไหม้"
)
_CHANGE_WORDS = re.compile(r"มากกว่า|ไม่ใช่|เปลี่ยน|อยากแจ้ง(?:เรื่อง)?|จริงๆ|ที่จริง|แก้เป็น")
_CATEGORY_CHANGE_CONFIDENCE = 0.6
RESUME_WORDS = re.compile(r"เปลี่ยนใจ|ต่อเรื่อง|แจ้งต่อ|แจ้งก็ได้|ทำต่อ|เรื่องเดิม|เรื่องเมื่อกี้|ไม่ยกเลิก")
INFO_RESPONSES = {
    "sme_finance": "utter_info_sme_finance",
    "licence": "utter_info_licence",
    "general": "utter_info_general",
}


def information_topic(text: str | None) -> Optional[str]:
    """ "sme_finance", "licence" or "general" when the message asks for information and
    complains about nothing ("มีสินเชื่อดอกเบี้ยต่ำสำหรับเอสเอ็มอีมั้ยคะ ต้องติดต่อที่ไหน")."""
    cleaned = clean(text)
    if not cleaned or _COMPLAINING.search(cleaned) or not _ASKING.search(cleaned):
        return None
    if _FINANCE.search(cleaned):
        return "sme_finance"
    if _LICENCE.search(cleaned):
        return "licence"
    return None


def category_change(tracker: Tracker) -> Optional[str]:
    """The category the citizen switches to mid-form ("ไม่ใช่แค่ควันนะคะ อยากแจ้งเรื่องกลิ่นมากกว่า"),
    or None: a complaint intent other than the current category, said as a change."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    category = category_from_intent(intent.get("name"))
    if category is None or float(intent.get("confidence") or 0) < _CATEGORY_CHANGE_CONFIDENCE:
        return None
    if category.value == tracker.get_slot(slots.COMPLAINT_CATEGORY):
        return None
    return category.value if _CHANGE_WORDS.search(clean(message.get("text"))) else None


class ActionAnswerInformation(Action):
    """An information request (SME loans, licences) gets an answer or a contact, not a form."""

    def name(self) -> Text:
        return "action_answer_information"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        topic = information_topic((tracker.latest_message or {}).get("text")) or "general"
        dispatcher.utter_message(response=INFO_RESPONSES[topic])
        return []


def held_complaint(tracker: Tracker) -> Dict[Text, Any]:
    """What a complaint being cancelled holds, to offer back on "เปลี่ยนใจ"."""
    held = {name: tracker.get_slot(name) for name in HELD_SLOTS}
    return {k: v for k, v in held.items() if v is not None}


class ActionResumeComplaint(Action):
    """ "เปลี่ยนใจค่ะ แจ้งก็ได้": the cancelled complaint comes back with all it held."""

    def name(self) -> Text:
        return "action_resume_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        held = tracker.get_slot("held_complaint")
        if not isinstance(held, dict) or not held.get(slots.COMPLAINT_CATEGORY):
            dispatcher.utter_message(response="utter_nothing_to_resume")
            return [FollowupAction("action_listen")]
        dispatcher.utter_message(response="utter_complaint_resumed")
        events: List[EventType] = [SlotSet(name, value) for name, value in held.items() if name in HELD_SLOTS]
        events.append(SlotSet("held_complaint", None))
        return events


class ActionStatusInForm(Action):
    """Status or "my complaints" asked mid-form: answered, then the form asks on."""

    def name(self) -> Text:
        return "action_status_in_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if not is_status_request(text) and _says_something(text):
            return []  # an answer the NLU read as a status request ("วันจันทร์ที่แล้วครับ"): the form takes it
        number = find_tracking_number(text)
        if number:
            await say_status(dispatcher, tracker, number)
        else:
            await ActionListMyTickets().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_form_resumes")
        return []


def _says_something(text: str) -> bool:
    """The message carries a fact of the complaint (a time, a place, a name, a phone)."""
    said = facts_from_text(text)
    return any((said.occurred, said.province, said.place_detail, said.subject_name, said.phone))


class ActionGoodbyeInForm(Action):
    """A goodbye mid-form keeps the complaint for later; an answer the NLU read as goodbye
    ("วันจันทร์ที่แล้วครับ", "ทุกเช้ามืดค่ะ") goes on to the form, which takes its facts."""

    def name(self) -> Text:
        return "action_goodbye_in_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if _says_something((tracker.latest_message or {}).get("text") or ""):
            return []
        dispatcher.utter_message(response="utter_goodbye_mid_form")
        return [FollowupAction("action_listen")]


# A message the NLU placed out of scope that is about a factory, mine or industrial site
# ("น้ำท่วมเพราะโรงงานถมที่ขวางทางน้ำ"): a complaint, filed as "other" for triage.
_INDUSTRIAL = re.compile(r"โรงงาน|รง\.|เหมือง|โรงโม่|บ่อดิน|นิคม|ปล่อง|กากอุตสาหกรรม|สารเคมี")


class ActionReferOrStart(Action):
    """Out of scope: an information request is answered; a factory-related problem becomes a
    complaint (the form starts); anything else is referred elsewhere (utter_out_of_scope)."""

    def name(self) -> Text:
        return "action_refer_or_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        topic = information_topic(text)
        if topic:
            dispatcher.utter_message(response=INFO_RESPONSES[topic])
            return [FollowupAction("action_listen")]
        if _INDUSTRIAL.search(clean(text)):
            from actions.complaint_intake import ActionStartComplaint  # the form's own module

            events = await ActionStartComplaint().run(dispatcher, tracker, domain)
            return list(events) + [FollowupAction("complaint_form")]
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
