"""The citizen corrects the complaint's category from the summary.

"แก้ไข" → "ประเภทเรื่อง" (edit_field ``category``) makes the complaint form ask
``corrected_category``: one quick reply per category but the current one, with the clarifying
question's labels and payloads (``/choose_category{"clarified_category":"<code>"}``,
actions/clarify.py), then "อื่น ๆ" (13 in all, LINE's limit). The choice sets
``complaint_category`` and ``nlu_intent`` (what the ticket is filed and routed under), and the
summary comes back preceded by the new category and the agency it now routes to.

A category other than the one the NLU predicted for the citizen's first message queues that
message for trainers (source ``citizen_corrected``), masked like the clarifying question's items
(the NLU's entities, and the subject name the citizen gave); corruption is never queued.
Wording: bot/domain/correction.yml.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.clarify import (
    CHOICE_ENTITY,
    choice_buttons,
    chosen_category,
    message_view,
    other_buttons,
    queue_for_trainers,
)
from actions.intake_answers import is_payload, payload_value
from actions.presentation import agency_name, category_name
from cases.places import industrial_estate_or_none
from cases.review_queue import CONFIDENTIAL_INTENTS, Source
from cases.routing import route_agency
from settings import get_settings
from cases.taxonomy import CATEGORY_NAMES_TH, COMPLAINT_INTENT_PREFIX, Category, SubjectType, category_from_intent

CATEGORY_FIELD = "category"  # the edit_field code of "ประเภทเรื่อง"
# The actions that start a complaint from the citizen's own message.
START_ACTIONS = ("action_start_complaint", "action_start_clarified_complaint")


# -- decisions (pure) -----------------------------------------------------------------------


def intent_of(category: Category) -> Optional[str]:
    """``complaint_<code>``; None for ``other`` (no intent: the label is left to trainers)."""
    return None if category is Category.OTHER else COMPLAINT_INTENT_PREFIX + category.value


def correction_choices(current: Optional[str]) -> list[Category]:
    """Every complaint category but the current one, in the taxonomy's order."""
    return [c for c in Category if c is not Category.OTHER and c.value != current]


def correction_buttons(current: Optional[str], domain: Mapping[str, Any]) -> list[dict]:
    """The choices as quick replies, then the domain's "อื่น ๆ" unless the complaint is "other"."""
    other = [] if current == Category.OTHER.value else other_buttons(domain)
    return choice_buttons(correction_choices(current), other)


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def category_from_answer(
    value: Any, message: Mapping[str, Any], buttons: Sequence[Mapping[str, Any]], threshold: float
) -> Optional[Category]:
    """The category the citizen picked: a button (its entity or payload), a button title or a
    category's name typed out, else a complaint intent the NLU is sure of; None if unclear."""
    chosen = chosen_category(message)
    if chosen is not None:
        return chosen
    if not isinstance(value, str) or not value.strip():
        return None
    code = payload_value(value, CHOICE_ENTITY) or value.strip()
    if code in {c.value for c in Category}:
        return Category(code)
    if is_payload(value):
        return None
    typed = _squashed(value)
    for button in buttons:
        if _squashed(str(button.get("title") or "")) == typed:
            found = payload_value(str(button.get("payload") or ""), CHOICE_ENTITY)
            if found in {c.value for c in Category}:
                return Category(found)
    for category, name in CATEGORY_NAMES_TH.items():
        if _squashed(name) == typed:
            return category
    intent = message.get("intent") or {}
    confidence = intent.get("confidence")
    if confidence is not None and float(confidence) >= threshold:
        return category_from_intent(intent.get("name"))
    return None


