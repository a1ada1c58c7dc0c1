"""A citizen's erasure request (PDPA right to erasure), asked for on LINE ("ลบข้อมูลของฉัน").

``erase_citizen`` removes what identifies the citizen and keeps what the law requires:

- removed: the LINE user id, phone and conversation id on every ticket they filed; photos
  they sent but never filed; their conversations with officers (handoffs); the raw webhook
  events the gateway stored for them; and (by the retention job, the only part that reaches
  Rasa's tracker store) their conversation with the bot;
- kept: each complaint itself (category, place, description, its audit trail and evidence
  photos), because a complaint is an official record the ministry must keep and act on
  (Official Information Act; PDPA section 33 lets such data stay). The citizen is told so.

Every request is audited (``ErasureRequest``) under a salted hash, never the LINE id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cases.attachments import owner_key
from cases.inbound import InboundEvent
from cases.models import Attachment, ErasureRequest, Handoff, Ticket
from cases.privacy import pseudonym


def erasure_subject(line_user_id: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:erasure:{line_user_id}".encode()).hexdigest()


@dataclass(frozen=True)
class ErasureReport:
    tickets_cleared: int
    photos_deleted: int
    handoffs_deleted: int
    events_deleted: int


def _count(session: Session, model, where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(where)) or 0


def erase_citizen(session: Session, *, line_user_id: str, salt: str, now: datetime | None = None) -> ErasureReport:
    """Erase the citizen's personal data and audit it; the caller commits."""
    now = now or datetime.now(timezone.utc)
    tickets = Ticket.line_user_id == line_user_id
    photos = Attachment.ticket_id.is_(None) & (Attachment.owner_key == owner_key(line_user_id, salt))
    handoffs = Handoff.line_user_id == line_user_id
    events = InboundEvent.user_key == pseudonym(line_user_id)
    report = ErasureReport(
        tickets_cleared=_count(session, Ticket, tickets),
        photos_deleted=_count(session, Attachment, photos),
        handoffs_deleted=_count(session, Handoff, handoffs),
        events_deleted=_count(session, InboundEvent, events & (InboundEvent.status.in_(["done", "failed"]))),
    )
    session.execute(
        update(Ticket).where(tickets).values(line_user_id=None, contact_phone=None, conversation_id=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(delete(Attachment).where(photos))
    session.execute(delete(Handoff).where(handoffs))
    # Events still being answered stay until answered; the retention job removes them later.
    session.execute(delete(InboundEvent).where(events & InboundEvent.status.in_(["done", "failed"])))
    session.add(
        ErasureRequest(
            subject=erasure_subject(line_user_id, salt),
            requested_at=now,
            tickets_cleared=report.tickets_cleared,
            photos_deleted=report.photos_deleted,
            handoffs_deleted=report.handoffs_deleted,
            events_deleted=report.events_deleted,
        )
    )
    session.flush()
    return report


def pending_tracker_subjects(session: Session) -> set[str]:
    """Subjects whose Rasa conversation the retention job must still delete."""
    return set(session.scalars(select(ErasureRequest.subject).where(ErasureRequest.tracker_erased_at.is_(None))))


def mark_trackers_erased(session: Session, subjects: set[str], now: datetime) -> None:
    if subjects:
        session.execute(
            update(ErasureRequest).where(ErasureRequest.subject.in_(subjects)).values(tracker_erased_at=now)
        )
