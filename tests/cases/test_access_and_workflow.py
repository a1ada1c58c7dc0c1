"""Visibility rules, the ticket list and officer actions on SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from cases.access import Viewer
from cases.accounts import Role
from cases.db import make_engine, make_session_factory
from cases.models import TicketEvent
from cases.taxonomy import Category, TicketState
from cases.ticket_queries import TicketFilters, list_tickets, visible_ticket
from cases.workflow import assign, reroute, transition
from tests.cases.factories import officer, ticket


def _numbers(session, account, **filters):
    page = list_tickets(session, viewer=Viewer.of(account), filters=TicketFilters(**filters))
    return {t.tracking_number for t in page.items}


def test_visibility_matrix(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        cbi = ticket(session)  # PIO-CBI
        cmi = ticket(session, province="เชียงใหม่")  # PIO-CMI
        bribe = ticket(session, category=Category.CORRUPTION, description="เจ้าหน้าที่เรียกรับเงิน")
        cbi_officer = officer(session, "cbi", "PIO-CBI")
        admin = officer(session, "admin", "OPS", Role.ADMIN)
        acoc = officer(session, "acoc", "ACOC")
        acoc_admin = officer(session, "acoc-admin", "ACOC", Role.ADMIN)

        assert _numbers(session, cbi_officer) == {cbi.tracking_number}
        assert _numbers(session, admin) == {cbi.tracking_number, cmi.tracking_number}
        assert _numbers(session, acoc) == {bribe.tracking_number}
        assert len(_numbers(session, acoc_admin)) == 3
        viewer = Viewer.of(cbi_officer)
        assert visible_ticket(session, viewer=viewer, tracking_number=cmi.tracking_number) is None
        assert visible_ticket(session, viewer=Viewer.of(admin), tracking_number=bribe.tracking_number) is None
        assert visible_ticket(session, viewer=viewer, tracking_number="IDEE-2569-999999") is None


def test_filters_thai_search_overdue_and_urgent_first(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        odor = ticket(session, description="กลิ่นเหม็นจากโรงงานยาง", subject_name="บริษัท ยางไทย จำกัด")
        fire = ticket(session, category=Category.HAZARD, description="ไฟไหม้โกดังสารเคมี")
        admin = officer(session, "admin", "OPS", Role.ADMIN)
        assert _numbers(session, admin, q="ยาง") == {odor.tracking_number}
        assert _numbers(session, admin, q="ยางไทย") == {odor.tracking_number}
        assert _numbers(session, admin, category="hazard") == {fire.tracking_number}
        assert _numbers(session, admin, q="100%") == set()
        page = list_tickets(session, viewer=Viewer.of(admin), filters=TicketFilters())
        assert page.items[0].tracking_number == fire.tracking_number and page.total == 2
        later = datetime.now(timezone.utc) + timedelta(days=8)  # past one business day even across a long holiday
        late = list_tickets(session, viewer=Viewer.of(admin), filters=TicketFilters(overdue=True), now=later)
        assert {t.tracking_number for t in late.items} == {odor.tracking_number, fire.tracking_number}
        transition(session, ticket=odor, to_state=TicketState.ACKNOWLEDGED, actor="admin")
        late = list_tickets(session, viewer=Viewer.of(admin), filters=TicketFilters(overdue=True), now=later)
        assert {t.tracking_number for t in late.items} == {fire.tracking_number}
        page2 = list_tickets(session, viewer=Viewer.of(admin), filters=TicketFilters(page=2, page_size=1))
        assert len(page2.items) == 1 and page2.total == 2


def test_transitions_assign_and_reroute_are_audited(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        t = ticket(session)
        cbi = officer(session, "cbi", "PIO-CBI")
        other = officer(session, "diw", "DIW")
        assert transition(session, ticket=t, to_state=TicketState.CLOSED, actor="cbi")
        assert transition(session, ticket=t, to_state=TicketState.REJECTED, actor="cbi")  # no note
        assert transition(session, ticket=t, to_state=TicketState.ACKNOWLEDGED, actor="cbi", note="รับทราบ") is None
        assert t.first_action_at is not None and t.state == "acknowledged"
        assert assign(session, ticket=t, officer=other, actor="sup")
        assert assign(session, ticket=t, officer=cbi, actor="sup") is None and t.assignee_id == cbi.id
        assert reroute(session, ticket=t, to_agency="XYZ", reason="ผิด", actor="sup")
        assert reroute(session, ticket=t, to_agency="IEAT", reason="อยู่ในนิคม", actor="sup") is None
        assert t.agency == "IEAT" and t.assignee_id is None
        assert transition(session, ticket=t, to_state=TicketState.RESOLVED, actor="x", note="แก้แล้ว") is None
        assert t.resolved_at is not None
        events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id)).all()
        assert [e.kind for e in events] == ["state", "state", "assign", "reroute", "state"]
        signal = events[3]
        assert (signal.from_agency, signal.to_agency, signal.note) == ("PIO-CBI", "IEAT", "อยู่ในนิคม")