def original_complaint(events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The citizen's message the complaint started from: the last user message before the last
    start of a complaint that is not a button payload (empty if there is none)."""
    starts = [i for i, e in enumerate(events) if e.get("event") == "action" and e.get("name") in START_ACTIONS]
    for event in reversed(events[: starts[-1]] if starts else []):
        text = event.get("text") or ""
        if event.get("event") == "user" and text and not is_payload(text):
            return message_view(event)
    return message_view(None)


def masked_entities(text: str, entities: Sequence[Mapping[str, Any]], subject_name: Any) -> list[dict]:
    """The NLU's entities plus the subject name the citizen gave wherever it appears (to be
    masked by the queue); an NLU span overlapping the name is dropped so the name always wins."""
    name = str(subject_name or "").strip()
    names: list[dict] = []
    if len(name) >= 2 and name != slots.NOT_GIVEN:
        names = [
            {"start": m.start(), "end": m.end(), "entity": "subject_name", "value": name}
            for m in re.finditer(re.escape(name), text)
        ]
    kept = [
        dict(e)
        for e in entities
        if not any(
            isinstance(e.get("start"), int)
            and isinstance(e.get("end"), int)
            and e["start"] < n["end"]
            and n["start"] < e["end"]
            for n in names
        )
    ]
    return kept + names


def involves_corruption(*intents: Optional[str]) -> bool:
    return any(intent in CONFIDENTIAL_INTENTS for intent in intents)


def routed_agency(tracker: Tracker) -> str:
    """The agency the complaint now goes to: the submit's routing (cases/routing.py)."""
    try:
        category = Category(tracker.get_slot(slots.COMPLAINT_CATEGORY))
    except ValueError:
        category = Category.OTHER
    try:
        subject_type: Optional[SubjectType] = SubjectType(tracker.get_slot(slots.SUBJECT_TYPE))
    except ValueError:
        subject_type = None
    province = tracker.get_slot(slots.PROVINCE)
    return route_agency(
        category,
        None if province in (None, slots.UNKNOWN_PROVINCE) else province,
        industrial_estate_or_none(tracker.get_slot(slots.INDUSTRIAL_ESTATE)),
        subject_type,
    )


# -- the form's question, its answer and the summary's note -----------------------------------


class ActionAskCorrectedCategory(Action):
    """Asks which category the complaint is, with the current one named."""

    def name(self) -> Text:
        return "action_ask_corrected_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        current = tracker.get_slot(slots.COMPLAINT_CATEGORY)
        dispatcher.utter_message(
            response="utter_ask_corrected_category",
            category=category_name(current),
            buttons=correction_buttons(current, domain),
        )
        return []


async def correct_category(
    value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> Dict[Text, Any]:
    """validate_corrected_category: the new category and intent, or the question again."""
    if value is None:
        return {slots.CORRECTED_CATEGORY: None}
    buttons = choice_buttons([c for c in Category if c is not Category.OTHER], other_buttons(domain))
    chosen = category_from_answer(value, tracker.latest_message or {}, buttons, get_settings().clarify.threshold)
    if chosen is None:
        dispatcher.utter_message(response="utter_wrong_category_choice")
        return {slots.CORRECTED_CATEGORY: None}
    previous = tracker.get_slot(slots.COMPLAINT_CATEGORY)
    if chosen.value == previous:
        return {slots.CORRECTED_CATEGORY: chosen.value}
    original = original_complaint(list(tracker.events))
    await queue_correction(original, chosen, tracker)
    intent = intent_of(chosen)
    result: Dict[Text, Any] = {
        slots.CORRECTED_CATEGORY: chosen.value,
        slots.COMPLAINT_CATEGORY: chosen.value,
        slots.NLU_INTENT: intent,
        slots.NLU_CONFIDENCE: next(
            (e.get("confidence") for e in original["intent_ranking"] if e.get("name") == intent), None
        ),
    }
    if chosen is Category.CORRUPTION:
        dispatcher.utter_message(response="utter_corruption_privacy")
        if tracker.get_slot(slots.ANONYMOUS) is not True:
            result[slots.ANONYMOUS] = None  # offered again, as to every corruption complaint
    return result


async def queue_correction(original: Mapping[str, Any], chosen: Category, tracker: Tracker) -> None:
    """Queue the citizen's first message under the category they picked, when the NLU had
    predicted another; never when corruption is involved, before or after."""
    predicted = (original.get("intent") or {}).get("name")
    corrected = intent_of(chosen)
    if not original.get("text") or not predicted or predicted == corrected:
        return
    previous = tracker.get_slot(slots.COMPLAINT_CATEGORY)
    previous_intent = COMPLAINT_INTENT_PREFIX + previous if previous else None
    if involves_corruption(predicted, corrected, previous_intent, tracker.get_slot(slots.NLU_INTENT)):
        return
    message = {
        **original,
        "entities": masked_entities(
            original["text"], original.get("entities") or [], tracker.get_slot(slots.SUBJECT_NAME)
        ),
    }
    await queue_for_trainers(message, Source.CITIZEN_CORRECTED, corrected_intent=corrected)


def announce_category(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Before the summary that follows a correction: the category and where it now goes."""
    dispatcher.utter_message(
        response="utter_category_changed",
        category=category_name(tracker.get_slot(slots.COMPLAINT_CATEGORY)),
        agency_name=agency_name(routed_agency(tracker)),
    )
