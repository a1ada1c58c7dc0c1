"""Linking tickets to factories, the factory's complaints under the access rules, repeat
offenders on the dashboard counted by factory rather than by spelling."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cases import dashboard
from cases.access import Viewer
from cases.accounts import Role
from cases.db import make_engine, make_session_factory
from cases.registry.importer import import_csv_text
from cases.registry.links import (
    categories_over_time,
    factory_by_number,
    factory_tickets,
    is_repeat_offender,
    link_factory,
    recent_complaints,
)
from cases.taxonomy import Category
from tests.cases.factories import officer, ticket

NOW = datetime(2026, 3, 4, 3, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
CSV = (
    "เลขทะเบียนโรงงาน,ชื่อโรงงาน,ประกอบกิจการ,จังหวัด,อำเภอ\n"
    "3-89-1/50ชบ,บริษัท น้ำแข็งบ้านบึง จำกัด,ผลิตน้ำแข็ง,ชลบุรี,บ้านบึง\n"
    "3-53(5)-2/50ชบ,บริษัท สยามพลาสติก จำกัด,ผลิตพลาสติก,ชลบุรี,ศรีราชา\n"
)


@pytest.fixture
def session(database_url):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as s:
        import_csv_text(s, CSV)
        yield s
    engine.dispose()


@pytest.fixture
def people(session):  # type: ignore[no-untyped-def]
    return {
        "cbi": Viewer.of(officer(session, "cbi", "PIO-CBI")),
        "admin": Viewer.of(officer(session, "admin", "OPS", Role.ADMIN)),
        "acoc": Viewer.of(officer(session, "acoc", "ACOC")),
    }


def _ticket(session, *, age, factory=None, **kw):  # type: ignore[no-untyped-def]
    t = ticket(session, **kw)
    t.created_at = NOW - age
    if factory is not None:
        link_factory(session, ticket=t, factory=factory, actor="test")
    return t


def test_linking_is_audited_and_a_repeat_is_no_change(session):
    ice = factory_by_number(session, "๓-๘๙-๑/๕๐ชบ")
    t = ticket(session)
    assert link_factory(session, ticket=t, factory=ice, actor="somchai")
    assert not link_factory(session, ticket=t, factory=ice, actor="somchai")
    assert link_factory(session, ticket=t, factory=None, actor="somchai")
    events = [e for e in t.events if e.kind == "factory"]
    assert [e.note for e in events] == ["3-89-1/50ชบ บริษัท น้ำแข็งบ้านบึง จำกัด", None]
    assert t.factory_id is None
    assert factory_by_number(session, "not a number") is None


def test_a_factory_page_lists_only_what_the_viewer_may_see(session, people):
    ice = factory_by_number(session, "3-89-1/50ชบ")
    odor = _ticket(session, age=DAY, factory=ice)
    water = _ticket(session, age=20 * DAY, factory=ice, category=Category.WASTEWATER)
    bribe = _ticket(session, age=2 * DAY, factory=ice, category=Category.CORRUPTION)
    session.flush()
    cbi = factory_tickets(session, viewer=people["cbi"], factory_id=ice.id)
    assert [t.id for t in cbi] == [odor.id, water.id]
    acoc = factory_tickets(session, viewer=people["acoc"], factory_id=ice.id)
    assert [t.id for t in acoc] == [bribe.id]
    admin = factory_tickets(session, viewer=people["admin"], factory_id=ice.id)
    assert bribe.id not in [t.id for t in admin]  # corruption only for ACOC, even for an admin
    monthly = categories_over_time(cbi, now=NOW)
    assert len(monthly.months) == 12 and monthly.months[-1].isoformat() == "2026-03-01"
    assert monthly.by_category["odor"][-1] == 1 and monthly.by_category["wastewater"][-2] == 1


def test_three_complaints_in_ninety_days_make_a_repeat_offender(session, people):
    ice = factory_by_number(session, "3-89-1/50ชบ")
    for age in (1, 30, 89):
        _ticket(session, age=age * DAY, factory=ice)
    _ticket(session, age=120 * DAY, factory=ice)
    session.flush()
    count = recent_complaints(session, viewer=people["cbi"], factory_id=ice.id, now=NOW)
    assert count == 3 and is_repeat_offender(count)
    assert not is_repeat_offender(recent_complaints(session, viewer=people["acoc"], factory_id=ice.id, now=NOW))


def test_repeat_offenders_count_linked_factories_not_identical_strings(session, people):
    ice = factory_by_number(session, "3-89-1/50ชบ")
    spellings = ("บริษัท น้ำแข็งบ้านบึง จำกัด", "บจก.น้ำแข็งบ้านบึง", "โรงน้ำแข็งบ้านบึง")
    for age, name in zip((1, 5, 9), spellings):
        _ticket(session, age=age * DAY, factory=ice, subject_name=name)
    for age in (2, 3, 4):  # unregistered: still counted by the name as typed
        _ticket(session, age=age * DAY, subject_name="เหมืองหินเขางู")
    session.flush()
    spots = dashboard.subject_hotspots(session, viewer=people["cbi"], now=NOW)
    assert [(h.name, h.count, h.factory_id) for h in spots] == [
        ("บริษัท น้ำแข็งบ้านบึง จำกัด", 3, ice.id),
        ("เหมืองหินเขางู", 3, None),
    ]
    assert spots[0].last_at == NOW - DAY
