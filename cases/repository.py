"""Keyword-only functions that read and write tickets; each takes the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases.models import Referral, Ticket, TicketEvent, TrackingCounter
from cases.review_queue import purge_ticket
from cases.routing import route
from cases.service_levels import due_dates
from cases.taxonomy import Category, SubjectType, TicketState
from cases.tracking import buddhist_year, format_tracking_number

BOT_ACTOR = "bot"


@dataclass(frozen=True)
class TicketDraft:
    """What the conversation gathered; routing and numbering are done on creation."""

    category: Category
    description: str
    province: str | None = None
    industrial_estate: str | None = None
    subject_type: SubjectType = SubjectType.UNKNOWN
    subject_name: str | None = None
    line_user_id: str | None = None
    nlu_intent: str | None = None
    nlu_confidence: float | None = None
    conversation_id: str | None = None
    occurred_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    place_detail: str | None = None
    # Personal data: contact_phone (E.164) only with consent_at set; anonymous hides the citizen.
    contact_phone: str | None = None
    anonymous: bool = False
    consent_at: datetime | None = None
    # One complaint conversation files at most one ticket, however often it is submitted.
    submission_key: str | None = None
    # Rasa's model_id of the NLU model that understood the conversation.
    nlu_model_version: str | None = None

    def __post_init__(self) -> None:
        if self.contact_phone and self.consent_at is None:
            raise ValueError("a contact phone needs the citizen's PDPA consent (consent_at)")


def next_tracking_number(session: Session, *, now: datetime | None = None) -> str:
    """Issue the next tracking number of the year with one atomic upsert (safe under concurrency)."""
    be_year = buddhist_year(now or datetime.now(timezone.utc))
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"unsupported database dialect for tracking numbers: {dialect}")
    statement = (
        insert(TrackingCounter)
        .values(be_year=be_year, last_value=1)
        .on_conflict_do_update(  # type: ignore[attr-defined]  # union of the two dialects' Insert
            index_elements=[TrackingCounter.be_year],
            set_={"last_value": TrackingCounter.last_value + 1},
        )
        .returning(TrackingCounter.last_value)
    )
    sequence = session.execute(statement).scalar_one()
    return format_tracking_number(be_year, sequence)


def create_ticket(session: Session, *, draft: TicketDraft, actor: str = BOT_ACTOR) -> Ticket:
    """Route the draft, number it and store it in state ``new`` with its first audit event.

    A draft whose ``submission_key`` was already filed returns that ticket instead of a
    second one (a repeated confirmation, a retried action call).
    """
    if draft.submission_key:
        existing = _ticket_by_submission(session, draft.submission_key)
        if existing is not None:
            return existing
    routed = route(draft.category, draft.province, draft.industrial_estate, draft.subject_type)
    now = datetime.now(timezone.utc)
    due = due_dates(now, routed.priority)
    ticket = Ticket(
        tracking_number=next_tracking_number(session),
        category=draft.category.value,
        agency=routed.agency,
        priority=routed.priority.value,
        confidential=routed.confidential,
        state=TicketState.NEW.value,
        description=draft.description,
        province=draft.province,
        industrial_estate=draft.industrial_estate,
        subject_type=draft.subject_type.value,
        subject_name=draft.subject_name,
        line_user_id=draft.line_user_id,
        nlu_intent=draft.nlu_intent,
        nlu_confidence=draft.nlu_confidence,
        nlu_model_version=draft.nlu_model_version,
        conversation_id=draft.conversation_id,
        occurred_text=draft.occurred_text,
        latitude=draft.latitude,
        longitude=draft.longitude,
        address=draft.address,
        place_detail=draft.place_detail[:256] if draft.place_detail else None,
        contact_phone=None if draft.anonymous else draft.contact_phone,
        anonymous=draft.anonymous,
        consent_at=draft.consent_at,
        submission_key=draft.submission_key,
        created_at=now,
        ack_due_at=due.acknowledge_by,
        resolve_due_at=due.resolve_by,
    )
    ticket.events.append(TicketEvent(actor=actor, from_state=None, to_state=TicketState.NEW.value, note=None))
    try:
        with session.begin_nested():  # a concurrent twin loses on the unique key, not the caller
            session.add(ticket)
            session.flush()
    except IntegrityError:
        existing = _ticket_by_submission(session, draft.submission_key) if draft.submission_key else None
        if existing is None:
            raise
        return existing
    if ticket.confidential:  # e.g. the citizen corrected the category to corruption in the form
        purge_ticket(session, ticket=ticket)
    return ticket


def _ticket_by_submission(session: Session, submission_key: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.submission_key == submission_key))


def get_ticket(session: Session, *, tracking_number: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.tracking_number == tracking_number.upper()))


def get_citizen_ticket(session: Session, *, tracking_number: str, line_user_id: str) -> Ticket | None:
    """A ticket only if it belongs to this citizen: nobody sees another person's ticket."""
    return session.scalar(
        select(Ticket).where(
            Ticket.tracking_number == tracking_number.upper(),
            Ticket.line_user_id == line_user_id,
        )
    )


def change_state(
    session: Session, *, ticket: Ticket, to_state: TicketState, actor: str, note: str | None = None
) -> TicketEvent:
    event = TicketEvent(actor=actor, from_state=ticket.state, to_state=to_state.value, note=note)
    ticket.state = to_state.value
    ticket.events.append(event)
    session.flush()
    return event


def record_referral(session: Session, *, nlu_confidence: float | None = None) -> Referral:
    referral = Referral(nlu_confidence=nlu_confidence)
    session.add(referral)
    session.flush()
    return referral


def list_citizen_tickets(session: Session, *, line_user_id: str, limit: int = 5) -> list[Ticket]:
    """The citizen's own tickets, newest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.line_user_id == line_user_id)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    )
