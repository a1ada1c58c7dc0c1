"""Filing with the duplicate check, linking and counting complainants (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from cases.db import make_engine, make_session_factory
from cases.duplicate_links import case_of, complainant_counts, file_complaint, linked_tickets
from cases.models import Ticket
from cases.repository import TicketDraft
from cases.taxonomy import Category

LAT, LON = 13.0920, 101.1040


def _sessions(url):  # type: ignore[no-untyped-def]
    return make_session_factory(make_engine(url))


def draft(user: str, **kw) -> TicketDraft:  # type: ignore[no-untyped-def]
    values = dict(
        category=Category.ODOR,
        description="โรงงานส่งกลิ่นเหม็นทุกคืน แสบจมูกมาก",
        province="ชลบุรี",
        latitude=LAT,
        longitude=LON,
        line_user_id=user,
        submission_key=None,
    )
    values.update(kw)
    return TicketDraft(**values)


def test_matching_complaint_is_linked_and_audited_on_both(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        first = file_complaint(session, draft=draft("U1"))
        assert first.case is None
        second = file_complaint(
            session,
            draft=draft("U2", description="กลิ่นเหม็นจากโรงงานตอนกลางคืน แสบจมูก", latitude=LAT + 0.004),
        )
        assert second.case is not None and second.case.id == first.ticket.id
        case_id, linked_id = first.ticket.id, second.ticket.id
        assert second.ticket.tracking_number != first.ticket.tracking_number
    with sessions() as session:
        case = session.get(Ticket, case_id)
        linked = session.get(Ticket, linked_id)
        assert linked.duplicate_of_id == case_id
        assert linked.ack_due_at is None and linked.resolve_due_at is None  # the case carries them
        assert [(e.kind, e.note) for e in case.events][-1] == ("complainant", linked.tracking_number)
        assert [(e.kind, e.note) for e in linked.events][-1] == ("duplicate", case.tracking_number)
        assert case_of(session, linked).id == case_id and case_of(session, case).id == case_id
        assert [t.id for t in linked_tickets(session, case_id=case_id)] == [linked_id]
        assert complainant_counts(session, case_ids=[case_id, linked_id]) == {case_id: 2, linked_id: 1}


def test_resubmission_returns_the_same_link(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        file_complaint(session, draft=draft("U1"))
        again = draft("U2", submission_key="k-2")
        one = file_complaint(session, draft=again)
        two = file_complaint(session, draft=again)
        assert one.ticket.id == two.ticket.id and two.case is not None
        assert one.case.id == two.case.id
        assert len([e for e in two.case.events if e.kind == "complainant"]) == 1


def test_no_link_for_other_category_far_place_closed_or_old_cases(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        closed = file_complaint(session, draft=draft("U1")).ticket
        closed.state = "closed"
        old = file_complaint(session, draft=draft("U2")).ticket  # linked to nothing: closed is closed
        session.execute(
            update(Ticket).where(Ticket.id == old.id).values(created_at=datetime.now(timezone.utc) - timedelta(days=31))
        )
        session.flush()
        assert file_complaint(session, draft=draft("U3", category=Category.NOISE)).case is None
        assert file_complaint(session, draft=draft("U4", latitude=LAT + 0.05)).case is None


def test_a_linked_complaint_is_never_itself_a_case(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        case = file_complaint(session, draft=draft("U1")).ticket
        file_complaint(session, draft=draft("U2"))
        third = file_complaint(session, draft=draft("U3"))
        assert third.case is not None and third.case.id == case.id
        assert complainant_counts(session, case_ids=[case.id]) == {case.id: 3}


def test_corruption_is_never_linked(database_url):
    sessions = _sessions(database_url)
    text = "เจ้าหน้าที่เรียกรับเงินใต้โต๊ะตอนยื่นขอใบอนุญาตโรงงาน"
    with sessions.begin() as session:
        file_complaint(session, draft=draft("U1", category=Category.CORRUPTION, description=text, subject_name="นาย ก"))
        again = file_complaint(
            session, draft=draft("U2", category=Category.CORRUPTION, description=text, subject_name="นาย ก")
        )
        assert again.case is None
