"""A ticket's factory: linking, and what the console shows about a factory's complaints.

Every query here goes through ``visible_clause``: an officer counts and sees only the
complaints about a factory that the access rules let them see (corruption only for ACOC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.access import Viewer, visible_clause
from cases.models import Ticket, TicketEvent
from cases.registry.models import Factory

REPEAT_DAYS = 90
REPEAT_MIN = 3
MONTHS = 12
BANGKOK = timezone(timedelta(hours=7))


def link_factory(session: Session, *, ticket: Ticket, factory: Factory | None, actor: str) -> bool:
    """Point the ticket at ``factory`` (None: at no factory), with an audit event.
    Returns False when nothing changed."""
    new_id = factory.id if factory is not None else None
    if ticket.factory_id == new_id:
        return False
    ticket.factory_id = new_id
    note = f"{factory.registration_number} {factory.name}" if factory is not None else None
    ticket.events.append(
        TicketEvent(actor=actor, kind="factory", from_state=ticket.state, to_state=ticket.state, note=note)
    )
    session.flush()
    return True


def factory_by_number(session: Session, registration_number: str) -> Factory | None:
    from cases.registry.numbers import RegistrationNumberError, canonical_registration_number

    try:
        number = canonical_registration_number(registration_number)
    except RegistrationNumberError:
        return None
    return session.scalar(select(Factory).where(Factory.registration_number == number))


def link_by_number(session: Session, *, ticket: Ticket, registration_number: str | None, actor: str) -> bool:
    """Tie a new ticket to the factory the citizen picked; an unknown number links nothing."""
    factory = factory_by_number(session, registration_number) if registration_number else None
    return link_factory(session, ticket=ticket, factory=factory, actor=actor) if factory else False


def factory_tickets(session: Session, *, viewer: Viewer, factory_id: int, limit: int = 500) -> list[Ticket]:
    """The complaints about a factory this viewer may see, newest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(visible_clause(viewer), Ticket.factory_id == factory_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    )


def recent_complaints(
    session: Session, *, viewer: Viewer, factory_id: int, now: datetime, days: int = REPEAT_DAYS
) -> int:
    """Complaints about the factory in the last ``days`` days that this viewer may see."""
    since = (now - timedelta(days=days)).astimezone(timezone.utc)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(visible_clause(viewer), Ticket.factory_id == factory_id, Ticket.created_at >= since)
        )
        or 0
    )


def repeat_offenders(
    session: Session, *, viewer: Viewer, factory_ids: set[int], now: datetime, days: int = REPEAT_DAYS
) -> set[int]:
    """Which of these factories have ``REPEAT_MIN`` or more complaints (visible to this
    viewer) in the last ``days`` days: one grouped query for a whole page of tickets."""
    if not factory_ids:
        return set()
    since = (now - timedelta(days=days)).astimezone(timezone.utc)
    rows = session.execute(
        select(Ticket.factory_id)
        .where(visible_clause(viewer), Ticket.factory_id.in_(factory_ids), Ticket.created_at >= since)
        .group_by(Ticket.factory_id)
        .having(func.count() >= REPEAT_MIN)
    ).scalars()
    return {factory_id for factory_id in rows if factory_id is not None}


def is_repeat_offender(count: int) -> bool:
    return count >= REPEAT_MIN


@dataclass(frozen=True)
class MonthlyCategories:
    months: list[date]  # first day of each month (Bangkok), oldest first
    by_category: dict[str, list[int]]


def categories_over_time(tickets: list[Ticket], *, now: datetime, months: int = MONTHS) -> MonthlyCategories:
    """Complaints per month and category over the last ``months`` months (Bangkok calendar)."""
    local = now.astimezone(BANGKOK)
    firsts: list[date] = []
    year, month = local.year, local.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    firsts.reverse()
    position = {(d.year, d.month): i for i, d in enumerate(firsts)}
    counts: dict[str, list[int]] = {}
    for ticket in tickets:
        created = ticket.created_at if ticket.created_at.tzinfo else ticket.created_at.replace(tzinfo=timezone.utc)
        created = created.astimezone(BANGKOK)
        index = position.get((created.year, created.month))
        if index is not None:
            counts.setdefault(ticket.category, [0] * months)[index] += 1
    return MonthlyCategories(firsts, dict(sorted(counts.items(), key=lambda item: -sum(item[1]))))
