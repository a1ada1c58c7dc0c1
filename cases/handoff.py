"""Handoff of a citizen's LINE conversation to an officer (the bot stays quiet meanwhile).

Who sees a handoff (the rule the console and API use):
- tied to a ticket: exactly who may see that ticket (``cases.access``): its agency's
  officers, administrators, and for corruption (confidential/ACOC) tickets only ACOC;
- untied (the citizen has no open ticket): the ministry's central complaint desk, OPS
  (สำนักงานปลัดกระทรวง, which triages anything unplaced), and administrators.

Which ticket a new handoff is tied to: the one the citizen named (if it is theirs),
else their open confidential ticket if any (a corruption complainant is never heard by
another agency), else their newest open ticket, else none.

A handoff ends when an officer hands back to the bot, when the citizen asks for the bot,
or after ``timeout`` without officer activity (counted from opening or the last officer
message). Decisions are pure functions; the rest reads and writes one session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session, selectinload

from cases.access import CONFIDENTIAL_AGENCY, Viewer, can_view, visible_clause
from cases.accounts import Role
from cases.models import Handoff, HandoffMessage, Officer, Ticket
from cases.repository import get_citizen_ticket
from cases.taxonomy import TicketState as S

CENTRAL_DESK_AGENCY = "OPS"
OPEN, CLOSED = "open", "closed"
MAX_MESSAGE_CHARS = 4000
# Tickets a handoff may be tied to (the conversation is about something still going on).
OPEN_TICKET_STATES = frozenset(
    {S.NEW.value, S.ACKNOWLEDGED.value, S.IN_PROGRESS.value, S.RESOLVED.value, S.REOPENED.value}
)


class CloseReason(str, Enum):
    OFFICER = "officer"  # an officer handed back to the bot
    TIMEOUT = "timeout"  # no officer activity for the configured time
    CITIZEN = "citizen"  # the citizen asked for the bot again


@dataclass(frozen=True)
class Opened:
    handoff_id: int
    already_open: bool


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def is_expired(handoff: Handoff, *, now: datetime, timeout: timedelta) -> bool:
    """Pure: open and without officer activity for ``timeout``."""
    return handoff.status == OPEN and now - _utc(handoff.last_officer_activity_at) >= timeout


def choose_ticket(tickets: list[Ticket], named: Ticket | None) -> Ticket | None:
    """Pure: the ticket a new handoff is tied to (see the module docstring)."""
    if named is not None:
        return named
    open_tickets = [t for t in tickets if t.state in OPEN_TICKET_STATES]
    confidential = [t for t in open_tickets if t.confidential or t.agency == CONFIDENTIAL_AGENCY]
    if confidential:
        return confidential[0]
    return open_tickets[0] if open_tickets else None


def open_handoff_for(session: Session, *, line_user_id: str) -> Handoff | None:
    return session.scalar(
        select(Handoff)
        .where(Handoff.line_user_id == line_user_id, Handoff.status == OPEN)
        .order_by(Handoff.id.desc())
        .limit(1)
    )


def open_handoff(
    session: Session,
    *,
    line_user_id: str,
    tracking_number: str | None = None,
    now: datetime | None = None,
) -> Opened:
    """Open a handoff for this citizen (or report the one already open)."""
    existing = open_handoff_for(session, line_user_id=line_user_id)
    if existing is not None:
        return Opened(existing.id, already_open=True)
    now = now or datetime.now(timezone.utc)
    named = (
        get_citizen_ticket(session, tracking_number=tracking_number, line_user_id=line_user_id)
        if tracking_number
        else None
    )
    tickets = list(
        session.scalars(
            select(Ticket)
            .where(Ticket.line_user_id == line_user_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(50)
        )
    )
    ticket = choose_ticket(tickets, named)
    handoff = Handoff(
        line_user_id=line_user_id,
        ticket_id=ticket.id if ticket else None,
        status=OPEN,
        opened_at=now,
        last_officer_activity_at=now,
    )
    session.add(handoff)
    session.flush()
    return Opened(handoff.id, already_open=False)


def add_citizen_message(session: Session, *, handoff: Handoff, text: str, now: datetime | None = None) -> bool:
    """Keep a citizen's message for the officer; True the first time (acknowledge once)."""
    session.add(
        HandoffMessage(
            handoff_id=handoff.id,
            sender="citizen",
            text=text[:MAX_MESSAGE_CHARS],
            created_at=now or datetime.now(timezone.utc),
        )
    )
    first = not handoff.acknowledged
    handoff.acknowledged = True
    session.flush()
    return first


