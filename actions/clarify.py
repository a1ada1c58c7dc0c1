"""Low confidence is a question, not a guess.

When the NLU falls back (``nlu_fallback``, FallbackClassifier threshold in config.yml) or
names a complaint intent below ``CLARIFY_THRESHOLD``, the bot offers the likeliest complaint
categories of the message's ``intent_ranking`` as quick replies plus "อื่น ๆ". The citizen's
choice (``/choose_category{"clarified_category": "<code>"}``) starts the complaint form with
that category and the message they wrote, and is queued for trainers as a labelled example
(cases/review_queue.py, source ``citizen_choice``). Fallbacks and low-confidence messages are
queued too. Wording: bot/domain/clarify.yml; rules: bot/dialogue/rules_clarify.yml.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text

from pythainlp.tokenize import word_tokenize
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.case_store import in_transaction, log_database_error
from actions.facts import is_emergency
from cases.review_queue import Source, enqueue
from settings import get_settings
from cases.taxonomy import CATEGORY_NAMES_TH, COMPLAINT_INTENT_PREFIX, Category, category_from_intent
from cases.domain_texts import Wording

logger = logging.getLogger(__name__)

CHOICE_INTENT = "choose_category"
CHOICE_ENTITY = "clarified_category"
# Set on the message handed to action_start_complaint after a choice: never asked again.
CLARIFIED = "idee_clarified"
MAX_LABEL_CHARS = 20  # LINE quick-reply label limit
_DANGLING_WORDS = ("ของ", "และ", "ที่", "การ")


# -- decisions (pure) -----------------------------------------------------------------------


def likeliest_categories(ranking: Sequence[Mapping[str, Any]] | None, limit: int = 3) -> list[Category]:
    """The complaint categories of an ``intent_ranking``, likeliest first, at most ``limit``."""
    found: list[Category] = []
    for entry in ranking or []:
        category = category_from_intent(entry.get("name"))
        if category is not None and category not in found:
            found.append(category)
        if len(found) == limit:
            break
    return found


def needs_clarification(message: Mapping[str, Any], threshold: float) -> bool:
    """A complaint intent the NLU is unsure of, in a message not clarified already."""
    intent = message.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    if message.get(CLARIFIED) or not name or not str(name).startswith(COMPLAINT_INTENT_PREFIX):
        return False
    return confidence is not None and float(confidence) < threshold


def button_label(category: Category) -> str:
    """The taxonomy's Thai name cut to fit a LINE quick-reply label: whole phrases (space
    separated) while they fit, else whole words (PyThaiNLP), never a dangling ของ/และ."""
    name = CATEGORY_NAMES_TH[category]
    if len(name) <= MAX_LABEL_CHARS:
        return name
    phrases = name.split()
    label = phrases[0]
    for phrase in phrases[1:]:
        if len(f"{label} {phrase}") > MAX_LABEL_CHARS:
            break
        label = f"{label} {phrase}"
    if len(label) <= MAX_LABEL_CHARS:
        return label
    words: list[str] = []
    for word in word_tokenize(label, engine="newmm", keep_whitespace=False):
        if len("".join(words) + word) > MAX_LABEL_CHARS:
            break
        words.append(word)
    while len(words) > 1 and words[-1] in _DANGLING_WORDS:
        words.pop()
    return "".join(words) or label[:MAX_LABEL_CHARS]


def choice_payload(category: Category) -> str:
    return f'/{CHOICE_INTENT}{{"{CHOICE_ENTITY}":"{category.value}"}}'


def choice_buttons(categories: Sequence[Category], other_buttons: Sequence[Mapping[str, Any]]) -> list[dict]:
    """One quick reply per category, then the domain's "อื่น ๆ" button."""
    buttons = [{"title": button_label(c), "payload": choice_payload(c)} for c in categories]
    return buttons + [dict(b) for b in other_buttons]


def chosen_category(message: Mapping[str, Any]) -> Optional[Category]:
    """The category of a choice payload, or None."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == CHOICE_ENTITY:
            try:
                return Category(str(entity.get("value")))
            except ValueError:
                return None
    return None


def message_view(event: Mapping[str, Any] | None) -> dict[str, Any]:
    """A user event's text and what the NLU made of it (all empty for no event)."""
    parse = (event or {}).get("parse_data") or {}
    return {
        "text": (event or {}).get("text") or "",
        "intent": parse.get("intent") or {},
        "intent_ranking": parse.get("intent_ranking") or [],
        "entities": parse.get("entities") or [],
    }


