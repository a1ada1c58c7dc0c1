"""The signing helpers produce what LINE produces and what the SDK accepts."""

import base64
import hashlib
import hmac
import json

import pytest
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import (
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
)

from gateway import signing

USER = "U" + "a" * 32


def test_signature_is_base64_hmac_sha256_of_raw_body():
    body = signing.webhook_body(signing.text_event(USER, "สวัสดี"))
    expected = base64.b64encode(hmac.new(b"secret", body, hashlib.sha256).digest()).decode()
    assert signing.sign_body(body, "secret") == expected
    assert signing.sign_body(body, "other") != expected


def test_sdk_parses_signed_events_into_typed_events():
    body, headers = signing.signed_webhook(
        "secret",
        signing.text_event(USER, "น้ำเสียจากโรงงาน"),
        signing.postback_event(USER, "/inform_topic"),
        signing.sticker_event(USER),
        signing.follow_event(USER),
    )
    events = WebhookParser("secret").parse(body.decode(), headers["X-Line-Signature"])
    assert [type(e) for e in events] == [MessageEvent, PostbackEvent, MessageEvent, FollowEvent]
    assert isinstance(events[0].message, TextMessageContent)
    assert events[0].message.text == "น้ำเสียจากโรงงาน"
    assert events[0].source.user_id == USER
    assert events[1].postback.data == "/inform_topic"
    assert isinstance(events[2].message, StickerMessageContent)
    with pytest.raises(InvalidSignatureError):
        WebhookParser("wrong").parse(body.decode(), headers["X-Line-Signature"])


def test_event_shape_matches_line():
    event = signing.text_event(USER, "hi", reply_token="tok")
    assert event["replyToken"] == "tok"
    assert event["mode"] == "active"
    assert event["deliveryContext"] == {"isRedelivery": False}
    assert event["source"] == {"type": "user", "userId": USER}
    assert isinstance(event["timestamp"], int) and event["webhookEventId"]
    assert json.loads(signing.webhook_body(event))["events"] == [event]


def test_new_user_id_is_line_shaped():
    user_id = signing.new_user_id()
    assert len(user_id) == 33 and user_id[0] == "U"
    int(user_id[1:], 16)
