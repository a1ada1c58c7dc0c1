"""Evidence photos: store (checked), list for a ticket, link a conversation's pending photos.

A photo may arrive before its ticket exists (during the intake form): it is stored with
``ticket_id`` empty under the citizen's ``owner_key`` and linked when the complaint is
submitted; one that arrives later is linked to the ticket at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from cases.models import Attachment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # LINE's own image limit is 10 MB as well
# Pending photos older than this are not linked to a new complaint (they were for something else).
PENDING_MAX_AGE = timedelta(hours=24)
JPEG, PNG = "image/jpeg", "image/png"
_SIGNATURES = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


class AttachmentRejected(ValueError):
    """Not stored: too large, empty, or not a JPEG/PNG image (``reason`` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AttachmentInfo:
    """What a listing shows (never the bytes)."""

    id: int
    ticket_id: int | None
    content_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


def owner_key(line_user_id: str, salt: str) -> str:
    """The key pending photos are kept under: a full salted SHA-256 of the LINE user id.

    Full length on purpose: unlike a log pseudonym, a collision here would link one
    citizen's photos to another citizen's complaint.
    """
    return hashlib.sha256(f"{salt}:attachment-owner:{line_user_id}".encode()).hexdigest()


def sniff_content_type(content: bytes) -> str | None:
    """JPEG or PNG from the file's own signature (a declared type is not trusted)."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    return None


def check_image(content: bytes, declared_type: str | None = None) -> str:
    """The content type to store, or AttachmentRejected (pure)."""
    if not content:
        raise AttachmentRejected("empty")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise AttachmentRejected("too_large")
    sniffed = sniff_content_type(content)
    if sniffed is None:
        raise AttachmentRejected("not_an_image")
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared and declared not in (JPEG, PNG, "application/octet-stream"):
        raise AttachmentRejected("not_an_image")
    return sniffed


def store_attachment(
    session: Session,
    *,
    owner: str,
    content: bytes,
    declared_type: str | None = None,
    line_message_id: str | None = None,
    ticket_id: int | None = None,
) -> Attachment:
    """Check and store one photo; the same LINE message stored twice is stored once."""
    content_type = check_image(content, declared_type)
    if line_message_id:
        existing = session.scalar(select(Attachment).where(Attachment.line_message_id == line_message_id))
        if existing is not None:
            return existing
    attachment = Attachment(
        owner_key=owner,
        ticket_id=ticket_id,
        line_message_id=line_message_id,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=datetime.now(timezone.utc),
    )
    session.add(attachment)
    session.flush()
    return attachment


def _info(attachment: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        attachment.id,
        attachment.ticket_id,
        attachment.content_type,
        attachment.size_bytes,
        attachment.sha256,
        attachment.created_at,
    )


def list_attachments(session: Session, *, ticket_ids: list[int]) -> list[AttachmentInfo]:
    """The photos of these tickets (a case and its linked complaints), oldest first."""
    if not ticket_ids:
        return []
    rows = session.scalars(
        select(Attachment).where(Attachment.ticket_id.in_(ticket_ids)).order_by(Attachment.created_at, Attachment.id)
    )
    return [_info(a) for a in rows]


def count_pending(session: Session, *, owner: str, now: datetime | None = None) -> int:
    """How many recent photos of this citizen wait for a ticket."""
    since = (now or datetime.now(timezone.utc)) - PENDING_MAX_AGE
    return len(
        session.scalars(
            select(Attachment.id).where(
                Attachment.owner_key == owner,
                Attachment.ticket_id.is_(None),
                Attachment.created_at >= since,
            )
        ).all()
    )


def link_pending(session: Session, *, owner: str, ticket_id: int, now: datetime | None = None) -> int:
    """Give this citizen's recent pending photos to the ticket; returns how many."""
    since = (now or datetime.now(timezone.utc)) - PENDING_MAX_AGE
    result = session.execute(
        update(Attachment)
        .where(
            Attachment.owner_key == owner,
            Attachment.ticket_id.is_(None),
            Attachment.created_at >= since,
        )
        .values(ticket_id=ticket_id)
        .execution_options(synchronize_session=False)
    )
    return int(cast(CursorResult[Any], result).rowcount or 0)


def attachment_content(session: Session, *, attachment_id: int, ticket_ids: list[int]) -> tuple[str, bytes] | None:
    """(content type, bytes) of a photo only if it belongs to one of these tickets.

    The caller passes the tickets the viewer may see (cases.access), so a guessed id of
    another agency's or a confidential case's photo finds nothing.
    """
    attachment = session.scalar(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.ticket_id.in_(ticket_ids or [-1]))
    )
    if attachment is None:
        return None
    return attachment.content_type, attachment.content
