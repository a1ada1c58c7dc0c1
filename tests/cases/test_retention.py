"""The retention job (SQLite and PostgreSQL): answered raw events, unlinked photos, closed
cases' personal data and old Rasa trackers go after their days; the rest is kept."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy import select, update

from cases.db import make_engine, make_session_factory
from cases.inbound import DONE, PENDING, InboundEvent
from cases.models import Attachment, Ticket
from cases.retention import apply_retention, purge_trackers
from settings import RetentionSettings
from cases.taxonomy import TicketState
from tests.cases.factories import ticket

NOW = datetime(2027, 6, 1, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=1)
CITIZEN = "U" + "d" * 32


def event(key: str, status: str, at: datetime) -> InboundEvent:
    return InboundEvent(
        webhook_event_id=key,
        user_key="k",
        body='{"raw": "0812345678"}',
        status=status,
        attempts=0,
        busy_notified=0,
        received_at=at,
        next_attempt_at=at,
    )


def photo(ticket_id, at: datetime, message_id: str) -> Attachment:  # type: ignore[no-untyped-def]
    return Attachment(
        ticket_id=ticket_id,
        owner_key="o",
        line_message_id=message_id,
        content_type="image/jpeg",
        size_bytes=3,
        sha256="0" * 64,
        content=b"abc",
        created_at=at,
    )


def test_retention_removes_only_what_is_past_its_time(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as s:
        s.add_all([event("old-done", DONE, OLD), event("old-pending", PENDING, OLD), event("new-done", DONE, RECENT)])
        closed = ticket(s, line_user_id=CITIZEN, contact_phone="+66812345678", consent_at=OLD)
        open_ = ticket(s, line_user_id=CITIZEN, contact_phone="+66812345678", consent_at=OLD)
        closed.state = TicketState.CLOSED.value
        s.flush()
        s.add_all([photo(None, OLD, "m1"), photo(None, RECENT, "m2"), photo(closed.id, OLD, "m3")])
        s.flush()
        s.execute(update(Ticket).values(updated_at=OLD))
        closed_id, open_id = closed.id, open_.id
    with sessions.begin() as s:
        dry = apply_retention(s, RetentionSettings(), now=NOW, dry_run=True)
        assert (dry.raw_events, dry.unlinked_photos, dry.closed_cases_cleared) == (1, 1, 1)
        assert len(s.scalars(select(InboundEvent)).all()) == 3  # a dry run deletes nothing
        report = apply_retention(s, RetentionSettings(), now=NOW)
        assert (report.raw_events, report.unlinked_photos, report.closed_cases_cleared) == (1, 1, 1)
    with sessions.begin() as s:
        assert sorted(e.webhook_event_id for e in s.scalars(select(InboundEvent))) == ["new-done", "old-pending"]
        assert sorted(a.line_message_id for a in s.scalars(select(Attachment))) == ["m2", "m3"]  # a case's photo stays
        kept_case = s.get(Ticket, closed_id)
        assert (kept_case.line_user_id, kept_case.contact_phone, kept_case.conversation_id) == (None, None, None)
        assert kept_case.description and kept_case.events  # the official record stays
        assert s.get(Ticket, open_id).contact_phone == "+66812345678"  # an open case keeps its contact


def test_old_rasa_tracker_events_are_deleted(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    events = sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("type_name", sa.String(255)),
        sa.Column("timestamp", sa.Float),
        sa.Column("data", sa.Text),
    )
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            events.insert(),
            [
                {"sender_id": CITIZEN, "type_name": "user", "timestamp": OLD.timestamp(), "data": "{}"},
                {"sender_id": CITIZEN, "type_name": "user", "timestamp": RECENT.timestamp(), "data": "{}"},
            ],
        )
    assert purge_trackers(engine, now=NOW, days=90) == 1
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one() == 1
