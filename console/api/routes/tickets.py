"""Tickets of the current officer's scope: list, export, detail, and actions."""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cases.access import Viewer
from cases.accounts import get_officer
from cases.duplicate_links import linked_complainants
from cases.models import Ticket
from cases.registry.links import factory_by_number, link_factory
from cases.registry.models import Factory
from cases.service_levels import BANGKOK
from cases.taxonomy import Category, TicketState
from cases.ticket_queries import TicketFilters, iter_tickets, list_tickets, visible_ticket
from cases.workflow import (
    allowed_next,
    assign,
    may_recategorise,
    recategorise,
    record_reply,
    reroute,
    transition,
)
from console.api.deps import (
    ConsoleDep,
    LineDep,
    RoutingViewer,
    SessionDep,
    ViewerDep,
)
from console.api.schemas import (
    ActionResult,
    Assignment,
    EventOut,
    Recategorise,
    Reply,
    Reroute,
    StateChange,
    TicketDetail,
    TicketList,
    TicketSummary,
    TranscriptLineOut,
)
from console.csv_cells import safe_row
from console.transcript import fetch_transcript
from gateway.notifications import notify_citizen, notify_linked_complainants, state_follow_up

router = APIRouter(prefix="/tickets", tags=["tickets"])

CSV_COLUMNS = [
    "tracking_number",
    "created_at",
    "state",
    "category",
    "agency",
    "priority",
    "province",
    "subject_type",
    "subject_name",
    "overdue",
    "description",
    "factory_registration_number",
]


def ticket_filters(
    state: TicketState | None = None,
    agency: str | None = None,
    category: Category | None = None,
    province: str | None = None,
    priority: str | None = None,
    created_from: date | None = Query(None, description="first day (Bangkok), inclusive"),
    created_to: date | None = Query(None, description="last day (Bangkok), inclusive"),
    overdue: bool | None = None,
    q: str | None = Query(None, max_length=200, description="text in description/subject"),
    sort: str = "default",
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
) -> TicketFilters:
    return TicketFilters(
        state=state.value if state else None,
        agency=agency or None,
        category=category.value if category else None,
        province=province or None,
        priority=priority or None,
        created_from=_day_start(created_from),
        created_to=_day_start(created_to + timedelta(days=1)) if created_to else None,
        overdue=overdue,
        q=q,
        sort=sort,
        page=page,
        page_size=page_size,
    )


FiltersDep = Annotated[TicketFilters, Depends(ticket_filters)]


def _day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), BANGKOK) if day else None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _ticket_or_404(session: Session, viewer: Viewer, tracking_number: str) -> Ticket:
    """Missing and forbidden look the same: a guessed number tells nothing."""
    ticket = visible_ticket(session, viewer=viewer, tracking_number=tracking_number)
    if ticket is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such ticket")
    return ticket


@router.get("")
def list_(viewer: ViewerDep, session: SessionDep, filters: FiltersDep) -> TicketList:
    now = _now()
    page = list_tickets(session, viewer=viewer, filters=filters, now=now)
    return TicketList(
        items=[TicketSummary.of(t, now) for t in page.items],
        total=page.total,
        total_exact=page.total_exact,
        page=page.page,
        page_size=page.page_size,
    )


@router.get("/export.csv", response_class=StreamingResponse)
def export(viewer: ViewerDep, console: ConsoleDep, filters: FiltersDep) -> StreamingResponse:
    """Every matching ticket as UTF-8 CSV with a BOM, so Excel shows the Thai text."""
    now = _now()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        with console.sessions() as session:  # lives as long as the stream
            yield from _csv_rows(session, viewer, filters, now, writer, buffer)
        yield buffer.getvalue()

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="idee-tickets.csv"'},
    )


