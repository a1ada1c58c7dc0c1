"""Map Rasa REST channel messages to LINE message objects (pure functions).

LINE limits honoured here: at most 5 messages per reply/push, 5,000 characters per
text, 13 quick-reply items, 20 characters per action label, 300 per postback data,
400 characters of a Flex message's altText.

A domain response may carry a LINE Flex bubble as ``custom: {line_flex: <bubble>}`` beside its
``text`` and ``buttons`` (bot/domain/confirmation.yml). Rasa's REST channel sends the two parts
as consecutive messages; ``join_flex`` puts them back together, and the result becomes one
FlexMessage whose altText is the plain text and whose quick reply are the buttons.
"""

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from linebot.v3.messaging import (
    CameraAction,
    CameraRollAction,
    FlexContainer,
    FlexMessage,
    ImageMessage,
    LocationAction,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

logger = logging.getLogger(__name__)

MAX_MESSAGES = 5
MAX_TEXT_CHARS = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL_CHARS = 20
MAX_POSTBACK_DATA_CHARS = 300
MAX_DISPLAY_TEXT_CHARS = 300
OVERFLOW_SEPARATOR = "\n\n"
# An action marks the message before as private (a complaint summary) with this custom key.
PRIVATE_MARKER = "idee_private_previous"
# A button with this payload opens LINE's location picker (a location quick reply).
LOCATION_PAYLOAD = "line:location"
# Buttons with these payloads open LINE's camera or photo picker (evidence photos).
PHOTO_ACTIONS = {"line:camera": CameraAction, "line:camera_roll": CameraRollAction}
# A response's custom payload under this key is a LINE Flex container (a bubble).
FLEX_KEY = "line_flex"
MAX_ALT_TEXT_CHARS = 400
ELLIPSIS = "…"


def quick_reply_from_buttons(buttons: Iterable[Mapping[str, Any]]) -> QuickReply | None:
    """Turn Rasa buttons (title/payload) into a QuickReply of postback actions."""
    items = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip() or title
        if not title or not payload:
            continue
        action: LocationAction | PostbackAction | CameraAction | CameraRollAction
        if payload == LOCATION_PAYLOAD:
            action = LocationAction(label=title[:MAX_LABEL_CHARS])
        elif payload in PHOTO_ACTIONS:
            action = PHOTO_ACTIONS[payload](label=title[:MAX_LABEL_CHARS])
        else:
            action = PostbackAction(
                label=title[:MAX_LABEL_CHARS],
                data=payload[:MAX_POSTBACK_DATA_CHARS],
                display_text=title[:MAX_DISPLAY_TEXT_CHARS],
            )
        items.append(QuickReplyItem(action=action))
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return QuickReply(items=items) if items else None


def _text_message(text: str, quick_reply: QuickReply | None) -> TextMessage:
    return TextMessage(text=text[:MAX_TEXT_CHARS], quick_reply=quick_reply)


def _flex_payload(rasa_message: Mapping[str, Any]) -> Mapping[str, Any] | None:
    custom = rasa_message.get("custom")
    if not isinstance(custom, Mapping):
        return None
    flex = custom.get(FLEX_KEY)
    return flex if isinstance(flex, Mapping) else None


def alt_text(text: str) -> str:
    """LINE's altText: the plain text, cut to 400 characters."""
    text = text.strip()
    if len(text) <= MAX_ALT_TEXT_CHARS:
        return text
    return text[: MAX_ALT_TEXT_CHARS - len(ELLIPSIS)].rstrip() + ELLIPSIS


def flex_message(text: str, contents: Mapping[str, Any], quick_reply: QuickReply | None) -> FlexMessage | None:
    """A FlexMessage validated by line-bot-sdk's models; None when the container is invalid."""
    try:
        container = FlexContainer.from_dict(dict(contents))
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        logger.error("invalid Flex container in a domain response, sending text: %s", exc)
        return None
    if container is None:
        logger.error("empty Flex container in a domain response, sending text")
        return None
    return FlexMessage(alt_text=alt_text(text), contents=container, quick_reply=quick_reply)


def join_flex(rasa_messages: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Put a ``line_flex`` custom payload back on the text message Rasa sent just before it.

    A Flex payload with no text before it (or after another custom payload) is dropped: LINE
    needs the text as altText, and the domain always gives one.
    """
    joined: list[Mapping[str, Any]] = []
    for rasa_message in rasa_messages:
        flex = _flex_payload(rasa_message)
        if flex is None:
            joined.append(rasa_message)
            continue
        previous = joined[-1] if joined else None
        if previous is None or "custom" in previous or not str(previous.get("text") or "").strip():
            logger.warning("a Flex payload without its text was dropped")
            continue
        joined[-1] = {**previous, "custom": {FLEX_KEY: flex}}
    return joined


def _units(rasa_messages: Iterable[Mapping[str, Any]]) -> list[Message]:
    """One LINE message per Rasa text/Flex/image, without the 5-message cap."""
    units: list[Message] = []
    for rasa_message in rasa_messages:
        text = rasa_message.get("text")
        text = text if isinstance(text, str) else ""
        buttons = rasa_message.get("buttons")
        quick_reply = quick_reply_from_buttons(buttons) if isinstance(buttons, list) else None
        flex = _flex_payload(rasa_message)
        message = flex_message(text, flex, quick_reply) if flex and text.strip() else None
        if message is not None:
            units.append(message)
        elif text.strip():
            units.append(_text_message(text, quick_reply))
        elif quick_reply is not None and units and isinstance(units[-1], (TextMessage, FlexMessage)):
            # Buttons without text: attach them to the preceding bubble.
            units[-1].quick_reply = quick_reply
        image = rasa_message.get("image")
        if isinstance(image, str) and image:
            units.append(ImageMessage(original_content_url=image, preview_image_url=image))
    return units


def _merge_overflow(overflow: list[Message]) -> Message:
    """Pack everything past the 4th message into one (texts joined by a blank line)."""
    overflow = [_text_message(m.alt_text, m.quick_reply) if isinstance(m, FlexMessage) else m for m in overflow]
    texts = [m for m in overflow if isinstance(m, TextMessage)]
    if not texts:
        if len(overflow) > 1:
            logger.warning("dropping %d overflow images (LINE allows 5 messages)", len(overflow) - 1)
        return overflow[0]
    dropped = len(overflow) - len(texts)
    if dropped:
        logger.warning("dropping %d overflow non-text messages (LINE allows 5)", dropped)
    quick_reply = next((m.quick_reply for m in reversed(texts) if m.quick_reply), None)
    joined = OVERFLOW_SEPARATOR.join(m.text for m in texts)
    return _text_message(joined, quick_reply)


def _is_private_marker(rasa_message: Mapping[str, Any]) -> bool:
    custom = rasa_message.get("custom")
    return isinstance(custom, Mapping) and custom.get(PRIVATE_MARKER) is True


def redact_private(rasa_messages: Iterable[Mapping[str, Any]], notice: str) -> list[Mapping[str, Any]]:
    """For group chats: each message marked private keeps its buttons but says ``notice``.

    A marked message loses its Flex bubble too (call after ``join_flex``).
    """
    result: list[Mapping[str, Any]] = []
    for rasa_message in rasa_messages:
        if _is_private_marker(rasa_message):
            if result:
                kept = {k: v for k, v in result[-1].items() if k != "custom"}
                result[-1] = {**kept, "text": notice}
            continue
        result.append(rasa_message)
    return result


def to_line_messages(rasa_messages: Iterable[Mapping[str, Any]], *, group_notice: str | None = None) -> list[Message]:
    """Map one turn of Rasa messages to at most 5 LINE messages.

    ``group_notice`` (LINE group or room chats) replaces every private message (a complaint
    summary, marked by the action, Flex bubble included) so that no complaint details are
    echoed to the group.
    """
    rasa_messages = join_flex(rasa_messages)
    if group_notice is not None:
        rasa_messages = redact_private(rasa_messages, group_notice)
    units = _units(rasa_messages)
    if len(units) <= MAX_MESSAGES:
        return units
    head = units[: MAX_MESSAGES - 1]
    return [*head, _merge_overflow(units[MAX_MESSAGES - 1 :])]


def text_messages(*texts: str) -> list[Message]:
    """Plain LINE text messages (for gateway fallback texts)."""
    return [_text_message(t, None) for t in texts if t.strip()]
