"""Conversations handed to officers: list, read, reply (LINE push), hand back to the bot.

Who sees which handoff is cases/handoff.py's rule (a ticket's visibility; untied ones
go to the central desk, OPS, and administrators). No LINE user id ever goes out.
"""

from datetime import datetime, timezone

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cases.access import Viewer
from cases.handoff import (
    CENTRAL_DESK_AGENCY,
    MAX_MESSAGE_CHARS,
    OPEN,
    CloseReason,
    add_officer_message,
    close_handoff,
    list_handoffs,
    officer_names,
    visible_handoff,
)
from cases.models import Handoff
from console.api.deps import ConsoleDep, LineDep, SessionDep, ViewerDep
from gateway.notifications import notify_citizen

router = APIRouter(prefix="/handoffs", tags=["handoffs"])


class HandoffMessageOut(BaseModel):
    sender: str  # citizen | officer
    officer: str | None = None
    text: str
    at: datetime


class HandoffSummary(BaseModel):
    id: int
    status: str
    desk: str  # the agency whose officers answer (the ticket's, or the central desk)
    tracking_number: str | None
    opened_at: datetime
    last_officer_activity_at: datetime
    closed_reason: str | None
    message_count: int
    last_citizen_message: str | None

    @classmethod
    def of(cls, handoff: Handoff) -> "HandoffSummary":
        citizen = [m for m in handoff.messages if m.sender == "citizen"]
        return cls(
            id=handoff.id,
            status=handoff.status,
            desk=handoff.ticket.agency if handoff.ticket else CENTRAL_DESK_AGENCY,
            tracking_number=handoff.ticket.tracking_number if handoff.ticket else None,
            opened_at=_utc(handoff.opened_at),
            last_officer_activity_at=_utc(handoff.last_officer_activity_at),
            closed_reason=handoff.closed_reason,
            message_count=len(handoff.messages),
            last_citizen_message=citizen[-1].text[:200] if citizen else None,
        )


class HandoffDetail(HandoffSummary):
    messages: list[HandoffMessageOut]


class HandoffList(BaseModel):
    items: list[HandoffSummary]


class HandoffReply(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class HandoffActionResult(BaseModel):
    handoff: HandoffSummary
    notified: bool = False


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _handoff_or_404(session: Session, viewer: Viewer, handoff_id: int) -> Handoff:
    """Missing and forbidden look the same."""
    handoff = visible_handoff(session, viewer=viewer, handoff_id=handoff_id)
    if handoff is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such handoff")
    return handoff


def handoff_detail(session: Session, handoff: Handoff) -> HandoffDetail:
    names = officer_names(session, {m.officer_id for m in handoff.messages if m.officer_id})
    return HandoffDetail(
        **HandoffSummary.of(handoff).model_dump(),
        messages=[
            HandoffMessageOut(
                sender=m.sender,
                officer=names.get(m.officer_id) if m.officer_id else None,
                text=m.text,
                at=_utc(m.created_at),
            )
            for m in handoff.messages
        ],
    )


@router.get("")
def list_(viewer: ViewerDep, session: SessionDep, status_: str = Query(OPEN, alias="status")) -> HandoffList:
    state = status_ if status_ in ("open", "closed") else OPEN
    return HandoffList(items=[HandoffSummary.of(h) for h in list_handoffs(session, viewer=viewer, status=state)])


@router.get("/{handoff_id}")
def detail(handoff_id: int, viewer: ViewerDep, session: SessionDep) -> HandoffDetail:
    return handoff_detail(session, _handoff_or_404(session, viewer, handoff_id))


@router.post("/{handoff_id}/reply")
async def reply(
    handoff_id: int,
    body: HandoffReply,
    viewer: ViewerDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
) -> HandoffActionResult:
    """The officer's message is stored, then pushed to the citizen on LINE."""

    def apply() -> tuple[Handoff, str]:
        handoff = _handoff_or_404(session, viewer, handoff_id)
        error = add_officer_message(session, handoff=handoff, officer_id=viewer.officer_id, text=body.text)
        if error == "the handoff is already closed":
            raise HTTPException(status.HTTP_409_CONFLICT, error)
        if error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
        session.commit()
        return handoff, handoff.line_user_id

    handoff, user_id = await run_in_threadpool(apply)
    template = console.followup.officer_message
    text = template.format(text=body.text.strip())["text"] if template else body.text.strip()
    notified = await notify_citizen(line, line_user_id=user_id, text=text)
    return HandoffActionResult(handoff=HandoffSummary.of(handoff), notified=notified)


@router.post("/{handoff_id}/close")
async def hand_back(
    handoff_id: int,
    viewer: ViewerDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
) -> HandoffActionResult:
    """Hand the conversation back to the bot; the citizen is told the bot is back."""

    def apply() -> tuple[Handoff, str]:
        handoff = _handoff_or_404(session, viewer, handoff_id)
        if not close_handoff(session, handoff=handoff, reason=CloseReason.OFFICER, officer_id=viewer.officer_id):
            raise HTTPException(status.HTTP_409_CONFLICT, "the handoff is already closed")
        session.commit()
        return handoff, handoff.line_user_id

    handoff, user_id = await run_in_threadpool(apply)
    template = console.followup.bot_back
    notified = bool(template) and await notify_citizen(
        line,
        line_user_id=user_id,
        text=template.format()["text"],  # type: ignore[union-attr]
    )
    return HandoffActionResult(handoff=HandoffSummary.of(handoff), notified=notified)
