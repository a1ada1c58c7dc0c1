"""A case's state change reaches every citizen whose complaint was joined to it (through the
real console API, gateway and fake LINE): each under their own tracking number, without the
"solved?" question, which only the case's own citizen is asked; never for corruption."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from cases.db import make_engine, make_session_factory
from cases.duplicate_links import Complainant, link_duplicate, linked_complainants, linked_tickets
from cases.models import Ticket
from cases.taxonomy import STATE_NAMES_TH, Category, TicketState
from gateway import signing
from tests.cases.factories import officer, ticket
from tests.support.web import texts_of
from tests.gateway.test_followup_and_handoff import Stack, quick_replies, stack_for

NOTE = "เจ้าหน้าที่ลงพื้นที่ตรวจสอบโรงงานแล้ว"


@pytest.fixture
def stack(tmp_path, stub_rasa, fake_line_url, case_database) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    yield from stack_for(tmp_path, stub_rasa, fake_line_url, case_database)


def joined(session: Session, case: Ticket, *, line_user_id: str | None, **kw) -> Ticket:  # type: ignore[no-untyped-def]
    complaint = ticket(session, line_user_id=line_user_id, **kw)
    link_duplicate(session, ticket=complaint, case=case)
    return complaint


def test_every_linked_complainant_hears_the_change_under_their_own_number(stack: Stack):
    owner, neighbour, twice, anonymous = (signing.new_user_id() for _ in range(4))
    with stack.session() as s:
        officer(s, "cbi", "PIO-CBI")
        case = ticket(s, line_user_id=owner)
        own_extra = joined(s, case, line_user_id=owner)  # the owner complained again: one push only
        neighbours = joined(s, case, line_user_id=neighbour)
        first, second = joined(s, case, line_user_id=twice), joined(s, case, line_user_id=twice)
        hidden = joined(s, case, line_user_id=anonymous, anonymous=True)
        joined(s, case, line_user_id=None)  # filed without LINE (Open311): nobody to push to
        s.commit()
        numbers = {t.id: t.tracking_number for t in (case, own_extra, neighbours, first, second, hidden)}
        case_number = case.tracking_number

    r = stack.api(
        "POST", f"/tickets/{case_number}/state", "cbi", json={"state": "in_progress", "note": NOTE, "notify": True}
    )
    assert r.status_code == 200 and r.json()["notified"] is True

    [to_owner] = stack.gateway.wait_for_deliveries(owner)
    [to_neighbour] = stack.gateway.wait_for_deliveries(neighbour)
    [to_twice] = stack.gateway.wait_for_deliveries(twice)
    [to_anonymous] = stack.gateway.wait_for_deliveries(anonymous)
    in_progress = STATE_NAMES_TH[TicketState.IN_PROGRESS]
    for push in (to_owner, to_neighbour, to_twice, to_anonymous):
        assert push["kind"] == "push"
        [text] = texts_of(push)
        assert in_progress in text and NOTE in text
        assert quick_replies(push) == {}
    assert case_number in texts_of(to_owner)[0]
    # Each linked complainant reads their own numbers, never the case's or anyone else's.
    neighbour_text, twice_text = texts_of(to_neighbour)[0], texts_of(to_twice)[0]
    assert numbers[neighbours.id] in neighbour_text and case_number not in neighbour_text
    assert numbers[first.id] in twice_text and numbers[second.id] in twice_text
    assert case_number not in twice_text and numbers[neighbours.id] not in twice_text
    assert numbers[hidden.id] in texts_of(to_anonymous)[0]
    time.sleep(0.3)
    assert len(stack.gateway.deliveries(owner)) == 1

    # Resolved: the owner is asked "solved?"; the linked complainants only hear the news.
    r = stack.api(
        "POST", f"/tickets/{case_number}/state", "cbi", json={"state": "resolved", "note": NOTE, "notify": True}
    )
    assert r.status_code == 200
    owner_push = stack.gateway.wait_for_deliveries(owner, 2)[1]
    assert set(quick_replies(owner_push)) == {"แก้ไขแล้ว", "ยังไม่ได้แก้ไข"}
    resolved = STATE_NAMES_TH[TicketState.RESOLVED]
    for citizen, number in ((neighbour, numbers[neighbours.id]), (twice, numbers[first.id])):
        push = stack.gateway.wait_for_deliveries(citizen, 2)[1]
        assert len(texts_of(push)) == 1 and resolved in texts_of(push)[0] and number in texts_of(push)[0]
        assert quick_replies(push) == {}

    # Without "notify", nobody hears anything.
    stack.api("POST", f"/tickets/{case_number}/state", "cbi", json={"state": "closed", "notify": False})
    time.sleep(0.5)
    assert [len(stack.gateway.deliveries(c)) for c in (owner, neighbour, twice, anonymous)] == [2, 2, 2, 2]


def test_a_corruption_case_never_tells_anyone_but_its_own_citizen(stack: Stack):
    owner, other = signing.new_user_id(), signing.new_user_id()
    with stack.session() as s:
        officer(s, "acoc", "ACOC")
        case = ticket(s, category=Category.CORRUPTION, line_user_id=owner)
        # Never merged by the duplicate check; linked here by hand to prove the push holds back.
        joined(s, case, category=Category.CORRUPTION, line_user_id=other)
        s.commit()
        case_number = case.tracking_number
    r = stack.api("POST", f"/tickets/{case_number}/state", "acoc", json={"state": "in_progress", "notify": True})
    assert r.status_code == 200 and r.json()["notified"] is True
    stack.gateway.wait_for_deliveries(owner)
    time.sleep(0.5)
    assert stack.gateway.deliveries(other) == []


def test_linked_complainants_of_a_case(database_url):
    """The query itself, on SQLite and PostgreSQL."""
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as s:
        case = ticket(s, line_user_id="U-owner")
        a1 = joined(s, case, line_user_id="U-a")
        joined(s, case, line_user_id="U-owner")
        b = joined(s, case, line_user_id="U-b")
        a2 = joined(s, case, line_user_id="U-a")
        joined(s, case, line_user_id=None)
        assert len(linked_tickets(s, case_id=case.id)) == 5
        assert linked_complainants(s, case=case) == [
            Complainant("U-a", (a1.tracking_number, a2.tracking_number)),
            Complainant("U-b", (b.tracking_number,)),
        ]
        assert linked_complainants(s, case=a1) == []  # a joined complaint has none of its own
        secret = ticket(s, category=Category.CORRUPTION, line_user_id="U-x")
        joined(s, secret, category=Category.CORRUPTION, line_user_id="U-y")
        assert linked_complainants(s, case=secret) == []
