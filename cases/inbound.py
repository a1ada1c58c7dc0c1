"""Durable intake of LINE webhook events: stored before the webhook is acknowledged,
processed afterwards by a worker, each event once (keyed by LINE's webhookEventId)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, cast

from sqlalchemy import DateTime, Index, Integer, String, Text, and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, Session, mapped_column

from cases.models import Base

PENDING = "pending"
PROCESSING = "processing"
DONE = "done"
FAILED = "failed"


class InboundEvent(Base):
    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_key: Mapped[str] = mapped_column(String(64), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    busy_notified: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_inbound_events_status_next", "status", "next_attempt_at"),)


@dataclass(frozen=True)
class IncomingEvent:
    webhook_event_id: str
    user_key: str
    body: str


@dataclass(frozen=True)
class ClaimedEvent:
    id: int
    user_key: str
    body: str
    attempts: int
    busy_notified: bool
    received_at: datetime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def store_events(
    session: Session, *, events: list[IncomingEvent], now: datetime | None = None, return_ids: bool = False
):
    """Insert the events; ones already stored (a redelivery) are ignored.

    Returns how many are new, or with ``return_ids`` the new rows' ids (to enqueue)."""
    if not events:
        return [] if return_ids else 0
    now = now or utcnow()
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    new: list[int] = []
    for event in events:  # one statement each keeps the order of ids = the order LINE sent
        statement = (
            insert(InboundEvent)
            .values(
                webhook_event_id=event.webhook_event_id,
                user_key=event.user_key,
                body=event.body,
                status=PENDING,
                attempts=0,
                busy_notified=0,
                received_at=now,
                next_attempt_at=now,
            )
            .on_conflict_do_nothing(index_elements=[InboundEvent.webhook_event_id])  # type: ignore[attr-defined]
            .returning(InboundEvent.id)
        )
        new += [row[0] for row in session.execute(statement).all()]
    return new if return_ids else len(new)


def claim_next_events(
    session: Session,
    *,
    limit: int = 20,
    lease: timedelta = timedelta(minutes=2),
    now: datetime | None = None,
    user_key: str | None = None,
) -> list[ClaimedEvent]:
    """Claim the oldest due event of each user who has nothing in progress (per-user order).

    Events left in progress longer than ``lease`` (a worker died) become claimable again.
    ``user_key`` limits the claim to one citizen (the broker worker drains one citizen).

    Safe across processes on PostgreSQL: the candidate rows are locked ``FOR UPDATE SKIP
    LOCKED`` and the status is part of the outer ``WHERE``, so a row another worker claimed
    (and committed) between our snapshot and our lock is re-checked and dropped. A citizen's
    event k+1 is only a candidate when event k is neither pending nor in progress in our
    snapshot, i.e. finished for good, so order holds across workers.
    """
    now = now or utcnow()
    session.execute(
        update(InboundEvent)
        .where(InboundEvent.status == PROCESSING, InboundEvent.claimed_at < now - lease)
        .values(status=PENDING)
    )
    busy_users = select(InboundEvent.user_key).where(InboundEvent.status == PROCESSING)
    oldest_open = select(InboundEvent.user_key, func.min(InboundEvent.id).label("first_id")).where(
        InboundEvent.status == PENDING
    )
    if user_key is not None:
        oldest_open = oldest_open.where(InboundEvent.user_key == user_key)
        busy_users = busy_users.where(InboundEvent.user_key == user_key)
    oldest_open_q = oldest_open.group_by(InboundEvent.user_key).subquery()
    candidates = session.scalars(
        select(InboundEvent)
        .join(oldest_open_q, and_(InboundEvent.id == oldest_open_q.c.first_id))
        .where(
            InboundEvent.status == PENDING,  # re-checked on the locked row (see above)
            InboundEvent.next_attempt_at <= now,
            InboundEvent.user_key.not_in(busy_users),
        )
        .order_by(InboundEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=InboundEvent)
    ).all()
    claimed = []
    for row in candidates:
        row.status = PROCESSING
        row.claimed_at = now
        row.attempts += 1
        claimed.append(
            ClaimedEvent(row.id, row.user_key, row.body, row.attempts, bool(row.busy_notified), _aware(row.received_at))
        )
    session.flush()
    return claimed


def _owned(event_id: int, attempt: int | None):
    """Only the worker holding the current claim (``attempt``) may record its outcome:
    a worker whose lease ran out and whose event was handed out again changes nothing."""
    conditions = [InboundEvent.id == event_id]
    if attempt is not None:
        conditions += [InboundEvent.status == PROCESSING, InboundEvent.attempts == attempt]
    return conditions


def mark_done(session: Session, *, event_id: int, now: datetime | None = None, attempt: int | None = None) -> bool:
    result = session.execute(
        update(InboundEvent)
        .where(*_owned(event_id, attempt))
        .values(status=DONE, processed_at=now or utcnow(), last_error=None)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def mark_retry(
    session: Session,
    *,
    event_id: int,
    delay: timedelta,
    error: str,
    busy_notified: bool,
    now: datetime | None = None,
    attempt: int | None = None,
) -> bool:
    """Put the event back in the queue to try again after ``delay``."""
    result = session.execute(
        update(InboundEvent)
        .where(*_owned(event_id, attempt))
        .values(
            status=PENDING,
            next_attempt_at=(now or utcnow()) + delay,
            last_error=error[:255],
            busy_notified=int(busy_notified),
        )
    )
    return cast(CursorResult[Any], result).rowcount == 1


def mark_failed(
    session: Session, *, event_id: int, error: str, now: datetime | None = None, attempt: int | None = None
) -> bool:
    result = session.execute(
        update(InboundEvent)
        .where(*_owned(event_id, attempt))
        .values(status=FAILED, processed_at=now or utcnow(), last_error=error[:255])
    )
    return cast(CursorResult[Any], result).rowcount == 1


def user_key_of(session: Session, *, event_id: int) -> str | None:
    return session.scalar(select(InboundEvent.user_key).where(InboundEvent.id == event_id))


def stalled_events(
    session: Session,
    *,
    grace: timedelta,
    lease: timedelta,
    limit: int = 500,
    now: datetime | None = None,
) -> list[int]:
    """For the sweeper: one event id per citizen whose queue looks stuck.

    A citizen is stuck when their oldest pending event has been due for longer than
    ``grace`` (its broker message was lost, never sent because the broker was down, or
    was a delayed retry) or when an event of theirs is in progress past its ``lease``.
    Re-sending such an id is harmless: a claim takes the citizen's oldest event anyway.
    """
    now = now or utcnow()
    due = (
        select(func.min(InboundEvent.id))
        .where(InboundEvent.status == PENDING, InboundEvent.next_attempt_at <= now - grace)
        .group_by(InboundEvent.user_key)
    )
    expired = (
        select(func.min(InboundEvent.id))
        .where(InboundEvent.status == PROCESSING, InboundEvent.claimed_at < now - lease)
        .group_by(InboundEvent.user_key)
    )
    ids = set(session.scalars(due.limit(limit)).all()) | set(session.scalars(expired.limit(limit)).all())
    return sorted(ids)[:limit]


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(InboundEvent.status, func.count()).group_by(InboundEvent.status))
    return {status: count for status, count in rows}