def clarified_message(tracker: Tracker) -> dict[str, Any]:
    """The citizen's own message the choice answers: the last user message before the choice
    that is not a button payload (empty if there is none)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users[:-1] if users else []):
        text = event.get("text") or ""
        if text and not text.lstrip().startswith("/"):
            return message_view(event)
    return message_view(None)


def other_buttons(domain: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The domain's "อื่น ๆ" button (utter_clarify_other), also offered by category corrections."""
    found = Wording.of_domain(domain).response("utter_clarify_other", required=False)
    return list(found.buttons) if found else []


# -- the queue ------------------------------------------------------------------------------


async def queue_for_trainers(message: Mapping[str, Any], source: str, corrected_intent: str | None = None) -> None:
    """Queue a message for trainers; a database error is logged, never shown to the citizen."""
    intent = message.get("intent") or {}
    text = message.get("text") or ""

    def work(session):  # type: ignore[no-untyped-def]
        enqueue(
            session,
            text=text,
            source=source,
            predicted_intent=intent.get("name"),
            confidence=intent.get("confidence"),
            corrected_intent=corrected_intent,
            entities=message.get("entities") or [],
        )

    try:
        await asyncio.to_thread(in_transaction, work)
    except SQLAlchemyError as exc:
        log_database_error(logger, f"review item not queued (source {source})", exc)


def _ask(dispatcher: CollectingDispatcher, categories: Sequence[Category], domain: DomainDict) -> None:
    dispatcher.utter_message(
        response="utter_clarify_category", buttons=choice_buttons(categories, other_buttons(domain))
    )


async def clarify_instead_of_guessing(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> Optional[List[EventType]]:
    """For action_start_complaint: ask when the complaint intent is below the threshold.

    Returns the events to end the turn with (the question was asked), or None to go on;
    a complaint started below ``review_threshold`` is queued as ``low_confidence``.
    """
    settings = get_settings().clarify
    message = tracker.latest_message or {}
    if message.get(CLARIFIED):
        return None
    confidence = (message.get("intent") or {}).get("confidence")
    if needs_clarification(message, settings.threshold):
        categories = likeliest_categories(message.get("intent_ranking"), settings.max_choices)
        if categories:  # usually two or three; one is still a question ("X, or something else?")
            await queue_for_trainers(message, Source.LOW_CONFIDENCE)
            _ask(dispatcher, categories, domain)
            return [FollowupAction("action_listen")]
    if confidence is not None and float(confidence) < settings.review_threshold:
        await queue_for_trainers(message, Source.LOW_CONFIDENCE)
    return None


class ActionClarifyCategory(Action):
    """After ``nlu_fallback``: offer the likeliest categories, or say it was not understood."""

    def name(self) -> Text:
        return "action_clarify_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        message = tracker.latest_message or {}
        if tracker.active_loop_name:
            # An answer inside a form (a name, a phone, a place): not a misread complaint,
            # and too personal for the queue.
            dispatcher.utter_message(response="utter_default")
            return []
        await queue_for_trainers(message, Source.FALLBACK)
        if is_emergency(message.get("text")):
            # Danger now is never a "not understood": the emergency numbers first, then the form.
            from actions.complaint_intake import ActionStartComplaint

            events = await ActionStartComplaint().run(dispatcher, tracker, domain)
            return list(events) + [FollowupAction("complaint_form")]
        categories = likeliest_categories(message.get("intent_ranking"), get_settings().clarify.max_choices)
        if not categories:
            dispatcher.utter_message(response="utter_default")
            return []
        _ask(dispatcher, categories, domain)
        return []


class ActionStartClarifiedComplaint(Action):
    """The citizen chose a category: start the complaint with it and their own words."""

    def name(self) -> Text:
        return "action_start_clarified_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from actions.complaint_intake import ActionStartComplaint

        category = chosen_category(tracker.latest_message or {}) or Category.OTHER
        original = clarified_message(tracker)
        intent = None if category is Category.OTHER else COMPLAINT_INTENT_PREFIX + category.value
        confidence = next((e.get("confidence") for e in original["intent_ranking"] if e.get("name") == intent), None)
        message = {
            **original,
            "intent": {"name": intent, "confidence": confidence},
            CLARIFIED: True,
        }
        await queue_for_trainers(original, Source.CITIZEN_CHOICE, corrected_intent=intent)
        return await ActionStartComplaint().run(dispatcher, _with_message(tracker, message), domain)


def _with_message(tracker: Tracker, message: Dict[str, Any]) -> Tracker:
    """A copy of the tracker whose latest message is ``message``."""
    return Tracker(
        sender_id=tracker.sender_id,
        slots=dict(tracker.slots),
        latest_message=message,
        events=list(tracker.events),
        paused=tracker.is_paused(),
        followup_action=tracker.followup_action,
        active_loop=tracker.active_loop,
        latest_action_name=tracker.latest_action_name,
    )
