"""The console's factory features (SQLite and PostgreSQL): link or change a ticket's factory
on the ticket page and the API, the factory page under the access rules, the repeat-offender
flag, and the registry number in the CSV export and Open311."""

import csv
import io

import pytest

from cases.registry.cache import forget
from cases.registry.importer import import_csv_text
from cases.registry.links import factory_by_number, link_factory
from cases.taxonomy import Category
from tests.cases.factories import ticket
from tests.console.conftest import CITIZEN
from tests.console.test_pages import _csrf, page_login

REGISTRY = (
    "เลขทะเบียนโรงงาน,ชื่อโรงงาน,ประกอบกิจการ,ที่ตั้ง,ตำบล,อำเภอ,จังหวัด,ละติจูด,ลองจิจูด,สถานะ\n"
    "3-52(1)-7/45ชบ,บริษัท ยางไทย จำกัด,ผลิตยางแผ่นรมควัน,เลขที่ 9 หมู่ 2,หนองชาก,บ้านบึง,ชลบุรี,13.31,101.10,ประกอบกิจการ\n"
    "10890300000365,โรงน้ำแข็งเจริญผล,ผลิตน้ำแข็ง,เลขที่ 1,มหาชัย,เมืองสมุทรสาคร,สมุทรสาคร,13.55,100.27,หยุดประกอบกิจการชั่วคราว\n"
)


@pytest.fixture
def registry(console, world):  # type: ignore[no-untyped-def]
    forget()
    with console.sessions.begin() as s:
        import_csv_text(s, REGISTRY)
    yield
    forget()


def _ticket_id(console, number):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from cases.models import Ticket

    with console.sessions() as s:
        return s.scalar(select(Ticket).where(Ticket.tracking_number == number))


def test_the_ticket_page_suggests_the_factory_and_an_officer_links_and_changes_it(console, world, registry):
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    suggestions = html[html.index('id="factory-suggestions"') :]
    assert "บริษัท ยางไทย จำกัด" in suggestions.split("</ul>")[0]  # the subject name the citizen typed
    csrf = _csrf(html)
    linked = console.client.post(
        f"/console/tickets/{world.cbi}/factory", data={"csrf_token": csrf, "registration_number": "3-52(1)-7/45ชบ"}
    )
    assert linked.status_code == 200 and "บันทึกโรงงานที่ถูกร้องเรียนแล้ว" in linked.text
    assert 'id="linked-factory"' in linked.text and "3-52(1)-7/45ชบ" in linked.text
    assert "ระบุโรงงาน 3-52(1)-7/45ชบ บริษัท ยางไทย จำกัด" in linked.text  # history
    search = console.client.get(f"/console/tickets/{world.cbi}", params={"factory_q": "น้ำแข็งเจิรญผล"}).text
    assert "โรงน้ำแข็งเจริญผล" in search[search.index('id="factory-search-results"') :]
    changed = console.client.post(
        f"/console/tickets/{world.cbi}/factory", data={"csrf_token": csrf, "registration_number": "10890300000365"}
    )
    assert "โรงน้ำแข็งเจริญผล" in changed.text[changed.text.index('id="linked-factory"') :][:400]
    bad = console.client.post(
        f"/console/tickets/{world.cbi}/factory", data={"csrf_token": csrf, "registration_number": "9-9-9/99ไม่มี"}
    )
    assert "ข้อมูลไม่ครบหรือไม่ถูกต้อง" in bad.text
    forged = console.client.post(
        f"/console/tickets/{world.cbi}/factory", data={"csrf_token": "x", "registration_number": "10890300000365"}
    )
    assert forged.status_code == 403
    unlinked = console.client.post(
        f"/console/tickets/{world.cbi}/factory", data={"csrf_token": csrf, "registration_number": ""}
    )
    assert 'id="linked-factory"' not in unlinked.text
    assert _ticket_id(console, world.cbi).factory_id is None


