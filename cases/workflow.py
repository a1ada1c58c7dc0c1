"""What officers do to a ticket: change state, assign, reroute, reply; all audited.

Errors a user can cause (a transition the taxonomy does not allow, an unknown agency)
come back as a message string; ``None`` means done.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from cases.access import CONFIDENTIAL_AGENCY
from cases.agencies import get_agency
from cases.models import Officer, Ticket, TicketEvent
from cases.repository import change_state
from cases.review_queue import Source, enqueue_ticket
from cases.taxonomy import TicketState as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REFERRED, S.REJECTED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.RESOLVED, S.REFERRED, S.REJECTED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.REFERRED, S.REJECTED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REFERRED: frozenset({S.CLOSED, S.REOPENED}),
    S.REJECTED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REFERRED, S.REJECTED}),
}
FINISHED = frozenset({S.RESOLVED, S.CLOSED, S.REFERRED, S.REJECTED})
NOTE_REQUIRED = frozenset({S.REJECTED, S.REFERRED})


def allowed_next(state: str) -> list[S]:
    return sorted(TRANSITIONS.get(S(state), frozenset()), key=list(S).index)


def transition(
    session: Session,
    *,
    ticket: Ticket,
    to_state: S,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
) -> str | None:
    """Move the ticket to ``to_state`` with an audit event; a message if not allowed."""
    if to_state not in TRANSITIONS.get(S(ticket.state), frozenset()):
        return f"cannot change state from {ticket.state} to {to_state.value}"
    if to_state in NOTE_REQUIRED and not (note and note.strip()):
        return f"a note (the reason) is required for {to_state.value}"
    now = now or datetime.now(timezone.utc)
    change_state(session, ticket=ticket, to_state=to_state, actor=actor, note=note)
    if ticket.first_action_at is None:
        ticket.first_action_at = now
    if to_state in FINISHED and ticket.resolved_at is None:
        ticket.resolved_at = now
    if to_state is S.REOPENED:
        ticket.resolved_at = None
    session.flush()
    return None


def assign(session: Session, *, ticket: Ticket, officer: Officer, actor: str) -> str | None:
    if officer.agency != ticket.agency:
        return "the officer belongs to another agency"
    ticket.assignee_id = officer.id
    _event(session, ticket, actor, "assign", note=officer.username)
    return None


def reroute(
    session: Session, *, ticket: Ticket, to_agency: str, reason: str, actor: str
) -> str | None:
    """Send the ticket to another agency; the event is a routing training signal."""
    if get_agency(to_agency) is None:
        return f"unknown agency code: {to_agency}"
    if to_agency == ticket.agency:
        return "the ticket is already with that agency"
    if not reason.strip():
        return "a reason is required to reroute"
    event = _event(session, ticket, actor, "reroute", note=reason)
    event.from_agency, event.to_agency = ticket.agency, to_agency
    ticket.agency = to_agency
    ticket.assignee_id = None
    if to_agency == CONFIDENTIAL_AGENCY:
        ticket.confidential = True
    enqueue_ticket(session, ticket=ticket, source=Source.OFFICER_REROUTE)  # for NLU trainers
    session.flush()
    return None


def record_reply(session: Session, *, ticket: Ticket, text: str, actor: str) -> str | None:
    if not text.strip():
        return "the reply is empty"
    _event(session, ticket, actor, "reply", note=text)
    if ticket.first_action_at is None:
        ticket.first_action_at = datetime.now(timezone.utc)
    session.flush()
    return None


def _event(session: Session, ticket: Ticket, actor: str, kind: str, note: str) -> TicketEvent:
    event = TicketEvent(
        actor=actor, kind=kind, from_state=ticket.state, to_state=ticket.state, note=note
    )
    ticket.events.append(event)
    session.flush()
    return event
