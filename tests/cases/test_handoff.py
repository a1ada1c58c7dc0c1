"""Handoff to an officer: opening, tying to a ticket, visibility, messages, timeout."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from cases.access import Viewer
from cases.accounts import Role
from cases.db import make_engine
from cases.handoff import (
    CloseReason,
    add_citizen_message,
    add_officer_message,
    close_handoff,
    expire_handoffs,
    list_handoffs,
    open_handoff,
    open_handoff_for,
    visible_handoff,
)
from cases.models import Handoff
from cases.taxonomy import Category
from cases.taxonomy import TicketState as S
from cases.workflow import transition
from tests.cases.factories import ticket

CITIZEN = "U" + "a" * 32
OTHER = "U" + "b" * 32
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TIMEOUT = timedelta(minutes=30)


def viewer(agency: str, role: Role = Role.OFFICER) -> Viewer:
    return Viewer(1, f"{agency}-{role.value}", agency, role)


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_untied_handoff_goes_to_the_central_desk_and_admins(session):
    opened = open_handoff(session, line_user_id=CITIZEN, now=T0)
    session.commit()
    handoff = session.get(Handoff, opened.handoff_id)
    assert handoff.ticket_id is None and handoff.status == "open"
    assert [h.id for h in list_handoffs(session, viewer=viewer("OPS"))] == [handoff.id]
    assert [h.id for h in list_handoffs(session, viewer=viewer("DIW", Role.ADMIN))] == [handoff.id]
    # A trainer sees no citizen's conversation, even one made under the central desk's agency.
    for other in (viewer("PIO-CBI"), viewer("ACOC"), viewer("PIO-CBI", Role.SUPERVISOR), viewer("OPS", Role.TRAINER)):
        assert list_handoffs(session, viewer=other) == []
        assert visible_handoff(session, viewer=other, handoff_id=handoff.id) is None


def test_a_second_request_reuses_the_open_handoff(session):
    first = open_handoff(session, line_user_id=CITIZEN, now=T0)
    second = open_handoff(session, line_user_id=CITIZEN, now=T0)
    assert second == type(first)(first.handoff_id, already_open=True)


def test_tied_to_the_newest_open_ticket_and_seen_by_its_agency(session):
    old = ticket(session, line_user_id=CITIZEN, province="เชียงใหม่")
    new = ticket(session, line_user_id=CITIZEN)  # PIO-CBI
    ticket(session, line_user_id=OTHER)
    session.commit()
    opened = open_handoff(session, line_user_id=CITIZEN, now=T0)
    handoff = session.get(Handoff, opened.handoff_id)
    assert handoff.ticket_id == new.id != old.id
    assert [h.id for h in list_handoffs(session, viewer=viewer("PIO-CBI"))] == [handoff.id]
    assert list_handoffs(session, viewer=viewer("PIO-CMI")) == []
    assert list_handoffs(session, viewer=viewer("OPS")) == []  # not untied: the agency has it


def test_a_named_ticket_wins_but_only_the_citizens_own(session):
    mine = ticket(session, line_user_id=CITIZEN, province="เชียงใหม่")
    ticket(session, line_user_id=CITIZEN)
    theirs = ticket(session, line_user_id=OTHER)
    session.commit()
    opened = open_handoff(session, line_user_id=CITIZEN, tracking_number=mine.tracking_number, now=T0)
    assert session.get(Handoff, opened.handoff_id).ticket_id == mine.id
    close_handoff(session, handoff=session.get(Handoff, opened.handoff_id), reason=CloseReason.OFFICER)
    opened = open_handoff(session, line_user_id=CITIZEN, tracking_number=theirs.tracking_number, now=T0)
    assert session.get(Handoff, opened.handoff_id).ticket_id != theirs.id


def test_corruption_complainant_is_heard_only_by_acoc(session):
    ticket(session, line_user_id=CITIZEN)  # newer factory ticket below
    bribe = ticket(session, line_user_id=CITIZEN, category=Category.CORRUPTION, description="เรียกรับเงิน")
    ticket(session, line_user_id=CITIZEN)
    session.commit()
    opened = open_handoff(session, line_user_id=CITIZEN, now=T0)
    assert session.get(Handoff, opened.handoff_id).ticket_id == bribe.id
    assert len(list_handoffs(session, viewer=viewer("ACOC"))) == 1
    for other in (viewer("OPS", Role.ADMIN), viewer("PIO-CBI"), viewer("OPS")):
        assert list_handoffs(session, viewer=other) == []
        assert visible_handoff(session, viewer=other, handoff_id=opened.handoff_id) is None


def test_closed_tickets_are_not_tied(session):
    done = ticket(session, line_user_id=CITIZEN)
    assert transition(session, ticket=done, to_state=S.REJECTED, actor="x", note="ไม่ใช่เรื่องร้องเรียน") is None
    session.commit()
    opened = open_handoff(session, line_user_id=CITIZEN, now=T0)
    assert session.get(Handoff, opened.handoff_id).ticket_id is None


def test_messages_acknowledgement_once_and_officer_activity_restarts_the_timeout(session):
    opened = open_handoff(session, line_user_id=CITIZEN, now=T0)
    handoff = session.get(Handoff, opened.handoff_id)
    assert add_citizen_message(session, handoff=handoff, text="สวัสดีค่ะ", now=T0) is True
    assert add_citizen_message(session, handoff=handoff, text="อยู่ไหมคะ", now=T0) is False
    assert (
        add_officer_message(session, handoff=handoff, officer_id=None or 0, text="  ", now=T0) == "the message is empty"
    )
    session.commit()
    # 25 minutes on, an officer answers: the timeout counts again from there.
    assert expire_handoffs(session, timeout=TIMEOUT, now=T0 + timedelta(minutes=25)) == []
    assert (
        add_officer_message(session, handoff=handoff, officer_id=None, text="สวัสดีครับ", now=T0 + timedelta(minutes=25))
        is None
    )  # type: ignore[arg-type]
    session.commit()
    assert expire_handoffs(session, timeout=TIMEOUT, now=T0 + timedelta(minutes=40)) == []
    assert expire_handoffs(session, timeout=TIMEOUT, now=T0 + timedelta(minutes=56)) == [CITIZEN]
    session.commit()
    session.refresh(handoff)
    assert (handoff.status, handoff.closed_reason) == ("closed", "timeout")
    assert [m.sender for m in handoff.messages] == ["citizen", "citizen", "officer"]
    assert open_handoff_for(session, line_user_id=CITIZEN) is None
    # Closed: closing again reports False, an officer can no longer write.
    assert close_handoff(session, handoff=handoff, reason=CloseReason.OFFICER) is False
    assert (
        add_officer_message(session, handoff=handoff, officer_id=None, text="ยังอยู่ไหม")
        == "the handoff is already closed"
    )  # type: ignore[arg-type]
