"""One ticket's part of the citizen's conversation, read from Rasa's tracker store.

A LINE user's tracker spans every complaint they ever made: a corruption report, a
complaint to another agency, a phone number an anonymous complaint hides. An officer sees
only the slice that led to *this* ticket (``conversation_slice``): from the message that
opened the complaint form that filed it to the bot's answer with its tracking number.
The submit action marks that end with the ``evidence_ticket`` slot set to the number; a
ticket without such a mark (Open311, seeded, a tracker already deleted) has no transcript,
never the whole conversation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx

from cases.privacy import mask_personal_data

logger = logging.getLogger(__name__)

SUBMIT_ACTION = "action_submit_complaint"
COMPLAINT_FORM = "complaint_form"
TICKET_SLOT = "evidence_ticket"
# Where one complaint's conversation cannot reach back past.
BOUNDARIES = frozenset({"session_started", "restart"})
RICH_MENU = Path(__file__).resolve().parent.parent / "gateway" / "rich_menu" / "rich_menu.json"
PRESSED = "[กดปุ่ม]"  # a payload with no label the citizen saw


@dataclass(frozen=True)
class TranscriptLine:
    speaker: str  # citizen | bot
    text: str
    at: datetime | None


async def fetch_events(
    rasa_url: str, sender_id: str, *, timeout: float, token: str | None = None
) -> list[dict[str, Any]] | None:
    """Every tracker event of the sender, or None when Rasa is unreachable or answers badly."""
    url = f"{rasa_url.rstrip('/')}/conversations/{sender_id}/tracker"
    params = {"token": token} if token else None
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url, params=params)
        response.raise_for_status()
        events = response.json().get("events") or []
        if not isinstance(events, list):
            raise ValueError("events is not a list")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        logger.info("transcript unavailable: %s", type(exc).__name__)
        return None
    return [e for e in events if isinstance(e, dict)]


async def fetch_transcript(
    rasa_url: str,
    sender_id: str,
    *,
    tracking_number: str,
    anonymous: bool,
    timeout: float,
    token: str | None = None,
) -> list[TranscriptLine] | None:
    """This ticket's slice of the conversation; None when Rasa cannot be read.

    An empty list means Rasa answered but holds no conversation for this ticket.
    """
    events = await fetch_events(rasa_url, sender_id, timeout=timeout, token=token)
    if events is None:
        return None
    return conversation_slice(events, tracking_number, anonymous=anonymous)


def conversation_slice(
    events: Sequence[Mapping[str, Any]], tracking_number: str, *, anonymous: bool
) -> list[TranscriptLine]:
    """The user and bot messages of the complaint that filed ``tracking_number``.

    Pure: the tracker's events in, the lines an officer may read out. Button presses read
    as the label the citizen tapped; with ``anonymous`` personal data is masked.
    """
    bounds = _bounds(events, tracking_number)
    if bounds is None:
        return []
    start, end = bounds
    lines: list[TranscriptLine] = []
    offered: dict[str, str] = {}  # every button of the bot's messages since the last user message
    for event in events[start:end]:
        kind = event.get("event")
        if kind == "bot":
            offered.update(_buttons(event.get("data")))
            text = event.get("text")
        elif kind == "user":
            text = _user_text(event, offered)
            offered = {}
        else:
            continue
        if not isinstance(text, str) or not text:
            continue
        if anonymous:
            text = mask_personal_data(text)
        lines.append(TranscriptLine("citizen" if kind == "user" else "bot", text, _at(event)))
    return lines


def _bounds(events: Sequence[Mapping[str, Any]], tracking_number: str) -> tuple[int, int] | None:
    """[start, end) indexes of the slice, or None when the ticket was not filed here."""
    marked = next(
        (
            i
            for i, e in enumerate(events)
            if e.get("event") == "slot" and e.get("name") == TICKET_SLOT and e.get("value") == tracking_number
        ),
        None,
    )
    if marked is None:
        return None
    # The end: the bot's answers to the confirming message, up to the citizen's next message.
    end = marked + 1
    while end < len(events) and events[end].get("event") != "user":
        end += 1
    # The submit action that set the mark; before it, the previous complaint's submission
    # (filed or cancelled) or a new session is as far back as this complaint can reach.
    submit = _last_before(events, marked, lambda e: _is_action(e, SUBMIT_ACTION))
    fence = _last_before(
        events,
        submit if submit is not None else marked,
        lambda e: _is_action(e, SUBMIT_ACTION) or e.get("event") in BOUNDARIES,
    )
    floor = 0 if fence is None else fence + 1
    opened = next(
        (
            i
            for i in range(floor, marked)
            if events[i].get("event") == "active_loop" and events[i].get("name") == COMPLAINT_FORM
        ),
        None,
    )
    if opened is None:
        return floor, end
    # The citizen's message that opened the form belongs to the complaint.
    trigger = _last_before(events, opened, lambda e: e.get("event") == "user", floor=floor)
    return (trigger if trigger is not None else opened), end


def _last_before(events, index, match, floor: int = 0) -> int | None:
    for i in range(index - 1, floor - 1, -1):
        if match(events[i]):
            return i
    return None


def _is_action(event: Mapping[str, Any], name: str) -> bool:
    return event.get("event") == "action" and event.get("name") == name


def _buttons(data: Any, depth: int = 0) -> dict[str, str]:
    """payload → label of every button in a bot message's data: Rasa's buttons
    (title/payload) and LINE actions in custom payloads (label/data, e.g. a Flex card)."""
    found: dict[str, str] = {}
    if depth > 8:
        return found
    if isinstance(data, Mapping):
        for payload_key, label_key in (("payload", "title"), ("data", "label")):
            payload, label = data.get(payload_key), data.get(label_key)
            if isinstance(payload, str) and isinstance(label, str) and payload and label:
                found[payload] = label
        for value in data.values():
            if isinstance(value, (Mapping, list)):
                found.update(_buttons(value, depth + 1))
    elif isinstance(data, list):
        for value in data:
            found.update(_buttons(value, depth + 1))
    return found


def _user_text(event: Mapping[str, Any], offered: Mapping[str, str]) -> str | None:
    text = event.get("text")
    if not isinstance(text, str) or not text.startswith("/"):
        return text
    # A button press: the label the citizen saw, never the payload (/affirm, /inform{...}).
    return offered.get(text) or _menu_labels().get(text) or PRESSED


@lru_cache(maxsize=1)
def _menu_labels() -> dict[str, str]:
    """The rich menu's postbacks (they follow no bot message): data → the text LINE shows."""
    try:
        menu = json.loads(RICH_MENU.read_text(encoding="utf-8"))
        return {
            a["action"]["data"]: a["action"].get("displayText") or a["action"]["label"]
            for a in menu.get("areas", [])
            if a.get("action", {}).get("type") == "postback"
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _at(event: Mapping[str, Any]) -> datetime | None:
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(stamp, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
