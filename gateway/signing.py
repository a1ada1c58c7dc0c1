"""Build and sign LINE webhook bodies exactly as the LINE platform does.

Used by the simulator and the tests. The signature is
``base64(HMAC-SHA256(channel_secret, raw_body))`` in the ``X-Line-Signature`` header.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any

Event = dict[str, Any]

DEFAULT_DESTINATION = "U" + "0" * 32


def sign_body(body: bytes | str, channel_secret: str) -> str:
    """The X-Line-Signature value for a raw webhook body."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    digest = hmac.new(channel_secret.encode("utf-8"), raw, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_reply_token(prefix: str = "") -> str:
    return prefix + secrets.token_hex(16)


def new_user_id() -> str:
    """A random LINE-shaped user id: ``U`` + 32 hex digits."""
    return "U" + secrets.token_hex(16)


def _base_event(event_type: str, user_id: str, reply_token: str | None) -> Event:
    event: Event = {
        "type": event_type,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    return event


def text_event(user_id: str, text: str, reply_token: str | None = None) -> Event:
    event = _base_event("message", user_id, reply_token or new_reply_token())
    event["message"] = {
        "type": "text",
        "id": str(secrets.randbelow(10**18)),
        "quoteToken": secrets.token_hex(16),
        "text": text,
    }
    return event


def postback_event(user_id: str, data: str, reply_token: str | None = None) -> Event:
    event = _base_event("postback", user_id, reply_token or new_reply_token())
    event["postback"] = {"data": data}
    return event


def sticker_event(
    user_id: str, reply_token: str | None = None, package_id: str = "446", sticker_id: str = "1988"
) -> Event:
    event = _base_event("message", user_id, reply_token or new_reply_token())
    event["message"] = {
        "type": "sticker",
        "id": str(secrets.randbelow(10**18)),
        "quoteToken": secrets.token_hex(16),
        "packageId": package_id,
        "stickerId": sticker_id,
        "stickerResourceType": "STATIC",
    }
    return event


def location_event(
    user_id: str,
    latitude: float,
    longitude: float,
    address: str | None = None,
    reply_token: str | None = None,
) -> Event:
    """A LINE location message (the citizen shared a place from the map)."""
    event = _base_event("message", user_id, reply_token or new_reply_token())
    event["message"] = {
        "type": "location",
        "id": str(secrets.randbelow(10**18)),
        "title": "ตำแหน่งที่ตั้ง",
        "latitude": latitude,
        "longitude": longitude,
    }
    if address:
        event["message"]["address"] = address
    return event


def image_event(user_id: str, message_id: str | None = None, reply_token: str | None = None) -> Event:
    """A LINE image message; its bytes are fetched from the content endpoint by message id."""
    event = _base_event("message", user_id, reply_token or new_reply_token())
    event["message"] = {
        "type": "image",
        "id": message_id or str(secrets.randbelow(10**18)),
        "quoteToken": secrets.token_hex(16),
        "contentProvider": {"type": "line"},
    }
    return event


def in_group(event: Event, group_id: str = "C" + "0" * 32) -> Event:
    """The same event as if it came from a LINE group chat."""
    return {**event, "source": {"type": "group", "groupId": group_id, "userId": event["source"]["userId"]}}


def follow_event(user_id: str, reply_token: str | None = None) -> Event:
    event = _base_event("follow", user_id, reply_token or new_reply_token())
    event["follow"] = {"isUnblocked": False}
    return event


def webhook_body(*events: Event, destination: str = DEFAULT_DESTINATION) -> bytes:
    """The raw JSON body LINE would POST for these events."""
    payload = {"destination": destination, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signed_webhook(channel_secret: str, *events: Event) -> tuple[bytes, dict[str, str]]:
    """Body and headers ready to POST to ``/line/webhook``."""
    body = webhook_body(*events)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": sign_body(body, channel_secret),
    }
    return body, headers
