"""Did Rasa already handle this message? (at-least-once towards Rasa made exactly-once)

A retried event may have reached Rasa before: the gateway gave up waiting (timeout) while
Rasa went on, or a worker died between Rasa's answer and recording the outcome. Sending the
text again would make Rasa handle it twice (a second answer to the same question derails
the form). So before a retry we read the conversation from Rasa's tracker store (shared by
all Rasa servers): a user event with this text logged after the event was received can only
be this event (a citizen's next event waits until this one is finished), and the bot events
after it are the answer Rasa gave, which we deliver instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

RasaMessage = dict[str, Any]


def answered_in_tracker(events: list[dict[str, Any]], *, text: str, received_at: datetime) -> list[RasaMessage] | None:
    """The bot messages Rasa gave for ``text`` sent at or after ``received_at``, or None if
    Rasa has not handled it. Pure function over the tracker's event list."""
    since = received_at.timestamp() - 1.0  # clocks of one machine room; a second of slack
    start = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user" and event.get("timestamp", 0) >= since and event.get("text") == text:
            start = index
            break
    if start is None:
        return None
    messages: list[RasaMessage] = []
    for event in events[start + 1 :]:
        if event.get("event") == "user":
            break
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        message: RasaMessage = {}
        if event.get("text"):
            message["text"] = event["text"]
        for key in ("buttons", "image", "attachment", "custom", "quick_replies"):
            if data.get(key):
                message[key] = data[key]
        if message:
            messages.append(message)
    return messages
