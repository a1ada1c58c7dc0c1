"""Filing a complaint with the duplicate check, and reading a case's complainants.

The decision is cases.duplicates (pure); this module loads the open candidates, links a
new ticket to the case it duplicates (audited on both tickets) and answers the console's
questions (who complained about this case, how many).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.duplicates import NEVER_MERGED, OPEN_STATES, WINDOW, CaseFacts, find_duplicate
from cases.models import Ticket, TicketEvent
from cases.repository import BOT_ACTOR, TicketDraft, create_ticket
from cases.taxonomy import Category

# Open cases compared with a new complaint: the newest of its category (enough in 30 days).
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class Filed:
    ticket: Ticket
    case: Ticket | None  # the open case this complaint was linked to, if any


def facts_of_ticket(ticket: Ticket) -> CaseFacts:
    return CaseFacts(
        category=ticket.category,
        description=ticket.description,
        created_at=ticket.created_at,
        state=ticket.state,
        subject_name=ticket.subject_name,
        latitude=ticket.latitude,
        longitude=ticket.longitude,
        confidential=ticket.confidential,
        ticket_id=ticket.id,
    )


def facts_of_draft(draft: TicketDraft, now: datetime) -> CaseFacts:
    return CaseFacts(
        category=draft.category.value,
        description=draft.description,
        created_at=now,
        subject_name=draft.subject_name,
        latitude=draft.latitude,
        longitude=draft.longitude,
    )


def open_candidates(session: Session, *, category: str, now: datetime) -> list[Ticket]:
    """Open main cases (not themselves linked) of this category from the last WINDOW."""
    if category in NEVER_MERGED:
        return []
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.category == category,
                Ticket.state.in_(OPEN_STATES),
                Ticket.created_at >= now - WINDOW,
                Ticket.duplicate_of_id.is_(None),
                Ticket.confidential.is_(False),
            )
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(MAX_CANDIDATES)
        )
    )


def link_duplicate(session: Session, *, ticket: Ticket, case: Ticket, actor: str = BOT_ACTOR) -> None:
    """Make ``ticket`` one more complaint of ``case``; both audit trails say so.

    The linked ticket keeps its own number (the citizen's) but no deadlines of its own:
    the officers work on the case.
    """
    ticket.duplicate_of_id = case.id
    ticket.ack_due_at = None
    ticket.resolve_due_at = None
    ticket.events.append(
        TicketEvent(
            actor=actor, kind="duplicate", from_state=ticket.state, to_state=ticket.state, note=case.tracking_number
        )
    )
    case.events.append(
        TicketEvent(
            actor=actor, kind="complainant", from_state=case.state, to_state=case.state, note=ticket.tracking_number
        )
    )
    session.flush()


def file_complaint(session: Session, *, draft: TicketDraft, now: datetime | None = None) -> Filed:
    """Create the ticket; link it to the open case it duplicates, if there is one.

    Idempotent like create_ticket: a repeated submission returns the same ticket and link.
    """
    now = now or datetime.now(timezone.utc)
    candidates = open_candidates(session, category=draft.category.value, now=now)
    match = find_duplicate(facts_of_draft(draft, now), [facts_of_ticket(t) for t in candidates])
    ticket = create_ticket(session, draft=draft)
    if ticket.duplicate_of_id is not None:  # filed before (a retried submission)
        return Filed(ticket, session.get(Ticket, ticket.duplicate_of_id))
    case = next((t for t in candidates if match and t.id == match.ticket_id), None)
    if case is None or case.id == ticket.id:
        return Filed(ticket, None)
    link_duplicate(session, ticket=ticket, case=case)
    return Filed(ticket, case)


def case_of(session: Session, ticket: Ticket) -> Ticket:
    """The main case a ticket belongs to (itself when it is not linked)."""
    if ticket.duplicate_of_id is None:
        return ticket
    return session.get(Ticket, ticket.duplicate_of_id) or ticket


def linked_tickets(session: Session, *, case_id: int) -> list[Ticket]:
    """The other complaints linked to this case, oldest first."""
    return list(
        session.scalars(select(Ticket).where(Ticket.duplicate_of_id == case_id).order_by(Ticket.created_at, Ticket.id))
    )


@dataclass(frozen=True)
class Complainant:
    """A LINE user who joined a case with complaints of their own (their tracking numbers)."""

    line_user_id: str
    tracking_numbers: tuple[str, ...]


def linked_complainants(session: Session, *, case: Ticket) -> list[Complainant]:
    """Who else should hear that ``case`` changed: the LINE users of the complaints linked
    to it, once each (oldest complaint first), without the case's own citizen.

    None for a confidential (corruption) case: telling one citizen that others reported the
    same official would expose them all (such cases are never merged; this holds anyway).
    """
    if case.confidential or case.category == Category.CORRUPTION.value:
        return []
    numbers: dict[str, list[str]] = {}
    for ticket in linked_tickets(session, case_id=case.id):
        if not ticket.line_user_id or ticket.line_user_id == case.line_user_id or ticket.confidential:
            continue
        numbers.setdefault(ticket.line_user_id, []).append(ticket.tracking_number)
    return [Complainant(user, tuple(tracking)) for user, tracking in numbers.items()]


def complainant_counts(session: Session, *, case_ids: list[int]) -> dict[int, int]:
    """Complainants per case: the case's own citizen plus every linked complaint."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(Ticket.duplicate_of_id, func.count(Ticket.id))
        .where(Ticket.duplicate_of_id.in_(case_ids))
        .group_by(Ticket.duplicate_of_id)
    )
    counts = {case_id: 1 for case_id in case_ids}
    for case_id, linked in rows:
        counts[case_id] = 1 + int(linked)
    return counts
