"""Ticket list for the console and the API: filters, sort, pagination, scoped to a viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from cases.access import Viewer, can_view, visible_clause
from cases.models import Ticket
from cases.service_levels import AWAITING_ACTION_STATES, OPEN_STATES

SORTS = {
    "created": Ticket.created_at,
    "due": Ticket.resolve_due_at,
    "state": Ticket.state,
    "agency": Ticket.agency,
    "province": Ticket.province,
}
MAX_PAGE_SIZE = 200
# Counting every match of a broad filter costs more than the page itself: stop here.
COUNT_LIMIT = 1_000
# Urgent first; a literal (not a bound parameter) so it matches the index of migration 0005.
URGENT_FIRST = (Ticket.priority == literal_column("'urgent'")).self_group()


@dataclass(frozen=True)
class TicketFilters:
    state: str | None = None
    agency: str | None = None
    category: str | None = None
    province: str | None = None
    priority: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    overdue: bool | None = None
    q: str | None = None  # substring of the description or subject (works for Thai)
    sort: str = "default"  # default = urgent first, then newest; or a SORTS key, "-" = desc
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True)
class TicketPage:
    items: list[Ticket]
    total: int
    page: int
    page_size: int
    total_exact: bool = True  # False: at least ``total`` matches (the count stopped there)


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    """SQL twin of service_levels.is_overdue."""
    return or_(
        and_(Ticket.state.in_(AWAITING_ACTION_STATES), Ticket.ack_due_at < now),
        and_(Ticket.state.in_(OPEN_STATES), Ticket.resolve_due_at < now),
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(viewer: Viewer, filters: TicketFilters, now: datetime) -> Select:
    query = select(Ticket).where(visible_clause(viewer))
    if not (filters.q and filters.q.strip()):  # a complaint joined to a case is listed as the case
        query = query.where(Ticket.duplicate_of_id.is_(None))
    for column, value in (
        (Ticket.state, filters.state),
        (Ticket.agency, filters.agency),
        (Ticket.category, filters.category),
        (Ticket.province, filters.province),
        (Ticket.priority, filters.priority),
    ):
        if value:
            query = query.where(column == value)
    if filters.created_from:
        query = query.where(Ticket.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Ticket.created_at < filters.created_to)
    if filters.overdue is not None:
        clause = overdue_clause(now)
        query = query.where(clause if filters.overdue else ~clause)
    if filters.q and filters.q.strip():
        pattern = f"%{_like_escape(filters.q.strip())}%"
        query = query.where(
            or_(
                Ticket.description.ilike(pattern, escape="\\"),
                Ticket.subject_name.ilike(pattern, escape="\\"),
                Ticket.tracking_number.ilike(pattern, escape="\\"),
            )
        )
    return query


def _order(sort: str):
    if sort.lstrip("-") in SORTS:
        column = SORTS[sort.lstrip("-")]
        return [column.desc() if sort.startswith("-") else column.asc(), Ticket.id.desc()]
    return [URGENT_FIRST.desc(), Ticket.created_at.desc(), Ticket.id.desc()]


def list_tickets(
    session: Session, *, viewer: Viewer, filters: TicketFilters, now: datetime | None = None
) -> TicketPage:
    now = now or datetime.now(timezone.utc)
    page_size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = max(1, filters.page)
    query = filtered(viewer, filters, now)
    items = session.scalars(query.order_by(*_order(filters.sort)).limit(page_size).offset((page - 1) * page_size)).all()
    if page == 1 and len(items) < page_size:  # the whole result is on this page
        return TicketPage(list(items), len(items), page, page_size)
    counted = query.with_only_columns(Ticket.id).order_by(None).limit(COUNT_LIMIT + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    return TicketPage(list(items), min(total, COUNT_LIMIT), page, page_size, total <= COUNT_LIMIT)


def iter_tickets(session: Session, *, viewer: Viewer, filters: TicketFilters, now: datetime | None = None):
    """Every matching ticket (for CSV export), streamed in batches."""
    query = filtered(viewer, filters, now or datetime.now(timezone.utc)).order_by(*_order(filters.sort))
    yield from session.scalars(query.execution_options(yield_per=500))


def visible_ticket(session: Session, *, viewer: Viewer, tracking_number: str) -> Ticket | None:
    """The ticket if this viewer may see it; None whether it is missing or forbidden."""
    ticket = session.scalar(select(Ticket).where(Ticket.tracking_number == tracking_number.strip().upper()))
    return ticket if ticket is not None and can_view(viewer, ticket) else None
