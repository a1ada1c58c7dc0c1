"""SQLAlchemy 2 typed models of the case database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    JSON,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TrackingCounter(Base):
    """Last tracking sequence issued per Buddhist-era year (never reused)."""

    __tablename__ = "tracking_counters"

    be_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Officer(Base):
    """A console account: belongs to one agency, with one role (see cases/accounts.py)."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(128), nullable=False)
    agency: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="officer")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on logout: every token carrying an older version stops working.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    category: Mapped[str] = mapped_column(String(32), nullable=False)
    agency: Mapped[str] = mapped_column(String(16), nullable=False)
    priority: Mapped[str] = mapped_column(String(16), nullable=False, default="normal")
    confidential: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="new")
    description: Mapped[str] = mapped_column(Text, nullable=False)
    province: Mapped[str | None] = mapped_column(String(64))
    industrial_estate: Mapped[str | None] = mapped_column(String(128))
    subject_type: Mapped[str] = mapped_column(String(32), nullable=False, default="unknown")
    subject_name: Mapped[str | None] = mapped_column(String(256))
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    nlu_intent: Mapped[str | None] = mapped_column(String(64))
    nlu_confidence: Mapped[float | None] = mapped_column(Float)
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    # Rasa's model_id of the model that understood the conversation (migration 0010).
    nlu_model_version: Mapped[str | None] = mapped_column(String(64))
    # Intake details. The phone is stored (E.164) only with PDPA consent.
    occurred_text: Mapped[str | None] = mapped_column(String(128))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(512))
    # District, subdistrict, road or landmark as written, beside the province (migration conv_0001).
    place_detail: Mapped[str | None] = mapped_column(String(256))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submission_key: Mapped[str | None] = mapped_column(String(64))
    # A later complaint about the same open case points at it (cases/duplicates.py).
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"), index=True)
    # The registered factory the complaint is about (cases/registry), when known.
    factory_id: Mapped[int | None] = mapped_column(ForeignKey("factories.id", ondelete="SET NULL"), index=True)
    # Service levels (cases/service_levels.py), fixed when the ticket is created.
    ack_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolve_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_action_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_tickets_agency_state", "agency", "state"),
        Index("ix_tickets_line_user_id", "line_user_id"),
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_category", "category"),
        Index("ix_tickets_province", "province"),
        Index("uq_tickets_submission_key", "submission_key", unique=True),
        Index("ix_tickets_state_resolve_due", "state", "resolve_due_at"),
        Index("ix_tickets_priority_created", "priority", "created_at"),
        Index("ix_tickets_subject_name", "subject_name"),
    )


class TicketEvent(Base):
    """Audit trail: who changed what, when, from which state to which, with a note."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    # state | assign | reroute | reply; a reroute is a routing training signal.
    kind: Mapped[str] = mapped_column(String(16), nullable=False, server_default="state")
    from_agency: Mapped[str | None] = mapped_column(String(16))
    to_agency: Mapped[str | None] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class Referral(Base):
    """An out-of-scope request the bot referred elsewhere (counted, no ticket)."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nlu_confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
    )


# --- Evidence photos and duplicate linking (migration 0007) ---


