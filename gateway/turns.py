"""Decide what one LINE webhook event asks of the bot (pure, no I/O)."""

import json
from dataclasses import dataclass
from enum import Enum

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
)

# The NLU reads at most this much of one message (LINE's own limit for a text message; the
# webhook can still carry more). A longer text goes to Rasa cut to this prefix, with the whole
# text in the message metadata under FULL_TEXT_METADATA_KEY, where the submit action takes it
# for the ticket's description (actions/long_text.py).
MAX_RASA_TEXT_CHARS = 5000
FULL_TEXT_METADATA_KEY = "idee_full_text"
GREET_INTENT = "/greet"
LOCATION_INTENT = "/share_location"
PHOTO_INTENT = "/send_photo"  # the gateway stores the photo first (evidence.py)
MAX_ADDRESS_CHARS = 500


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
    # True in a LINE group or room: the complaint summary is kept out of the chat.
    in_group: bool = False
    # An image message: LINE's message id, downloaded and stored before Rasa hears of it.
    image_message_id: str | None = None
    # Set only when ``text`` is a cut prefix (longer than MAX_RASA_TEXT_CHARS): the whole text.
    full_text: str | None = None

    @property
    def was_cut(self) -> bool:
        return self.full_text is not None


def location_text(latitude: float, longitude: float, address: str | None) -> str:
    """A LINE location as a Rasa message: intent ``share_location`` with its entities."""
    entities: dict[str, object] = {"latitude": latitude, "longitude": longitude}
    address = (address or "").strip()[:MAX_ADDRESS_CHARS]
    if address:
        entities["address"] = address
    return LOCATION_INTENT + json.dumps(entities, ensure_ascii=False)


def bounded_text(text: str) -> tuple[str, str | None]:
    """What the NLU reads of a text message, and the whole text when that had to be cut.

    A text within MAX_RASA_TEXT_CHARS is sent as it is. A longer one is stripped first (a
    message of spaces followed by words must not look empty), then cut.
    """
    if len(text) <= MAX_RASA_TEXT_CHARS:
        return text, None
    whole = text.strip()
    if len(whole) <= MAX_RASA_TEXT_CHARS:
        return whole, None
    return whole[:MAX_RASA_TEXT_CHARS], whole


def _downloadable(image: ImageMessageContent) -> bool:
    """Only images kept by LINE can be fetched from the content endpoint (not external URLs)."""
    provider = getattr(image, "content_provider", None)
    return provider is None or getattr(provider, "type", "line") == "line"


def turn_for_event(event: Event) -> Turn | None:
    """Map a parsed webhook event to a Turn; None means ignore the event."""
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None)
    if not user_id:
        return None
    reply_token = getattr(event, "reply_token", None)
    in_group = getattr(source, "type", "user") in ("group", "room")
    if isinstance(event, MessageEvent):
        if isinstance(event.message, TextMessageContent):
            text, full_text = bounded_text(event.message.text or "")
            if not text.strip():
                return Turn(user_id, reply_token, TurnKind.EMPTY, in_group=in_group)
            return Turn(user_id, reply_token, TurnKind.TO_RASA, text, in_group=in_group, full_text=full_text)
        if isinstance(event.message, LocationMessageContent):
            message = event.message
            text = location_text(message.latitude, message.longitude, message.address)
            return Turn(user_id, reply_token, TurnKind.TO_RASA, text, in_group=in_group)
        if isinstance(event.message, ImageMessageContent) and _downloadable(event.message):
            return Turn(
                user_id,
                reply_token,
                TurnKind.TO_RASA,
                PHOTO_INTENT,
                in_group=in_group,
                image_message_id=event.message.id,
            )
        return Turn(user_id, reply_token, TurnKind.UNSUPPORTED, in_group=in_group)
    if isinstance(event, PostbackEvent):
        data = (event.postback.data or "")[:MAX_RASA_TEXT_CHARS]
        if not data.strip():
            return None
        return Turn(user_id, reply_token, TurnKind.TO_RASA, data, in_group=in_group)
    if isinstance(event, FollowEvent):
        return Turn(user_id, reply_token, TurnKind.TO_RASA, GREET_INTENT)
    return None
