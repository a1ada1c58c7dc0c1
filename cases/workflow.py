"""What officers do to a ticket: change state, assign, reroute, recategorise, reply; all audited.

Errors a user can cause (a transition the taxonomy does not allow, an unknown agency)
come back as a message string; ``None`` means done.

Recategorising re-routes the ticket by the taxonomy's rule for the new category and the
ticket's place. Corruption is never moved silently: only an ACOC account may recategorise a
ticket into or out of corruption, or one that is confidential or with ACOC (everyone else
reroutes it to ACOC first); the reason is required and audited, and such a ticket is never
queued for trainers. A ticket moved into corruption becomes confidential; one ACOC moves
out of it is no longer (ACOC decided it is not corruption, and the new agency must see it).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from cases.access import CONFIDENTIAL_AGENCY
from cases.agencies import get_agency
from cases.models import Officer, Ticket, TicketEvent
from cases.repository import change_state
from cases.review_queue import Source, enqueue_ticket, purge_ticket
from cases.routing import route
from cases.service_levels import due_dates
from cases.taxonomy import (
    COMPLAINT_INTENT_PREFIX,
    CONFIDENTIAL_CATEGORIES,
    Category,
    SubjectType,
)
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


def reroute(session: Session, *, ticket: Ticket, to_agency: str, reason: str, actor: str) -> str | None:
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
        purge_ticket(session, ticket=ticket)  # what it queued earlier must not stay for trainers
    enqueue_ticket(session, ticket=ticket, source=Source.OFFICER_REROUTE)  # for NLU trainers
    session.flush()
    return None


def involves_corruption(ticket: Ticket, to_category: Category) -> bool:
    """Moving the ticket into or out of corruption, or touching a confidential/ACOC ticket."""
    return (
        to_category in CONFIDENTIAL_CATEGORIES
        or ticket.category in {c.value for c in CONFIDENTIAL_CATEGORIES}
        or ticket.confidential
        or ticket.agency == CONFIDENTIAL_AGENCY
    )


def may_recategorise(ticket: Ticket, to_category: Category, actor_agency: str) -> bool:
    """Only ACOC moves a ticket into or out of corruption; other changes follow the caller's
    usual rights (the API lets supervisors and administrators route)."""
    return actor_agency == CONFIDENTIAL_AGENCY or not involves_corruption(ticket, to_category)


def recategorise(
    session: Session,
    *,
    ticket: Ticket,
    to_category: Category,
    reason: str,
    actor: str,
    actor_agency: str,
) -> str | None:
    """Change the ticket's category and send it where the routing rule says (its place and
    subject kept); the event is a training signal (an intent correction) unless corruption
    is involved."""
    if to_category.value == ticket.category:
        return "the ticket already has that category"
    if not reason.strip():
        return "a reason is required to recategorise"
    if not may_recategorise(ticket, to_category, actor_agency):
        return "only ACOC may move a ticket into or out of corruption"
    corruption = involves_corruption(ticket, to_category)  # decided before anything changes
    routed = route(to_category, ticket.province, ticket.industrial_estate, _subject_type(ticket))
    event = _event(
        session, ticket, actor, "recategorise", note=f"{ticket.category} → {to_category.value}: {reason.strip()}"
    )
    event.from_agency, event.to_agency = ticket.agency, routed.agency
    if routed.agency != ticket.agency:
        ticket.assignee_id = None
    ticket.category, ticket.agency, ticket.confidential = to_category.value, routed.agency, routed.confidential
    if routed.priority.value != ticket.priority:
        ticket.priority = routed.priority.value
        due = due_dates(_aware(ticket.created_at), routed.priority)
        ticket.ack_due_at, ticket.resolve_due_at = due.acknowledge_by, due.resolve_by
    if ticket.confidential:
        purge_ticket(session, ticket=ticket)  # what it queued before it became corruption
    if not corruption:  # for NLU trainers; corruption never reaches them
        intent = None if to_category is Category.OTHER else COMPLAINT_INTENT_PREFIX + to_category.value
        enqueue_ticket(session, ticket=ticket, source=Source.OFFICER_RECATEGORISE, corrected_intent=intent)
    session.flush()
    return None


def _subject_type(ticket: Ticket) -> SubjectType | None:
    try:
        return SubjectType(ticket.subject_type)
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def record_reply(session: Session, *, ticket: Ticket, text: str, actor: str) -> str | None:
    if not text.strip():
        return "the reply is empty"
    _event(session, ticket, actor, "reply", note=text)
    if ticket.first_action_at is None:
        ticket.first_action_at = datetime.now(timezone.utc)
    session.flush()
    return None


def _event(session: Session, ticket: Ticket, actor: str, kind: str, note: str) -> TicketEvent:
    event = TicketEvent(actor=actor, kind=kind, from_state=ticket.state, to_state=ticket.state, note=note)
    ticket.events.append(event)
    session.flush()
    return event
