"""Erasure in the case database, and the retention job deleting the erased citizen's Rasa
conversation (only theirs)."""

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import select

from cases.db import make_engine, make_session_factory
from cases.erasure import erase_citizen, erasure_subject, pending_tracker_subjects
from cases.inbound import DONE, PENDING, InboundEvent
from cases.models import Attachment, ErasureRequest, Handoff, Ticket
from cases.privacy import pseudonym
from cases.retention import purge_erased_senders
from cases.attachments import owner_key
from tests.cases.factories import ticket

ME, OTHER, SALT = "U" + "a" * 32, "U" + "b" * 32, "salt"
NOW = datetime(2027, 1, 1, tzinfo=timezone.utc)


def test_erasure_removes_the_citizens_personal_data_and_keeps_the_complaint(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as s:
        mine = ticket(s, line_user_id=ME, contact_phone="+66812345678", consent_at=NOW).id
        theirs = ticket(s, line_user_id=OTHER).id
        s.add(
            Attachment(
                ticket_id=None,
                owner_key=owner_key(ME, SALT),
                line_message_id="p1",
                content_type="image/jpeg",
                size_bytes=1,
                sha256="0" * 64,
                content=b"x",
            )
        )
        s.add(Handoff(line_user_id=ME, status="closed", opened_at=NOW, last_officer_activity_at=NOW))
        for key, status in (("e1", DONE), ("e2", PENDING)):
            s.add(
                InboundEvent(
                    webhook_event_id=key,
                    user_key=pseudonym(ME),
                    body="{}",
                    status=status,
                    attempts=0,
                    busy_notified=0,
                    received_at=NOW,
                    next_attempt_at=NOW,
                )
            )
    with sessions.begin() as s:
        report = erase_citizen(s, line_user_id=ME, salt=SALT, now=NOW)
        assert (report.tickets_cleared, report.photos_deleted, report.handoffs_deleted, report.events_deleted) == (
            1,
            1,
            1,
            1,
        )
    with sessions.begin() as s:
        kept = s.get(Ticket, mine)
        assert (kept.line_user_id, kept.contact_phone) == (None, None) and kept.description
        assert s.get(Ticket, theirs).line_user_id == OTHER
        assert s.scalars(select(Attachment)).all() == [] and s.scalars(select(Handoff)).all() == []
        assert [e.webhook_event_id for e in s.scalars(select(InboundEvent))] == ["e2"]  # still being answered
        assert pending_tracker_subjects(s) == {erasure_subject(ME, SALT)}
        assert ME not in str([vars(r) for r in s.scalars(select(ErasureRequest))])


def test_the_retention_job_deletes_only_the_erased_citizens_conversation(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    events = sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("timestamp", sa.Float),
    )
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(events.insert(), [{"sender_id": ME, "timestamp": 1.0}, {"sender_id": OTHER, "timestamp": 1.0}])
    erased = purge_erased_senders(engine, {erasure_subject(ME, SALT)}, SALT)
    assert erased == {erasure_subject(ME, SALT)}
    with engine.connect() as conn:
        assert conn.execute(sa.select(events.c.sender_id)).scalars().all() == [OTHER]
