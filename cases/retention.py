"""Retention (PDPA): personal data is kept only as long as the complaint needs it.

    python -m cases.retention [--dry-run]        (daily, from cron or a scheduler)

What goes, after the days in ``RetentionSettings`` (environment ``RETENTION_*``):

- raw LINE webhook events already answered (or given up), ``RETENTION_RAW_EVENTS_DAYS``;
  events still waiting are never touched;
- photos never linked to a ticket (the citizen sent them and did not file),
  ``RETENTION_UNLINKED_PHOTOS_DAYS``;
- closed cases' personal data, ``RETENTION_CLOSED_CASE_DAYS`` after the case was last
  changed: the LINE user id, the phone and the conversation id are cleared and the
  handoff conversations of those citizens about the case are deleted. The case itself
  (category, place, description, its audit trail and photos) is the ministry's official
  record and is kept;
- Rasa's conversations (tracker events) older than ``RETENTION_TRACKER_DAYS``, when
  ``RETENTION_TRACKER_DB_URL`` names Rasa's SQL tracker store (deploy/endpoints.yml),
  and the whole conversation of every citizen who asked for erasure (cases/erasure.py).
  A ticket's transcript in the console then reads "no conversation".

Each run logs what it removed (counts only: no personal data in logs).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cases.inbound import DONE, FAILED, InboundEvent
from cases.models import Attachment, Handoff, Ticket
from settings import RetentionSettings, get_settings, normalise_database_url
from cases.taxonomy import TicketState

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    raw_events: int = 0
    unlinked_photos: int = 0
    closed_cases_cleared: int = 0
    handoffs: int = 0
    tracker_events: int = 0


def _cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def apply_retention(
    session: Session, settings: RetentionSettings, *, now: datetime | None = None, dry_run: bool = False
) -> RetentionReport:
    """Delete or clear what is past its time in the case database; the caller commits."""
    now = now or datetime.now(timezone.utc)
    report = RetentionReport()
    raw = InboundEvent.status.in_([DONE, FAILED]) & (InboundEvent.received_at < _cutoff(now, settings.raw_events_days))
    photos = Attachment.ticket_id.is_(None) & (Attachment.created_at < _cutoff(now, settings.unlinked_photos_days))
    closed = (
        (Ticket.state == TicketState.CLOSED.value)
        & (Ticket.updated_at < _cutoff(now, settings.closed_case_days))
        & (Ticket.line_user_id.is_not(None) | Ticket.contact_phone.is_not(None) | Ticket.conversation_id.is_not(None))
    )
    closed_ids = list(session.scalars(select(Ticket.id).where(closed)))
    report.raw_events = session.scalar(select(func.count()).select_from(InboundEvent).where(raw)) or 0
    report.unlinked_photos = session.scalar(select(func.count()).select_from(Attachment).where(photos)) or 0
    report.closed_cases_cleared = len(closed_ids)
    handoffs = Handoff.ticket_id.in_(closed_ids) & (Handoff.status == "closed")
    report.handoffs = session.scalar(select(func.count()).select_from(Handoff).where(handoffs)) or 0
    if dry_run:
        return report
    session.execute(delete(InboundEvent).where(raw))
    session.execute(delete(Attachment).where(photos))
    if closed_ids:
        session.execute(delete(Handoff).where(handoffs))
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(closed_ids))
            .values(line_user_id=None, contact_phone=None, conversation_id=None),
            execution_options={"synchronize_session": False},
        )
    session.flush()
    return report


def purge_trackers(engine: Engine, *, now: datetime, days: int, dry_run: bool = False) -> int:
    """Delete Rasa's tracker events older than ``days`` (its SQL store's ``events`` table,
    ``timestamp`` in Unix seconds)."""
    from sqlalchemy import MetaData, Table

    events = Table("events", MetaData(), autoload_with=engine)
    cutoff = _cutoff(now, days).timestamp()
    with engine.begin() as conn:
        old = events.c.timestamp < cutoff
        count = conn.execute(select(func.count()).select_from(events).where(old)).scalar_one()
        if not dry_run:
            conn.execute(delete(events).where(old))
    return int(count)


def purge_erased_senders(engine: Engine, subjects: set[str], salt: str) -> set[str]:
    """Delete the Rasa conversations of citizens who asked for erasure (``cases.erasure``);
    the subjects found and erased are returned (a subject never seen has nothing to delete)."""
    from sqlalchemy import MetaData, Table

    from cases.erasure import erasure_subject

    if not subjects:
        return set()
    events = Table("events", MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        senders = conn.execute(select(events.c.sender_id).distinct()).scalars().all()
        matched = {sender: erasure_subject(sender, salt) for sender in senders}
        doomed = [sender for sender, subject in matched.items() if subject in subjects]
        if doomed:
            conn.execute(delete(events).where(events.c.sender_id.in_(doomed)))
    return {matched[sender] for sender in doomed}


def run(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    from cases.db import make_engine, make_session_factory

    settings = get_settings().retention
    now = now or datetime.now(timezone.utc)
    engine = make_engine(get_settings().database.sqlalchemy_url)
    try:
        with make_session_factory(engine).begin() as session:
            report = apply_retention(session, settings, now=now, dry_run=dry_run)
    finally:
        engine.dispose()
    if settings.tracker_db_url:
        from cases.erasure import mark_trackers_erased, pending_tracker_subjects

        tracker_engine = make_engine(normalise_database_url(settings.tracker_db_url))
        try:
            report.tracker_events = purge_trackers(tracker_engine, now=now, days=settings.tracker_days, dry_run=dry_run)
            if not dry_run:
                with make_session_factory(engine).begin() as session:
                    salt = get_settings().privacy.pseudonym_salt
                    erased = purge_erased_senders(tracker_engine, pending_tracker_subjects(session), salt)
                    mark_trackers_erased(session, erased, now)
        finally:
            tracker_engine.dispose()
            engine.dispose()
    logger.info("retention%s: %s", " (dry run)" if dry_run else "", asdict(report))
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m cases.retention", description="apply the retention policy")
    parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run(dry_run=args.dry_run)
    print(
        ("would remove: " if args.dry_run else "removed: ") + ", ".join(f"{k}={v}" for k, v in asdict(report).items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