class Attachment(Base):
    """An evidence photo a citizen sent on LINE (cases/attachments.py).

    The bytes live in the database (``content``, loaded only when asked for): the action
    server, the gateway and the console share nothing but the database, and a photo is
    then stored, backed up and deleted together with its ticket. Before the ticket exists
    the photo is keyed by ``owner_key`` (a salted hash of the LINE user id) and linked to
    the ticket when the complaint is submitted.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    owner_key: Mapped[str] = mapped_column(String(64), nullable=False)
    line_message_id: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (
        Index("ix_attachments_owner_pending", "owner_key", "ticket_id"),
        Index("uq_attachments_line_message_id", "line_message_id", unique=True),
    )


# --- Citizen feedback after resolution and handoff to an officer (migration 0008) ---


class TicketFeedback(Base):
    """The citizen's answer to "is the problem solved?" after one resolution, and a 1-5 rating.

    One row per resolution (the ``resolved`` state event it answers); a second tap on the
    same question updates the row instead of adding one.
    """

    __tablename__ = "ticket_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    resolution_event_id: Mapped[int] = mapped_column(
        ForeignKey("ticket_events.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    solved: Mapped[bool] = mapped_column(Boolean, nullable=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Handoff(Base):
    """A citizen's conversation handed to an officer; the bot is quiet while it is open.

    ``ticket_id`` ties it to a ticket (its agency and confidentiality decide who sees it);
    an untied handoff goes to the central complaint desk (see cases/handoff.py).
    """

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), nullable=False)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    # open | closed
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    # officer | timeout | citizen, when closed
    closed_reason: Mapped[str | None] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    # The citizen got the one "an officer will answer" acknowledgement.
    acknowledged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Opening or the last officer message: the timeout counts from here.
    last_officer_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    ticket: Mapped[Ticket | None] = relationship()
    messages: Mapped[list[HandoffMessage]] = relationship(
        back_populates="handoff", order_by="HandoffMessage.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_handoffs_status_activity", "status", "last_officer_activity_at"),
        Index("ix_handoffs_line_user_status", "line_user_id", "status"),
    )


class HandoffMessage(Base):
    """One message of a handoff conversation: from the citizen or from an officer."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True)
    # citizen | officer
    sender: Mapped[str] = mapped_column(String(16), nullable=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    handoff: Mapped[Handoff] = relationship(back_populates="messages")


# --- Trainers' review queue (migration 0009) ---


class ReviewItem(Base):
    """A message for NLU trainers to label (cases/review_queue.py): masked text, never raw.

    ``text_key`` (hash of the normalised masked text) makes the queue hold each text once;
    a repeat only bumps ``occurrences``. ``status``: pending | accepted | discarded;
    ``exported_at`` is set when training/export.py wrote the item to data/.
    """

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    text_key: Mapped[str] = mapped_column(String(64), nullable=False)
    # low_confidence | fallback | citizen_choice | citizen_corrected | officer_reroute | officer_recategorise
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    predicted_intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    corrected_intent: Mapped[str | None] = mapped_column(String(64))
    # [{"start": int, "end": int, "entity": str, "value": str}] over ``text``.
    entities: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    occurrences: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (
        UniqueConstraint("text_key", name="uq_review_items_text_key"),
        Index("ix_review_items_status_created", "status", "created_at"),
        Index("ix_review_items_source", "source"),
    )

    @property
    def label(self) -> str | None:
        """The intent this item trains: the correction if any, else the prediction."""
        return self.corrected_intent or self.predicted_intent


# --- NLU model versions (migration 0010) ---


class NluModelDeployment(Base):
    """One NLU model put live in the Rasa server (training/hot_swap.py): the registry of
    versions that served citizens. Tickets carry the live model's ``model_id``
    (``Ticket.nlu_model_version``); this table names it. The latest row is the live model;
    a rollback is a new row for an earlier model."""

    __tablename__ = "nlu_model_deployments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    version: Mapped[str] = mapped_column(String(64), nullable=False)  # idee-<date>-<datahash8>
    data_hash: Mapped[str | None] = mapped_column(String(16))
    model_file: Mapped[str] = mapped_column(String(512), nullable=False)
    gate_verdict: Mapped[str | None] = mapped_column(String(32))  # None: no gate record
    macro_f1: Mapped[float | None] = mapped_column(Float)  # the candidate's held-out figure
    previous_model_id: Mapped[str | None] = mapped_column(String(64))
    deployed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    deployed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
    )


class AccountEvent(Base):
    """Audit of console accounts: who created, deactivated, re-enabled or changed the
    password of which account (cases/accounts.py); never the password itself."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The acting account's username, or "cli:<os user>" for the command line.
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    # create | deactivate | activate | password
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    agency: Mapped[str] = mapped_column(String(16), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
    )


class ErasureRequest(Base):
    """A citizen's request, on LINE, to erase their personal data (cases/erasure.py): the
    audit that it was done and what it touched. ``subject`` is a salted hash of the LINE
    user id (never the id), so the retention job can still find their Rasa conversation."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    tickets_cleared: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    photos_deleted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    handoffs_deleted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    events_deleted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Rasa's conversation is deleted by the retention job (it alone reaches the tracker store).
    tracker_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


# The factory registry's table shares this metadata (Ticket.factory_id points at it).
import cases.registry.models  # noqa: E402,F401
