"""Evidence photos in the case database (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from cases.attachments import (
    MAX_ATTACHMENT_BYTES,
    PENDING_MAX_AGE,
    AttachmentRejected,
    attachment_content,
    check_image,
    count_pending,
    link_pending,
    list_attachments,
    owner_key,
    store_attachment,
)
from cases.db import make_engine, make_session_factory
from cases.models import Attachment
from tests.cases import factories

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x01" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ALICE = owner_key("U" + "a" * 32, "salt")
BOB = owner_key("U" + "b" * 32, "salt")


def _sessions(url):  # type: ignore[no-untyped-def]
    return make_session_factory(make_engine(url))


def test_owner_key_is_salted_and_full_length():
    assert len(ALICE) == 64 and ALICE != BOB
    assert owner_key("U" + "a" * 32, "other salt") != ALICE
    assert "U" + "a" * 32 not in ALICE


def test_check_image_reads_the_signature_not_the_declared_type():
    assert check_image(JPEG, "image/jpeg") == "image/jpeg"
    assert check_image(PNG, None) == "image/png"
    assert check_image(PNG, "image/jpeg") == "image/png"  # the bytes win
    for content, declared, reason in [
        (b"", "image/jpeg", "empty"),
        (b"GIF89a" + b"\x00" * 10, "image/gif", "not_an_image"),
        (b"<html>hello</html>", "text/html", "not_an_image"),
        (JPEG, "text/html", "not_an_image"),
        (b"\xff\xd8\xff" + b"\x00" * MAX_ATTACHMENT_BYTES, "image/jpeg", "too_large"),
    ]:
        with pytest.raises(AttachmentRejected) as error:
            check_image(content, declared)
        assert error.value.reason == reason


def test_pending_photos_are_linked_to_the_ticket_at_submission(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        first = store_attachment(session, owner=ALICE, content=JPEG, declared_type="image/jpeg", line_message_id="m1")
        store_attachment(session, owner=ALICE, content=PNG, line_message_id="m2")
        store_attachment(session, owner=BOB, content=JPEG, line_message_id="m3")
        assert first.sha256 == hashlib.sha256(JPEG).hexdigest() and first.size_bytes == len(JPEG)
        assert count_pending(session, owner=ALICE) == 2
        ticket = factories.ticket(session)
        assert link_pending(session, owner=ALICE, ticket_id=ticket.id) == 2
        ticket_id = ticket.id
    with sessions() as session:
        listed = list_attachments(session, ticket_ids=[ticket_id])
        assert [a.content_type for a in listed] == ["image/jpeg", "image/png"]
        assert count_pending(session, owner=ALICE) == 0
        assert count_pending(session, owner=BOB) == 1  # Bob's photo is not Alice's evidence
        assert list_attachments(session, ticket_ids=[]) == []


def test_the_same_line_message_is_stored_once(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        a = store_attachment(session, owner=ALICE, content=JPEG, line_message_id="same")
        b = store_attachment(session, owner=ALICE, content=JPEG, line_message_id="same")
        assert a.id == b.id
        assert count_pending(session, owner=ALICE) == 1


def test_stale_pending_photos_are_not_linked(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        old = store_attachment(session, owner=ALICE, content=JPEG, line_message_id="old")
        session.execute(
            update(Attachment)
            .where(Attachment.id == old.id)
            .values(created_at=datetime.now(timezone.utc) - PENDING_MAX_AGE - timedelta(minutes=1))
        )
        ticket = factories.ticket(session)
        assert link_pending(session, owner=ALICE, ticket_id=ticket.id) == 0


def test_content_only_through_a_visible_ticket(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        ticket = factories.ticket(session)
        other = factories.ticket(session)
        photo = store_attachment(session, owner=ALICE, content=PNG, ticket_id=ticket.id)
        photo_id, ticket_id, other_id = photo.id, ticket.id, other.id
    with sessions() as session:
        assert attachment_content(session, attachment_id=photo_id, ticket_ids=[ticket_id]) == ("image/png", PNG)
        assert attachment_content(session, attachment_id=photo_id, ticket_ids=[other_id]) is None
        assert attachment_content(session, attachment_id=photo_id, ticket_ids=[]) is None


def test_rejected_photo_is_not_stored(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        with pytest.raises(AttachmentRejected):
            store_attachment(session, owner=ALICE, content=b"not an image")
        assert count_pending(session, owner=ALICE) == 0
