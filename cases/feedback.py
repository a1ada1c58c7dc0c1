"""The citizen's answer after a ticket is resolved: solved or not, and a 1-5 rating.

"Not solved" reopens the ticket through the officers' workflow (an audited ``reopened``
state event). Only the ticket's own citizen (its LINE user) may answer for it; every
other case is an outcome value the action turns into a polite sentence.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.models import Ticket, TicketEvent, TicketFeedback
from cases.repository import get_citizen_ticket
from cases.taxonomy import TicketState as S
from cases.workflow import transition

CITIZEN_ACTOR = "citizen"
# Officer-facing audit note on the reopening event (the console shows it in Thai).
REOPEN_NOTE = "ผู้ร้องแจ้งทาง LINE ว่าปัญหายังไม่ได้รับการแก้ไข"
RATINGS = range(1, 6)
# A ticket whose last resolution the citizen may still answer for.
ANSWERABLE_STATES = frozenset({S.RESOLVED.value, S.CLOSED.value})


class FeedbackOutcome(str, Enum):
    SOLVED = "solved"  # recorded: the problem is solved
    REOPENED = "reopened"  # recorded: not solved, the ticket is open again
    NOT_FOUND = "not_found"  # no such ticket for this citizen (never tells which)
    NOT_ASKED = "not_asked"  # the ticket is not (or no longer) waiting for this answer
    RATED = "rated"
    INVALID_RATING = "invalid_rating"


def last_resolution(session: Session, ticket: Ticket) -> TicketEvent | None:
    """The latest state event that moved the ticket to ``resolved``."""
    return session.scalar(
        select(TicketEvent)
        .where(
            TicketEvent.ticket_id == ticket.id,
            TicketEvent.kind == "state",
            TicketEvent.to_state == S.RESOLVED.value,
        )
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )


def record_answer(
    session: Session,
    *,
    tracking_number: str,
    line_user_id: str,
    solved: bool,
    now: datetime | None = None,
) -> FeedbackOutcome:
    """Store the citizen's answer to the latest resolution; reopen when not solved.

    Tapping the same answer twice changes nothing; "solved" then "not solved" (the
    problem came back) reopens. After a reopening the question is no longer open.
    """
    now = now or datetime.now(timezone.utc)
    ticket = get_citizen_ticket(session, tracking_number=tracking_number, line_user_id=line_user_id)
    if ticket is None:
        return FeedbackOutcome.NOT_FOUND
    resolution = last_resolution(session, ticket)
    if ticket.state not in ANSWERABLE_STATES or resolution is None:
        return FeedbackOutcome.NOT_ASKED
    feedback = session.scalar(select(TicketFeedback).where(TicketFeedback.resolution_event_id == resolution.id))
    if feedback is None:
        feedback = TicketFeedback(
            ticket_id=ticket.id, resolution_event_id=resolution.id, solved=solved, answered_at=now
        )
        session.add(feedback)
    else:
        feedback.solved, feedback.answered_at = solved, now
    session.flush()
    if solved:
        return FeedbackOutcome.SOLVED
    error = transition(session, ticket=ticket, to_state=S.REOPENED, actor=CITIZEN_ACTOR, note=REOPEN_NOTE, now=now)
    if error is not None:  # the transitions table changed under us: a bug, not a user error
        raise RuntimeError(error)
    return FeedbackOutcome.REOPENED


def record_rating(
    session: Session,
    *,
    tracking_number: str,
    line_user_id: str,
    rating: int | str | None,
    now: datetime | None = None,
) -> FeedbackOutcome:
    """Store a 1-5 rating on the citizen's latest answer for this ticket (a re-rating overwrites)."""
    ticket = get_citizen_ticket(session, tracking_number=tracking_number, line_user_id=line_user_id)
    if ticket is None:
        return FeedbackOutcome.NOT_FOUND
    feedback = session.scalar(
        select(TicketFeedback).where(TicketFeedback.ticket_id == ticket.id).order_by(TicketFeedback.id.desc()).limit(1)
    )
    if feedback is None:
        return FeedbackOutcome.NOT_ASKED
    value = parse_rating(rating)
    if value is None:
        return FeedbackOutcome.INVALID_RATING
    feedback.rating, feedback.rated_at = value, now or datetime.now(timezone.utc)
    session.flush()
    return FeedbackOutcome.RATED


def parse_rating(value: int | str | None) -> int | None:
    """1-5 from a button payload ("4") or a typed digit; anything else is None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number in RATINGS else None


def parse_solved(value: object) -> bool | None:
    """The ``solved`` entity of the quick reply: "yes" / "no"."""
    text = str(value or "").strip().lower()
    return {"yes": True, "no": False}.get(text)


def feedback_for_ticket(session: Session, *, ticket_id: int) -> list[TicketFeedback]:
    """Every answer the citizen gave for this ticket, oldest first (for the console)."""
    return list(
        session.scalars(select(TicketFeedback).where(TicketFeedback.ticket_id == ticket_id).order_by(TicketFeedback.id))
    )


def average_rating(session: Session, *, ticket_ids_clause=None) -> tuple[float | None, int]:
    """Mean rating and how many ratings, optionally over a subset of tickets."""
    query = select(func.avg(TicketFeedback.rating), func.count(TicketFeedback.rating)).where(
        TicketFeedback.rating.is_not(None)
    )
    if ticket_ids_clause is not None:
        query = query.join(Ticket, Ticket.id == TicketFeedback.ticket_id).where(ticket_ids_clause)
    mean, count = session.execute(query).one()
    return (float(mean) if mean is not None else None), int(count)
