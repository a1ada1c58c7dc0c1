"""Repository tests, each run on SQLite and on PostgreSQL (see tests/conftest.py)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from cases.db import make_engine, make_session_factory
from cases.models import Referral, Ticket
from cases.repository import (
    TicketDraft,
    change_state,
    create_ticket,
    get_citizen_ticket,
    get_ticket,
    record_referral,
)
from cases.taxonomy import Category, TicketState


def _sessions(url):
    return make_session_factory(make_engine(url))


def test_create_ticket_routes_numbers_and_audits(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        ticket = create_ticket(
            session,
            draft=TicketDraft(
                category=Category.ODOR,
                description="โรงงานส่งกลิ่นเหม็นทุกคืน",
                province="ชลบุรี",
                line_user_id="U" + "a" * 32,
                nlu_intent="complaint_odor",
                nlu_confidence=0.93,
            ),
        )
        number = ticket.tracking_number
    assert re.fullmatch(r"IDEE-25\d\d-000001", number)
    with sessions() as session:
        stored = get_ticket(session, tracking_number=number.lower())
        assert stored is not None
        assert (stored.category, stored.agency, stored.state) == ("odor", "PIO-CBI", "new")
        assert stored.priority == "normal" and stored.confidential is False
        assert stored.description == "โรงงานส่งกลิ่นเหม็นทุกคืน"
        assert stored.nlu_confidence == 0.93
        assert stored.created_at is not None
        assert [(e.from_state, e.to_state, e.actor) for e in stored.events] == [(None, "new", "bot")]


def test_tracking_numbers_are_sequential_and_never_reused(database_url):
    sessions = _sessions(database_url)
    numbers = []
    for _ in range(3):
        with sessions.begin() as session:
            numbers.append(create_ticket(session, draft=TicketDraft(Category.MINING, "ระเบิดหิน")).tracking_number)
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    with sessions.begin() as session:  # a rolled-back creation does not hand its number out again
        create_ticket(session, draft=TicketDraft(Category.MINING, "ระเบิดหิน"))
        session.rollback()
    with sessions.begin() as session:
        fourth = create_ticket(session, draft=TicketDraft(Category.MINING, "x")).tracking_number
    assert fourth[-6:] in {"000004", "000005"} and fourth not in numbers


def test_tracking_numbers_stay_unique_under_concurrent_creation(database_url):
    sessions = _sessions(database_url)

    def submit(i: int) -> str:
        with sessions.begin() as session:
            draft = TicketDraft(Category.NOISE, f"เสียงดัง {i}", province="ระยอง")
            return create_ticket(session, draft=draft).tracking_number

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(submit, range(40)))
    assert len(set(numbers)) == 40
    with sessions() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 40


def test_a_citizen_sees_only_their_own_ticket(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        number = create_ticket(
            session, draft=TicketDraft(Category.CORRUPTION, "เรียกรับเงิน", line_user_id="Uowner")
        ).tracking_number
    with sessions() as session:
        mine = get_citizen_ticket(session, tracking_number=number, line_user_id="Uowner")
        assert mine is not None and mine.agency == "ACOC" and mine.confidential
        assert get_citizen_ticket(session, tracking_number=number, line_user_id="Uother") is None


def test_state_changes_are_audited(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        ticket = create_ticket(session, draft=TicketDraft(Category.HAZARD, "สารเคมีรั่ว", province="กทม."))
        assert (ticket.agency, ticket.priority) == ("DIW", "urgent")
        change_state(session, ticket=ticket, to_state=TicketState.ACKNOWLEDGED, actor="officer:1", note="รับทราบ")
        number = ticket.tracking_number
    with sessions() as session:
        stored = get_ticket(session, tracking_number=number)
        assert stored.state == "acknowledged"
        assert [(e.from_state, e.to_state) for e in stored.events] == [(None, "new"), ("new", "acknowledged")]


def test_referrals_are_counted(database_url):
    sessions = _sessions(database_url)
    with sessions.begin() as session:
        record_referral(session, nlu_confidence=0.88)
        record_referral(session)
    with sessions() as session:
        assert session.scalar(select(func.count(Referral.id))) == 2


def test_one_submission_key_files_one_ticket(database_url):
    sessions = _sessions(database_url)
    draft = TicketDraft(Category.ODOR, "กลิ่นเหม็น", province="ระยอง", submission_key="c0ffee")
    with sessions.begin() as session:
        first = create_ticket(session, draft=draft).tracking_number
    with sessions.begin() as session:
        again = create_ticket(session, draft=draft).tracking_number
    assert again == first
    with sessions() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 1


def test_concurrent_submissions_of_one_complaint_file_one_ticket(database_url):
    sessions = _sessions(database_url)
    draft = TicketDraft(Category.NOISE, "เสียงดัง", province="ระยอง", submission_key="same-complaint")

    def submit(_: int) -> str:
        with sessions.begin() as session:
            return create_ticket(session, draft=draft).tracking_number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = set(pool.map(submit, range(16)))
    assert len(numbers) == 1
    with sessions() as session:
        assert session.scalar(select(func.count(Ticket.id))) == 1
