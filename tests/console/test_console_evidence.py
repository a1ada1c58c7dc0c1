"""Officers see one case with its complainants and photos (SQLite and PostgreSQL); photos
only through the authenticated API, under the ticket's own access rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from cases.accounts import Role
from cases.attachments import owner_key, store_attachment
from cases.duplicate_links import file_complaint, link_duplicate
from cases.models import Ticket
from cases.repository import TicketDraft
from cases.taxonomy import Category
from tests.cases.factories import officer
from tests.console.test_pages import page_login

ALICE, BOB = "U" + "a" * 32, "U" + "b" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x11" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x22" * 200
LAT, LON = 12.6833, 101.2372  # Rayong


@dataclass
class Case:
    main: str
    linked: str
    bribe: str
    other: str
    photo_main: int
    photo_linked: int
    photo_bribe: int
    photo_other: int


def draft(user: str, **kw) -> TicketDraft:  # type: ignore[no-untyped-def]
    values = dict(
        category=Category.ODOR,
        description="โรงงานส่งกลิ่นเหม็นทุกคืน แสบจมูกมาก",
        province="ระยอง",
        latitude=LAT,
        longitude=LON,
        line_user_id=user,
    )
    values.update(kw)
    return TicketDraft(**values)


@pytest.fixture
def case(console) -> Case:  # type: ignore[no-untyped-def]
    with console.sessions.begin() as s:
        officer(s, "ryg-officer", "PIO-RYG")
        officer(s, "cbi-officer", "PIO-CBI")
        officer(s, "acoc-officer", "ACOC")
        officer(s, "admin", "OPS", Role.ADMIN)
        main = file_complaint(
            s,
            draft=draft(
                ALICE,
                contact_phone="+66812345678",
                consent_at=datetime.now(timezone.utc),
            ),
        ).ticket
        linked = file_complaint(
            s,
            draft=draft(
                BOB,
                description="กลิ่นเหม็นจากโรงงานตอนกลางคืน แสบจมูก",
                latitude=LAT + 0.002,
                anonymous=True,
            ),
        )
        assert linked.case is not None and linked.case.id == main.id
        bribe = file_complaint(s, draft=draft(ALICE, category=Category.CORRUPTION, description="เจ้าหน้าที่เรียกเงิน")).ticket
        other = file_complaint(s, draft=draft(BOB, province="ชลบุรี", latitude=None, longitude=None)).ticket

        def photo(ticket, content):  # type: ignore[no-untyped-def]
            return store_attachment(
                s, owner=owner_key(ticket.line_user_id, "x"), content=content, ticket_id=ticket.id
            ).id

        return Case(
            main.tracking_number,
            linked.ticket.tracking_number,
            bribe.tracking_number,
            other.tracking_number,
            photo(main, JPEG),
            photo(linked.ticket, PNG),
            photo(bribe, JPEG),
            photo(other, PNG),
        )


def test_the_case_lists_every_complainant_and_photo(console, case):
    headers = console.login("ryg-officer")
    found = console.client.get(f"/api/tickets/{case.main}/evidence", headers=headers).json()
    assert found["case_tracking_number"] == case.main and found["complainants"] == 2
    complaints = {c["tracking_number"]: c for c in found["complaints"]}
    assert complaints[case.main]["is_case"] and complaints[case.main]["contact_phone"] == "+66812345678"
    assert complaints[case.linked]["anonymous"] and complaints[case.linked]["contact_phone"] is None
    assert [(p["id"], p["tracking_number"]) for p in found["photos"]] == [
        (case.photo_main, case.main),
        (case.photo_linked, case.linked),
    ]
    assert ALICE not in str(found) and BOB not in str(found)  # never a LINE user id
    # The linked complaint's own page leads to the same case.
    via_linked = console.client.get(f"/api/tickets/{case.linked}/evidence", headers=headers).json()
    assert via_linked["case_tracking_number"] == case.main and via_linked["complainants"] == 2


def test_photos_are_served_to_officers_who_may_see_the_case(console, case):
    headers = console.login("ryg-officer")
    jpeg = console.client.get(f"/api/tickets/{case.main}/photos/{case.photo_main}", headers=headers)
    assert jpeg.status_code == 200 and jpeg.content == JPEG
    assert jpeg.headers["content-type"] == "image/jpeg" and "no-store" in jpeg.headers["cache-control"]
    assert jpeg.headers["x-content-type-options"] == "nosniff"
    png = console.client.get(f"/api/tickets/{case.main}/photos/{case.photo_linked}", headers=headers)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("who", "ticket_attr", "photo_attr"),
    [
        ("cbi-officer", "main", "photo_main"),  # another agency's case
        ("cbi-officer", "other", "photo_main"),  # own ticket, someone else's photo id
        ("ryg-officer", "main", "photo_other"),  # own case, a photo of another case
        ("ryg-officer", "bribe", "photo_bribe"),  # corruption: ACOC only
        ("admin", "bribe", "photo_bribe"),  # not even an administrator
        ("admin", "main", "photo_bribe"),
    ],
)
def test_no_photo_outside_the_viewers_scope(console, case, who, ticket_attr, photo_attr):
    headers = console.login(who)
    number, photo_id = getattr(case, ticket_attr), getattr(case, photo_attr)
    response = console.client.get(f"/api/tickets/{number}/photos/{photo_id}", headers=headers)
    assert response.status_code == 404 and response.content != JPEG


def test_acoc_sees_its_corruption_photo_and_anonymous_callers_see_nothing(console, case):
    headers = console.login("acoc-officer")
    ok = console.client.get(f"/api/tickets/{case.bribe}/photos/{case.photo_bribe}", headers=headers)
    assert ok.status_code == 200 and ok.content == JPEG
    console.client.cookies.clear()
    assert console.client.get(f"/api/tickets/{case.main}/photos/{case.photo_main}").status_code == 401
    assert console.client.get(f"/api/tickets/{case.main}/evidence").status_code == 401


def test_pages_show_the_complainants_photos_and_the_count_in_the_list(console, case):
    page_login(console, "ryg-officer")
    html = console.client.get(f"/console/tickets/{case.main}").text
    assert "ผู้ร้องเรียน 2 ราย" in html and case.linked in html
    assert f"/api/tickets/{case.main}/photos/{case.photo_main}" in html
    assert f"/api/tickets/{case.main}/photos/{case.photo_linked}" in html
    assert "มีผู้ร้องเรียนเพิ่ม" in html  # the case's audit trail
    linked = console.client.get(f"/console/tickets/{case.linked}").text
    assert "รวมอยู่ในเรื่อง" in linked and case.main in linked
    listing = console.client.get("/console").text
    assert "ผู้ร้อง 2 ราย" in listing and case.main in listing
    assert case.linked not in listing  # one case, not two rows; a search still finds it
    assert case.linked in console.client.get("/console", params={"q": case.linked}).text
    # The photo is fetched by the page with the officer's session cookie.
    img = console.client.get(f"/api/tickets/{case.main}/photos/{case.photo_main}")
    assert img.status_code == 200 and img.content == JPEG


@pytest.fixture
def joined_to_corruption(console, case) -> Case:  # type: ignore[no-untyped-def]
    """A PIO-CBI complaint joined to a corruption case (ACOC only)."""
    with console.sessions.begin() as s:
        other = s.scalar(select(Ticket).where(Ticket.tracking_number == case.other))
        bribe = s.scalar(select(Ticket).where(Ticket.tracking_number == case.bribe))
        link_duplicate(s, ticket=other, case=bribe)
    return case


def test_evidence_never_names_a_case_the_viewer_cannot_see(console, joined_to_corruption):
    case = joined_to_corruption
    headers = console.login("cbi-officer")
    found = console.client.get(f"/api/tickets/{case.other}/evidence", headers=headers)
    assert found.status_code == 200
    assert found.json()["case_tracking_number"] is None and case.bribe not in found.text
    assert [c["tracking_number"] for c in found.json()["complaints"]] == [case.other]
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/tickets/{case.other}").text
    assert "เรื่องที่คุณไม่มีสิทธิ์ดู" in html and case.bribe not in html
    # the other way round: ACOC's case counts the PIO-CBI complaint without naming it
    page_login(console, "acoc-officer")
    acoc = console.client.get(f"/console/tickets/{case.bribe}").text
    assert "ผู้ร้องเรียน 2 ราย" in acoc and "และอีก 1 ราย" in acoc and case.other not in acoc