def test_the_api_links_only_tickets_the_officer_may_see(console, world, registry):
    headers = console.login("cbi-officer")
    ok = console.client.put(
        f"/api/tickets/{world.cbi}/factory", json={"registration_number": "๓-๕๒(๑)-๗/๔๕ชบ"}, headers=headers
    )
    assert ok.status_code == 200
    assert (
        console.client.put(
            f"/api/tickets/{world.cmi}/factory", json={"registration_number": "3-52(1)-7/45ชบ"}, headers=headers
        ).status_code
        == 404
    )
    assert (
        console.client.put(
            f"/api/tickets/{world.cbi}/factory", json={"registration_number": "3-1-1/50ชบ"}, headers=headers
        ).status_code
        == 422
    )
    assert (
        console.client.put(
            f"/api/tickets/{world.cbi}/factory", json={"registration_number": "x" * 41}, headers=headers
        ).status_code
        == 422
    )


def test_the_factory_page_follows_the_access_rules_and_flags_a_repeat_offender(console, world, registry):
    with console.sessions.begin() as s:
        rubber = factory_by_number(s, "3-52(1)-7/45ชบ")
        for number in (world.cbi, world.fire, world.bribe, world.cmi):
            link_factory(s, ticket=_attached(s, number), factory=rubber, actor="test")
        fresh = ticket(s, category=Category.WASTEWATER, description="น้ำเสียสีดำลงคลอง")
        link_factory(s, ticket=fresh, factory=rubber, actor="test")
        rubber_id, fresh_number = rubber.id, fresh.tracking_number
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/factories/{rubber_id}").text
    listed = html[html.index('id="factory-tickets"') :]
    assert world.cbi in listed and world.fire in listed and fresh_number in listed
    assert world.bribe not in html and world.cmi not in html  # ACOC's and another agency's
    assert "ประกอบกิจการ" in html and "เลขที่ 9 หมู่ 2" in html and 'id="categories-over-time"' in html
    assert "ร้องเรียนซ้ำ 3 เรื่องใน 90 วัน" in html
    ticket_page = console.client.get(f"/console/tickets/{fresh_number}").text
    assert 'id="repeat-offender"' in ticket_page  # flagged on the new ticket
    listed = console.client.get("/console").text
    row = listed[listed.index(fresh_number) :][:600]
    assert "ร้องเรียนซ้ำ" in row  # and in the list
    page_login(console, "acoc-officer")
    acoc = console.client.get(f"/console/factories/{rubber_id}").text
    assert world.bribe in acoc and world.cbi not in acoc and 'id="repeat-offender"' not in acoc
    assert console.client.get("/console/factories/999999").status_code == 404


def _attached(session, number):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from cases.models import Ticket

    return session.scalar(select(Ticket).where(Ticket.tracking_number == number))


def test_csv_export_and_open311_carry_the_registry_number_and_nothing_personal(console, world, registry):
    with console.sessions.begin() as s:
        rubber = factory_by_number(s, "3-52(1)-7/45ชบ")
        link_factory(s, ticket=_attached(s, world.cbi), factory=rubber, actor="test")
        link_factory(s, ticket=_attached(s, world.bribe), factory=rubber, actor="test")
    text = console.client.get("/api/tickets/export.csv", headers=console.login("cbi-officer")).content.decode(
        "utf-8-sig"
    )
    rows = {r["tracking_number"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[world.cbi]["factory_registration_number"] == "3-52(1)-7/45ชบ"
    assert rows[world.fire]["factory_registration_number"] == ""
    assert CITIZEN not in text
    requests = {r["service_request_id"]: r for r in console.client.get("/open311/v2/requests.json").json()}
    assert requests[world.cbi]["factory_registration_number"] == "3-52(1)-7/45ชบ"
    assert requests[world.fire]["factory_registration_number"] is None
    assert world.bribe not in requests
    one = console.client.get(f"/open311/v2/requests/{world.cbi}.json").json()[0]
    assert one["factory_registration_number"] == "3-52(1)-7/45ชบ"
    assert CITIZEN not in str(requests) and "บริษัท ยางไทย" not in str(requests)
