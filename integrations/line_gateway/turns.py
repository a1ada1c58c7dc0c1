"""Decide what one LINE webhook event asks of the bot (pure, no I/O)."""

from dataclasses import dataclass
from enum import Enum

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
)

MAX_RASA_TEXT_CHARS = 5000
GREET_INTENT = "/greet"


class TurnKind(Enum):
    TO_RASA = "to_rasa"
    UNSUPPORTED = "unsupported"
    EMPTY = "empty"


@dataclass(frozen=True)
class Turn:
    """A unit of work: send ``text`` to Rasa, or answer with a fallback text."""

    user_id: str
    reply_token: str | None
    kind: TurnKind
    text: str = ""


def turn_for_event(event: Event) -> Turn | None:
    """Map a parsed webhook event to a Turn; None means ignore the event."""
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None)
    if not user_id:
        return None
    reply_token = getattr(event, "reply_token", None)
    if isinstance(event, MessageEvent):
        if isinstance(event.message, TextMessageContent):
            text = (event.message.text or "")[:MAX_RASA_TEXT_CHARS]
            if not text.strip():
                return Turn(user_id, reply_token, TurnKind.EMPTY)
            return Turn(user_id, reply_token, TurnKind.TO_RASA, text)
        return Turn(user_id, reply_token, TurnKind.UNSUPPORTED)
    if isinstance(event, PostbackEvent):
        data = (event.postback.data or "")[:MAX_RASA_TEXT_CHARS]
        if not data.strip():
            return None
        return Turn(user_id, reply_token, TurnKind.TO_RASA, data)
    if isinstance(event, FollowEvent):
        return Turn(user_id, reply_token, TurnKind.TO_RASA, GREET_INTENT)
    return None