def add_officer_message(
    session: Session, *, handoff: Handoff, officer_id: int, text: str, now: datetime | None = None
) -> str | None:
    """Record an officer's message; it also counts as activity (the timeout restarts)."""
    text = text.strip()
    if not text:
        return "the message is empty"
    if len(text) > MAX_MESSAGE_CHARS:
        return f"the message is longer than {MAX_MESSAGE_CHARS} characters"
    if handoff.status != OPEN:
        return "the handoff is already closed"
    now = now or datetime.now(timezone.utc)
    session.add(
        HandoffMessage(handoff_id=handoff.id, sender="officer", officer_id=officer_id, text=text, created_at=now)
    )
    handoff.officer_id = officer_id
    handoff.last_officer_activity_at = now
    session.flush()
    return None


def close_handoff(
    session: Session,
    *,
    handoff: Handoff,
    reason: CloseReason,
    officer_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Close it; False when it was already closed (so the citizen is told only once)."""
    if handoff.status != OPEN:
        return False
    handoff.status = CLOSED
    handoff.closed_reason = reason.value
    handoff.closed_at = now or datetime.now(timezone.utc)
    if officer_id is not None:
        handoff.officer_id = officer_id
    session.flush()
    return True


def expire_handoffs(session: Session, *, timeout: timedelta, now: datetime | None = None) -> list[str]:
    """Close every handoff past the timeout; the LINE users to tell the bot is back."""
    now = now or datetime.now(timezone.utc)
    candidates = session.scalars(
        select(Handoff)
        .where(Handoff.status == OPEN, Handoff.last_officer_activity_at <= now - timeout)
        .with_for_update(skip_locked=True)
    ).all()
    users = []
    for handoff in candidates:
        if is_expired(handoff, now=now, timeout=timeout):
            close_handoff(session, handoff=handoff, reason=CloseReason.TIMEOUT, now=now)
            users.append(handoff.line_user_id)
    return users


def sees_untied_handoffs(viewer: Viewer) -> bool:
    """Administrators and the central desk's officers; never a trainer, whatever their agency."""
    if viewer.role is Role.TRAINER:
        return False
    return viewer.is_admin or viewer.agency == CENTRAL_DESK_AGENCY


def handoff_visible_clause(viewer: Viewer) -> ColumnElement[bool]:
    """WHERE clause over ``Handoff`` outer-joined to its ``Ticket`` (see the module docstring)."""
    untied_rule = true() if sees_untied_handoffs(viewer) else false()
    return or_(
        and_(Handoff.ticket_id.is_(None), untied_rule),
        and_(Handoff.ticket_id.is_not(None), visible_clause(viewer)),
    )


def can_view_handoff(viewer: Viewer, handoff: Handoff) -> bool:
    if handoff.ticket is not None:
        return can_view(viewer, handoff.ticket)
    return sees_untied_handoffs(viewer)


def list_handoffs(session: Session, *, viewer: Viewer, status: str = OPEN, limit: int = 100) -> list[Handoff]:
    """Handoffs this viewer may see, oldest waiting first."""
    return list(
        session.scalars(
            select(Handoff)
            .outerjoin(Ticket, Ticket.id == Handoff.ticket_id)
            .where(Handoff.status == status, handoff_visible_clause(viewer))
            .options(selectinload(Handoff.ticket), selectinload(Handoff.messages))
            .order_by(Handoff.opened_at, Handoff.id)
            .limit(limit)
        )
    )


def visible_handoff(session: Session, *, viewer: Viewer, handoff_id: int) -> Handoff | None:
    """The handoff if this viewer may see it; missing and forbidden look the same."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or not can_view_handoff(viewer, handoff):
        return None
    return handoff


def officer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Officer.id, Officer.display_name).where(Officer.id.in_(ids)))
    return {row.id: row.display_name for row in rows}
