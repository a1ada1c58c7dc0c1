"""Image messages through the real gateway: downloaded from the (fake) LINE content host
with line-bot-sdk, stored as a pending attachment, then linked to the ticket at submission."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cases.attachments import count_pending, link_pending, list_attachments, owner_key
from cases.db import make_engine, make_session_factory
from settings import get_settings
from gateway import signing
from gateway.turns import PHOTO_INTENT, TurnKind, turn_for_event
from web.app import create_app
from linebot.v3.webhooks import Event
from tests.cases import factories
from tests.support.web import (
    DOMAIN_YAML,
    UNSUPPORTED_TEXT,
    Gateway,
    gateway_settings,
    serve,
    texts_of,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
REJECTED_TEXT = "ขออภัยค่ะ รับได้เฉพาะรูป JPEG หรือ PNG ไม่เกิน 10 MB"
UNAVAILABLE_TEXT = "ขออภัยค่ะ ไอ-ดีเปิดรูปนี้ไม่ได้ รบกวนส่งใหม่อีกครั้งนะคะ"


@pytest.fixture
def evidence_domain(tmp_path: Path) -> Path:
    path = tmp_path / "domain.yml"
    path.write_text(
        DOMAIN_YAML
        + f'  utter_photo_rejected:\n  - text: "{REJECTED_TEXT}"\n'
        + f'  utter_photo_unavailable:\n  - text: "{UNAVAILABLE_TEXT}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def photo_gateway(stub_rasa, fake_line_url: str, evidence_domain: Path) -> Iterator[Gateway]:
    stub, rasa_url = stub_rasa
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url,
        LINE_DATA_API_BASE_URL=fake_line_url,  # the blob host is configurable like the rest
        RASA_URL=rasa_url,
        DOMAIN_PATH=str(evidence_domain),
    )
    with serve(create_app(settings)) as url:
        yield Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)


def register_image(fake_line_url: str, message_id: str, content: bytes, content_type: str = "image/jpeg") -> None:
    response = httpx.put(
        f"{fake_line_url}/_fake/content/{message_id}", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == 201


def test_an_image_event_is_a_photo_turn():
    user_id = signing.new_user_id()
    turn = turn_for_event(Event.from_dict(signing.image_event(user_id, "4711")))
    assert (turn.kind, turn.text, turn.image_message_id) == (TurnKind.TO_RASA, PHOTO_INTENT, "4711")
    external = signing.image_event(user_id, "4712")
    external["message"]["contentProvider"] = {
        "type": "external",
        "originalContentUrl": "https://example.com/a.jpg",
    }
    assert turn_for_event(Event.from_dict(external)).kind is TurnKind.UNSUPPORTED


def test_fake_line_serves_registered_content_only_with_a_token(fake_line_url):
    register_image(fake_line_url, "m-1", JPEG)
    ok = httpx.get(f"{fake_line_url}/v2/bot/message/m-1/content", headers={"Authorization": "Bearer t"})
    assert ok.status_code == 200 and ok.content == JPEG and ok.headers["content-type"] == "image/jpeg"
    assert httpx.get(f"{fake_line_url}/v2/bot/message/m-1/content").status_code == 401
    missing = httpx.get(f"{fake_line_url}/v2/bot/message/nope/content", headers={"Authorization": "Bearer t"})
    assert missing.status_code == 404


def test_photo_is_downloaded_stored_and_linked_at_submission(photo_gateway: Gateway, case_database):
    user_id = signing.new_user_id()
    register_image(photo_gateway.fake_line_url, "901", JPEG)
    assert photo_gateway.send_events(signing.image_event(user_id, "901")).status_code == 200
    (answer,) = photo_gateway.wait_for_deliveries(user_id)
    assert texts_of(answer) == [f"echo: {PHOTO_INTENT}"]  # Rasa heard of the photo after it was stored
    assert [r["message"] for r in photo_gateway.rasa.received] == [PHOTO_INTENT]

    sessions = make_session_factory(make_engine(case_database))
    owner = owner_key(user_id, get_settings().privacy.pseudonym_salt)
    with sessions.begin() as session:
        assert count_pending(session, owner=owner) == 1
        ticket = factories.ticket(session, line_user_id=user_id)
        assert link_pending(session, owner=owner, ticket_id=ticket.id) == 1
        (photo,) = list_attachments(session, ticket_ids=[ticket.id])
    assert photo.content_type == "image/jpeg" and photo.size_bytes == len(JPEG)


def test_a_file_that_is_not_an_image_is_refused_politely(photo_gateway: Gateway, case_database):
    user_id = signing.new_user_id()
    register_image(photo_gateway.fake_line_url, "902", b"<html>not a photo</html>", "text/html")
    photo_gateway.send_events(signing.image_event(user_id, "902"))
    (answer,) = photo_gateway.wait_for_deliveries(user_id)
    assert texts_of(answer) == [REJECTED_TEXT]
    assert photo_gateway.rasa.received == []  # nothing stored, nothing said to Rasa
    sessions = make_session_factory(make_engine(case_database))
    with sessions() as session:
        assert count_pending(session, owner=owner_key(user_id, get_settings().privacy.pseudonym_salt)) == 0


def test_content_line_no_longer_has_gets_a_clear_answer(photo_gateway: Gateway):
    user_id = signing.new_user_id()
    photo_gateway.send_events(signing.image_event(user_id, "never-registered"))
    (answer,) = photo_gateway.wait_for_deliveries(user_id)
    assert texts_of(answer) == [UNAVAILABLE_TEXT]
    assert photo_gateway.rasa.received == []


def test_without_the_domain_texts_the_unsupported_text_stands_in(stub_rasa, fake_line_url, domain_file):
    stub, rasa_url = stub_rasa
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url,
        LINE_DATA_API_BASE_URL=fake_line_url,
        RASA_URL=rasa_url,
        DOMAIN_PATH=str(domain_file),
    )
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)
        user_id = signing.new_user_id()
        register_image(fake_line_url, "903", b"GIF89a not accepted", "image/gif")
        gateway.send_events(signing.image_event(user_id, "903"))
        (answer,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(answer) == [UNSUPPORTED_TEXT]


def test_photo_buttons_open_lines_camera_and_photo_picker():
    from gateway.outgoing import quick_reply_from_buttons

    reply = quick_reply_from_buttons(
        [
            {"title": "ถ่ายรูป", "payload": "line:camera"},
            {"title": "เลือกรูป", "payload": "line:camera_roll"},
            {"title": "ข้าม", "payload": "/deny"},
        ]
    )
    actions = [item.action.to_dict() for item in reply.items]
    assert [a["type"] for a in actions] == ["camera", "cameraRoll", "postback"]
    assert actions[0]["label"] == "ถ่ายรูป" and actions[2]["data"] == "/deny"
