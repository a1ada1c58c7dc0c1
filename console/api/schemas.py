"""API shapes. No LINE user id or phone number ever goes out."""

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, Field

from cases.models import Officer, Ticket, TicketEvent
from cases.service_levels import is_overdue
from cases.taxonomy import CATEGORY_NAMES_TH, STATE_NAMES_TH, Category, TicketState


class LoginRequest(BaseModel):
    username: str
    password: str


class OfficerOut(BaseModel):
    id: int
    username: str
    display_name: str
    agency: str
    role: str
    active: bool = True

    @classmethod
    def of(cls, officer: Officer) -> "OfficerOut":
        return cls.model_validate(officer, from_attributes=True)


class LoginResponse(BaseModel):
    token: str
    officer: OfficerOut


class PasswordReset(BaseModel):
    password: str


class PasswordChange(BaseModel):
    current_password: str
    new_password: str


class AccountEventOut(BaseModel):
    actor: str
    action: str
    username: str
    agency: str
    role: str
    created_at: datetime

    @classmethod
    def of(cls, event: Any) -> "AccountEventOut":
        return cls.model_validate(event, from_attributes=True)


class OfficerCreate(BaseModel):
    username: str
    password: str
    agency: str
    role: str = "officer"
    display_name: str | None = None


class TicketSummary(BaseModel):
    tracking_number: str
    category: str
    category_th: str
    agency: str
    priority: str
    state: str
    state_th: str
    province: str | None
    subject_type: str
    subject_name: str | None
    assignee_id: int | None
    created_at: datetime
    ack_due_at: datetime | None
    resolve_due_at: datetime | None
    overdue: bool

    @classmethod
    def of(cls, ticket: Ticket, now: datetime) -> "TicketSummary":
        return cls(
            tracking_number=ticket.tracking_number,
            category=ticket.category,
            category_th=CATEGORY_NAMES_TH[Category(ticket.category)],
            agency=ticket.agency,
            priority=ticket.priority,
            state=ticket.state,
            state_th=STATE_NAMES_TH[TicketState(ticket.state)],
            province=ticket.province,
            subject_type=ticket.subject_type,
            subject_name=ticket.subject_name,
            assignee_id=ticket.assignee_id,
            created_at=ticket.created_at,
            ack_due_at=ticket.ack_due_at,
            resolve_due_at=ticket.resolve_due_at,
            overdue=is_overdue(
                state=ticket.state,
                ack_due_at=_aware(ticket.ack_due_at),
                resolve_due_at=_aware(ticket.resolve_due_at),
                now=now,
            ),
        )


class TicketList(BaseModel):
    items: list[TicketSummary]
    total: int
    total_exact: bool = Field(True, description="false: at least `total` tickets match (counting stops at 1,000)")
    page: int
    page_size: int


class EventOut(BaseModel):
    kind: str
    actor: str
    from_state: str | None
    to_state: str
    from_agency: str | None
    to_agency: str | None
    note: str | None
    created_at: datetime

    @classmethod
    def of(cls, event: TicketEvent) -> "EventOut":
        return cls.model_validate(event, from_attributes=True)


class TranscriptLineOut(BaseModel):
    speaker: str
    text: str
    at: datetime | None


class TicketDetail(TicketSummary):
    description: str
    industrial_estate: str | None
    place_detail: str | None = Field(
        default=None, description="Where exactly, in the citizen's words (a landmark, soi, village)"
    )
    nlu_intent: str | None
    nlu_confidence: float | None
    confidential: bool
    first_action_at: datetime | None
    resolved_at: datetime | None
    allowed_next_states: list[str]
    events: list[EventOut]
    transcript: list[TranscriptLineOut] | None = None
    transcript_available: bool = False


class StateChange(BaseModel):
    state: TicketState
    note: str | None = Field(default=None, max_length=2000)
    notify: bool = True


class Assignment(BaseModel):
    officer_id: int


class Reroute(BaseModel):
    agency: str
    reason: str = Field(min_length=1, max_length=2000)


class Recategorise(BaseModel):
    category: Category
    reason: str = Field(min_length=1, max_length=2000)


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class ActionResult(BaseModel):
    ticket: TicketSummary
    notified: bool = False


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=timezone.utc)
