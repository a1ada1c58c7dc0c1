"""Dashboard statistics on SQLite and PostgreSQL, scoped like the ticket list."""

from datetime import datetime, timedelta, timezone

import pytest

from cases import dashboard
from cases.access import Viewer
from cases.accounts import Role
from cases.db import make_engine, make_session_factory
from cases.taxonomy import Category
from tests.cases.factories import officer, ticket

# A Wednesday, 10:00 in Bangkok.
NOW = datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)


def _ticket(session, *, age, first=None, resolved=None, **kw):  # type: ignore[no-untyped-def]
    t = ticket(session, **kw)
    t.created_at = NOW - age
    t.ack_due_at = t.created_at + 24 * H
    t.resolve_due_at = t.created_at + 21 * 24 * H
    t.first_action_at = t.created_at + first if first is not None else None
    t.resolved_at = t.created_at + resolved if resolved is not None else None
    return t


@pytest.fixture
def session(database_url):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as s:
        yield s
    engine.dispose()


@pytest.fixture
def people(session):  # type: ignore[no-untyped-def]
    return {
        "cbi": Viewer.of(officer(session, "cbi", "PIO-CBI")),
        "admin": Viewer.of(officer(session, "admin", "OPS", Role.ADMIN)),
        "acoc": Viewer.of(officer(session, "acoc", "ACOC")),
    }


def test_weekly_counts_by_category_on_the_bangkok_calendar(session, people):
    _ticket(session, age=1 * H)  # this week
    _ticket(session, age=2 * 24 * H + 4 * H)  # Monday 06:00 Bangkok: still this week
    _ticket(session, age=2 * 24 * H + 11 * H)  # Sunday 23:00 Bangkok: last week
    _ticket(session, age=1 * H, category=Category.HAZARD)
    _ticket(session, age=12 * 7 * 24 * H)  # older than 12 weeks
    session.flush()
    weekly = dashboard.weekly_by_category(session, viewer=people["cbi"], now=NOW)
    assert len(weekly.weeks) == 12 and weekly.weeks[-1].isoformat() == "2026-03-02"
    assert weekly.weeks[-1].weekday() == 0
    assert weekly.by_category["odor"][-2:] == [1, 2]
    assert sum(weekly.by_category["odor"]) == 3
    assert weekly.by_category["hazard"][-1] == 1
    assert list(weekly.by_category)[0] == "odor"  # biggest first


def test_counts_per_agency_and_province_follow_visibility(session, people):
    _ticket(session, age=H)
    _ticket(session, age=H)
    _ticket(session, age=H, province="เชียงใหม่")
    _ticket(session, age=H, province=None, category=Category.PRODUCT_STANDARD)
    _ticket(session, age=H, category=Category.CORRUPTION)
    session.flush()
    since = NOW - timedelta(days=90)
    assert dashboard.per_agency(session, viewer=people["cbi"], since=since, now=NOW) == [("PIO-CBI", 2)]
    admin = dashboard.per_agency(session, viewer=people["admin"], since=since, now=NOW)
    assert dict(admin) == {"PIO-CBI": 2, "PIO-CMI": 1, "TISI": 1}  # no ACOC for a non-ACOC admin
    assert dashboard.per_agency(session, viewer=people["acoc"], since=since, now=NOW) == [("ACOC", 1)]
    provinces = dashboard.per_province(session, viewer=people["admin"], since=since, now=NOW)
    assert provinces[0] == ("ชลบุรี", 2) and set(provinces[1:]) == {("เชียงใหม่", 1), (None, 1)}


def test_medians_and_sla_compliance(session, people):
    _ticket(session, age=30 * 24 * H, first=2 * H, resolved=10 * H)  # on time
    _ticket(session, age=30 * 24 * H, first=4 * H, resolved=30 * 24 * H - H)  # resolved late
    _ticket(session, age=30 * 24 * H, first=30 * H)  # acknowledged late, never resolved: late
    _ticket(session, age=2 * H)  # not due yet: not counted
    _ticket(session, age=3 * 24 * H)  # never acknowledged and past due
    session.flush()
    since = NOW - timedelta(days=90)
    medians = dashboard.median_times(session, viewer=people["cbi"], since=since, now=NOW)
    assert medians.first_action_hours == pytest.approx(4)
    assert medians.resolution_hours == pytest.approx((10 + 719) / 2)
    sla = dashboard.sla_compliance(session, viewer=people["cbi"], since=since, now=NOW)
    assert (sla.ack_met, sla.ack_missed, sla.resolve_met, sla.resolve_missed) == (2, 2, 1, 2)
    assert sla.ack_rate == pytest.approx(0.5)
    empty = dashboard.median_times(session, viewer=people["acoc"], since=since, now=NOW)
    assert empty == dashboard.Medians(None, None)
    assert dashboard.sla_compliance(session, viewer=people["acoc"], since=since, now=NOW).ack_rate is None


def test_hotspots_need_three_complaints_in_ninety_days(session, people):
    for age in (1, 10, 80):
        _ticket(session, age=age * 24 * H, subject_name="บริษัท ยางไทย จำกัด")
    for age in (1, 100, 200):  # only one inside the window
        _ticket(session, age=age * 24 * H, subject_name="เหมืองหินเขางู")
    for _ in range(3):
        _ticket(session, age=H, subject_name="ลับ", category=Category.CORRUPTION)
    session.flush()
    subjects = dashboard.subject_hotspots(session, viewer=people["admin"], now=NOW)
    assert [(h.name, h.count) for h in subjects] == [("บริษัท ยางไทย จำกัด", 3)]
    assert subjects[0].last_at == NOW - 24 * H
    assert [(h.name, h.count) for h in dashboard.subject_hotspots(session, viewer=people["acoc"], now=NOW)] == [
        ("ลับ", 3)
    ]
    provinces = dashboard.province_hotspots(session, viewer=people["cbi"], now=NOW)
    assert [(h.name, h.count) for h in provinces] == [("ชลบุรี", 4)]
    assert dashboard.province_hotspots(session, viewer=people["cbi"], now=NOW, minimum=5) == []
