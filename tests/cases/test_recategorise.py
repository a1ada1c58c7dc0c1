"""An officer recategorises a ticket: re-routed by the taxonomy, audited,
queued for trainers; corruption only by ACOC and never queued. SQLite and PostgreSQL."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from cases.db import make_engine, make_session_factory
from cases.models import ReviewItem, TicketEvent
from cases.review_queue import Source
from cases.taxonomy import Category, SubjectType
from cases.workflow import involves_corruption, may_recategorise, recategorise, reroute
from tests.cases.factories import officer, ticket

TEXT = "โรงงานบริษัท ยางไทย จำกัด ส่งเสียงดังทั้งคืน โทร 0812345678"


@pytest.fixture
def session(database_url):
    with make_session_factory(make_engine(database_url)).begin() as s:
        yield s


def _events(session, t):
    return list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id).order_by(TicketEvent.id)))


def _queue(session):
    return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def test_recategorising_reroutes_audits_and_queues_the_masked_description(session):
    t = ticket(
        session, description=TEXT, subject_name="บริษัท ยางไทย จำกัด", nlu_intent="complaint_odor", nlu_confidence=0.71
    )
    cbi = officer(session, "cbi", "PIO-CBI")
    t.assignee_id = cbi.id
    assert (
        recategorise(
            session,
            ticket=t,
            to_category=Category.NOISE,
            reason="เป็นเรื่องเสียงดัง",
            actor="cbi-super",
            actor_agency="PIO-CBI",
        )
        is None
    )
    assert (t.category, t.agency, t.assignee_id) == ("noise", "PIO-CBI", cbi.id)  # same office: kept
    event = _events(session, t)[-1]
    assert (event.kind, event.actor, event.from_agency, event.to_agency) == (
        "recategorise",
        "cbi-super",
        "PIO-CBI",
        "PIO-CBI",
    )
    assert event.note == "odor → noise: เป็นเรื่องเสียงดัง"
    [item] = _queue(session)
    assert item.source == Source.OFFICER_RECATEGORISE and item.ticket_id == t.id
    assert (item.predicted_intent, item.corrected_intent) == ("complaint_odor", "complaint_noise")
    assert "ยางไทย" not in item.text and "0812345678" not in item.text


@pytest.mark.parametrize(
    ("category", "place", "agency"),
    [
        (Category.MINING, {}, "DPIM"),
        (Category.PRODUCT_STANDARD, {}, "TISI"),
        (Category.OTHER, {}, "OPS"),
        (Category.WASTEWATER, {"province": "กรุงเทพมหานคร"}, "DIW"),
        (Category.WASTEWATER, {"industrial_estate": "นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี"}, "IEAT"),
        (Category.WASTEWATER, {"province": None}, "OPS"),
    ],
)
def test_the_new_agency_is_the_routing_rule_s_for_the_new_category_and_the_place(session, category, place, agency):
    t = ticket(session, category=Category.SUGARCANE, **({"province": "ชลบุรี"} | place))
    assert t.agency == "OCSB"
    t.assignee_id = officer(session, "ocsb", "OCSB").id
    assert (
        recategorise(session, ticket=t, to_category=category, reason="ผิดประเภท", actor="sup", actor_agency="OPS")
        is None
    )
    assert t.agency == agency and t.assignee_id is None
    assert _events(session, t)[-1].to_agency == agency


def test_a_mine_s_factory_complaint_goes_to_dpim(session):
    t = ticket(session, category=Category.SUGARCANE, subject_type=SubjectType.MINE)
    assert (
        recategorise(session, ticket=t, to_category=Category.NOISE, reason="โรงโม่", actor="s", actor_agency="OPS")
        is None
    )
    assert t.agency == "DPIM"


def test_a_hazard_becomes_urgent_with_the_urgent_due_date(session):
    t = ticket(session)
    created = t.created_at if t.created_at.tzinfo else t.created_at.replace(tzinfo=timezone.utc)
    assert (
        recategorise(session, ticket=t, to_category=Category.HAZARD, reason="สารเคมีรั่ว", actor="s", actor_agency="OPS")
        is None
    )
    due = t.ack_due_at if t.ack_due_at.tzinfo else t.ack_due_at.replace(tzinfo=timezone.utc)
    assert t.priority == "urgent" and due - created <= (datetime(2026, 1, 2) - datetime(2026, 1, 1))
    assert (
        recategorise(session, ticket=t, to_category=Category.ODOR, reason="ไม่อันตราย", actor="s", actor_agency="OPS")
        is None
    )
    assert t.priority == "normal"


def test_mistakes_are_messages_and_change_nothing(session):
    t = ticket(session)
    assert recategorise(session, ticket=t, to_category=Category.ODOR, reason="x", actor="s", actor_agency="OPS")
    assert recategorise(session, ticket=t, to_category=Category.NOISE, reason="  ", actor="s", actor_agency="OPS")
    assert t.category == "odor" and [e.kind for e in _events(session, t)] == ["state"] and _queue(session) == []


def test_only_acoc_moves_a_ticket_into_corruption_and_it_is_never_queued(session):
    t = ticket(session, description="เจ้าหน้าที่โรงงานเรียกรับเงินเพื่อไม่ให้ตรวจ", nlu_intent="complaint_odor")
    error = recategorise(
        session, ticket=t, to_category=Category.CORRUPTION, reason="เรียกรับเงิน", actor="s", actor_agency="PIO-CBI"
    )
    assert error and t.category == "odor" and t.agency == "PIO-CBI" and not t.confidential
    # the way for everyone else: reroute to ACOC, which then recategorises
    assert reroute(session, ticket=t, to_agency="ACOC", reason="ทุจริต", actor="s") is None
    assert (
        recategorise(
            session, ticket=t, to_category=Category.CORRUPTION, reason="เรียกรับเงิน", actor="acoc", actor_agency="ACOC"
        )
        is None
    )
    assert (t.category, t.agency, t.confidential) == ("corruption", "ACOC", True)
    assert _queue(session) == []


def test_only_acoc_moves_a_ticket_out_of_corruption_and_it_is_never_queued(session):
    t = ticket(
        session, category=Category.CORRUPTION, description="เจ้าหน้าที่ให้บริการล่าช้ามาก", nlu_intent="complaint_corruption"
    )
    assert t.confidential and t.agency == "ACOC"
    assert recategorise(
        session, ticket=t, to_category=Category.SERVICE, reason="ไม่ใช่ทุจริต", actor="adm", actor_agency="OPS"
    )
    assert t.category == "corruption"
    assert (
        recategorise(
            session, ticket=t, to_category=Category.SERVICE, reason="ไม่ใช่ทุจริต", actor="acoc", actor_agency="ACOC"
        )
        is None
    )
    assert (t.category, t.agency, t.confidential) == ("service", "OPS", False)  # ACOC's explicit decision
    assert _events(session, t)[-1].note == "corruption → service: ไม่ใช่ทุจริต"
    assert _queue(session) == []


def test_a_confidential_ticket_with_acoc_is_acoc_s_to_recategorise(session):
    t = ticket(session)
    assert reroute(session, ticket=t, to_agency="ACOC", reason="อาจเกี่ยวกับทุจริต", actor="s") is None
    assert involves_corruption(t, Category.NOISE)
    assert not may_recategorise(t, Category.NOISE, "OPS") and may_recategorise(t, Category.NOISE, "ACOC")
    assert (
        recategorise(session, ticket=t, to_category=Category.NOISE, reason="เสียงดัง", actor="acoc", actor_agency="ACOC")
        is None
    )
    assert t.agency == "PIO-CBI" and _queue(session) == []


def test_corruption_rule_is_pure():
    from cases.models import Ticket

    plain = Ticket(category="odor", agency="PIO-CBI", confidential=False)
    assert not involves_corruption(plain, Category.NOISE) and may_recategorise(plain, Category.NOISE, "PIO-CBI")
    assert involves_corruption(plain, Category.CORRUPTION)
    assert not may_recategorise(plain, Category.CORRUPTION, "PIO-CBI")
    assert may_recategorise(plain, Category.CORRUPTION, "ACOC")