def _csv_rows(session, viewer, filters, now, writer, buffer) -> Iterator[str]:
    numbers: dict[int, str] = {}  # factory id -> registration number, looked up once per export
    for ticket in iter_tickets(session, viewer=viewer, filters=filters, now=now):
        s = TicketSummary.of(ticket, now)
        if ticket.factory_id is not None and ticket.factory_id not in numbers:
            factory = session.get(Factory, ticket.factory_id)
            numbers[ticket.factory_id] = factory.registration_number if factory else ""
        writer.writerow(
            safe_row(
                [
                    s.tracking_number,
                    s.created_at.isoformat(),
                    s.state,
                    s.category,
                    s.agency,
                    s.priority,
                    s.province or "",
                    s.subject_type,
                    s.subject_name or "",
                    "yes" if s.overdue else "",
                    ticket.description,
                    numbers.get(ticket.factory_id, "") if ticket.factory_id is not None else "",
                ]
            )
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def ticket_detail(ticket: Ticket, now: datetime) -> TicketDetail:
    summary = TicketSummary.of(ticket, now)
    return TicketDetail(
        **summary.model_dump(),
        description=ticket.description,
        industrial_estate=ticket.industrial_estate,
        place_detail=ticket.place_detail,
        nlu_intent=ticket.nlu_intent,
        nlu_confidence=ticket.nlu_confidence,
        confidential=ticket.confidential,
        first_action_at=ticket.first_action_at,
        resolved_at=ticket.resolved_at,
        allowed_next_states=[s.value for s in allowed_next(ticket.state)],
        events=[EventOut.of(e) for e in ticket.events],
    )


@router.get("/{tracking_number}")
async def detail(
    tracking_number: str,
    viewer: ViewerDep,
    session: SessionDep,
    console: ConsoleDep,
    transcript: bool = True,
) -> TicketDetail:
    def load() -> tuple[TicketDetail, Ticket]:
        ticket = _ticket_or_404(session, viewer, tracking_number)
        return ticket_detail(ticket, _now()), ticket

    result, ticket = await run_in_threadpool(load)
    if transcript and ticket.line_user_id:
        # Only this ticket's part of the conversation, masked when the citizen is anonymous.
        lines = await fetch_transcript(
            console.settings.rasa.url,
            ticket.line_user_id,
            tracking_number=ticket.tracking_number,
            anonymous=ticket.anonymous,
            timeout=console.settings.console.transcript_timeout_seconds,
            token=console.settings.rasa.auth_token,
        )
        if lines is not None:
            result.transcript = [TranscriptLineOut(speaker=line.speaker, text=line.text, at=line.at) for line in lines]
            result.transcript_available = True
    return result


@router.post("/{tracking_number}/state")
async def change_state(
    tracking_number: str,
    body: StateChange,
    viewer: ViewerDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
) -> ActionResult:
    def apply() -> Ticket:
        ticket = _ticket_or_404(session, viewer, tracking_number)
        error = transition(session, ticket=ticket, to_state=body.state, actor=viewer.username, note=body.note)
        if error:
            raise HTTPException(status.HTTP_409_CONFLICT, error)
        session.commit()  # the citizen hears only about a change that is stored
        return ticket

    ticket = await run_in_threadpool(apply)
    notified = False
    if body.notify:
        text = console.notices.for_state(tracking_number=ticket.tracking_number, state=ticket.state, note=body.note)
        follow_up = state_follow_up(console.followup, tracking_number=ticket.tracking_number, state=ticket.state)
        notified = await notify_citizen(line, line_user_id=ticket.line_user_id, text=text, follow_up=follow_up)
        # Citizens whose complaints were joined to this case hear the same, under their own
        # numbers (never for corruption); only the case's citizen is asked "solved?".
        linked = await run_in_threadpool(linked_complainants, session, case=ticket)
        await notify_linked_complainants(
            line,
            complainants=linked,
            text_for=lambda numbers: console.notices.for_state(
                tracking_number=numbers, state=ticket.state, note=body.note
            ),
        )
    return ActionResult(ticket=TicketSummary.of(ticket, _now()), notified=notified)


@router.post("/{tracking_number}/reply")
async def reply(
    tracking_number: str,
    body: Reply,
    viewer: ViewerDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
) -> ActionResult:
    def apply() -> Ticket:
        ticket = _ticket_or_404(session, viewer, tracking_number)
        if error := record_reply(session, ticket=ticket, text=body.text, actor=viewer.username):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
        session.commit()
        return ticket

    ticket = await run_in_threadpool(apply)
    text = console.notices.for_reply(tracking_number=ticket.tracking_number, text=body.text)
    notified = await notify_citizen(line, line_user_id=ticket.line_user_id, text=text)
    return ActionResult(ticket=TicketSummary.of(ticket, _now()), notified=notified)


@router.post("/{tracking_number}/assign")
def assign_(tracking_number: str, body: Assignment, viewer: RoutingViewer, session: SessionDep) -> ActionResult:
    ticket = _ticket_or_404(session, viewer, tracking_number)
    officer = get_officer(session, officer_id=body.officer_id)
    if officer is None or not officer.active:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no such officer")
    if error := assign(session, ticket=ticket, officer=officer, actor=viewer.username):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
    session.commit()
    return ActionResult(ticket=TicketSummary.of(ticket, _now()))


@router.post("/{tracking_number}/reroute")
def reroute_(tracking_number: str, body: Reroute, viewer: RoutingViewer, session: SessionDep) -> ActionResult:
    ticket = _ticket_or_404(session, viewer, tracking_number)
    if error := reroute(session, ticket=ticket, to_agency=body.agency, reason=body.reason, actor=viewer.username):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
    session.commit()
    return ActionResult(ticket=TicketSummary.of(ticket, _now()))


@router.post("/{tracking_number}/recategorise")
def recategorise_(tracking_number: str, body: Recategorise, viewer: RoutingViewer, session: SessionDep) -> ActionResult:
    """Change the category and re-route by the taxonomy; only ACOC moves a ticket into or out
    of corruption (cases/workflow.py)."""
    ticket = _ticket_or_404(session, viewer, tracking_number)
    if not may_recategorise(ticket, body.category, viewer.agency):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only ACOC may move a ticket into or out of corruption")
    error = recategorise(
        session,
        ticket=ticket,
        to_category=body.category,
        reason=body.reason,
        actor=viewer.username,
        actor_agency=viewer.agency,
    )
    if error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
    session.commit()
    return ActionResult(ticket=TicketSummary.of(ticket, _now()))


class FactoryLink(BaseModel):
    """The registry number of the factory the ticket is about; null or empty unlinks it."""

    registration_number: str | None = Field(None, max_length=40)


@router.put("/{tracking_number}/factory")
def link_factory_(tracking_number: str, body: FactoryLink, viewer: ViewerDep, session: SessionDep) -> ActionResult:
    """Link or change the ticket's factory (any officer who may see the ticket); audited."""
    ticket = _ticket_or_404(session, viewer, tracking_number)
    factory = None
    if body.registration_number and body.registration_number.strip():
        factory = factory_by_number(session, body.registration_number)
        if factory is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "no such factory in the registry")
    link_factory(session, ticket=ticket, factory=factory, actor=viewer.username)
    session.commit()
    return ActionResult(ticket=TicketSummary.of(ticket, _now()))
