"""The factory registry over every real process: a citizen on LINE complains that "an ice
factory near Mahachai smells of ammonia" and shares their location a street away from it;
the bot files the ticket and offers the registry's best candidates as a Flex carousel, the
right factory among the first three; the citizen picks it; the officer's ticket page shows
the factory, the factory page lists the complaint and the map places the ticket.

It runs on the shared stack: the demo registry `make seed` imports is loaded through the
real importer for this module and removed afterwards (the other conversations expect an
empty registry, no factory offers). Which factory is right is looked up in that registry by what the
complaint says (tests/support/registry.py), never written here."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session

from cases.accounts import Role, create_officer
from cases.db import make_engine, make_session_factory
from cases.models import Ticket
from cases.registry.cache import CHECK_SECONDS
from cases.registry.demo import demo_csv
from cases.registry.importer import import_csv_text
from cases.registry.models import Factory
from gateway.signing import location_event, new_user_id, postback_event, text_event
from tests.e2e.conftest import Stack
from tests.e2e.test_line_conversation import TRACKING, quick_replies, said
from tests.support.registry import COMPLAINT, DEMO_SIZE, citizen_location, mahachai_ice_factory, registration_number

PASSWORD = "e2e officer password"
ADDRESS = "ตำบลมหาชัย อำเภอเมืองสมุทรสาคร สมุทรสาคร 74000 ประเทศไทย"  # as LINE writes a shared place
# What the form may ask after the complaint and the location, and the answer a citizen who
# knows no more would tap; the order is the form's, but the test follows what is asked.
ANSWERS = ("ไม่ทราบ", "ข้าม", "ไม่ประสงค์ออกนาม", "ยืนยัน")


def _load_registry(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        report = import_csv_text(session, demo_csv(DEMO_SIZE))
        assert report.inserted == DEMO_SIZE and not report.errors
        create_officer(session, username="e2e-registry-admin", password=PASSWORD, agency="OPS", role=Role.ADMIN)
    engine.dispose()


def _empty_registry(database_url: str) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        session.execute(delete(Factory))  # a ticket linked to a factory keeps no link (SET NULL)
    engine.dispose()


@pytest.fixture(scope="module")
def registry_stack(stack: Stack) -> Iterator[Stack]:
    # The action server re-reads a changed registry only once its index is older than
    # CHECK_SECONDS (cases/registry/cache.py): past that, every process sees the change.
    _load_registry(stack.database_url)
    time.sleep(CHECK_SECONDS)
    try:
        yield stack
    finally:
        _empty_registry(stack.database_url)
        time.sleep(CHECK_SECONDS)


def _flex_bubbles(deliveries: list[dict]) -> list[dict]:
    return [
        bubble
        for d in deliveries
        for m in d["payload"]["messages"]
        if m.get("type") == "flex" and m["contents"].get("type") == "carousel"
        for bubble in m["contents"]["contents"]
    ]


def _pick_data(bubble: dict) -> str:
    return bubble["footer"]["contents"][0]["action"]["data"]


def _picked_number(data: str) -> str:
    return json.loads(data[data.index("{") :])["factory_registration_number"]


def _console(stack: Stack) -> httpx.Client:
    """An officer's browser session: the login page's CSRF token, then the session cookie."""
    client = httpx.Client(base_url=stack.gateway_url, timeout=30)
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = client.post(
        "/console/login", data={"username": "e2e-registry-admin", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text[:500]
    return client


def _ticket(stack: Stack, number: str) -> Ticket:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        found = session.scalar(select(Ticket).where(Ticket.tracking_number == number))
        assert found is not None
        session.expunge(found)
    engine.dispose()
    return found


def _factory(stack: Stack, registration: str) -> Factory:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        found = session.scalar(select(Factory).where(Factory.registration_number == registration))
        assert found is not None
        session.expunge(found)
    engine.dispose()
    return found


def test_an_ice_factory_near_mahachai_is_offered_picked_and_shown_to_the_officer(registry_stack, capsys):
    stack = registry_stack
    ice = mahachai_ice_factory()
    expected = registration_number(ice)
    latitude, longitude = citizen_location(ice)
    citizen = new_user_id()
    started = time.monotonic()

    # The complaint, then the citizen's location (LINE's "share location", any time in the form).
    transcript = [("citizen", COMPLAINT)]
    replies = stack.turn(citizen, text_event, COMPLAINT)
    transcript.append(("bot", said(replies)))
    replies = stack.turn(citizen, location_event, latitude, longitude, ADDRESS)
    transcript.append(("citizen", f"[location {latitude}, {longitude}]"))
    transcript.append(("bot", said(replies)))
    created = None
    for _ in range(len(ANSWERS) + 2):  # answer what the form asks until the ticket exists
        created = TRACKING.search(said(replies))
        if created:
            break
        labels = [b["action"]["label"] for b in quick_replies(replies)]
        answer = next((a for a in ANSWERS if a in labels), None)
        assert answer is not None, f"unexpected question: {transcript}"
        button = next(b["action"] for b in quick_replies(replies) if b["action"]["label"] == answer)
        replies = stack.turn(citizen, postback_event, button["data"])
        transcript += [("citizen", answer), ("bot", said(replies))]
    assert created, transcript
    tracking_number = created.group(0)

    # The offer: "ใช่โรงงานนี้ไหมคะ" with a carousel, the right factory among the first three.
    assert "ใช่โรงงานนี้ไหมคะ" in said(replies), transcript
    bubbles = _flex_bubbles(replies)
    offered = [_picked_number(_pick_data(b)) for b in bubbles]
    assert 1 <= len(offered) <= 3 and expected in offered, (expected, ice.name, offered)
    assert {"ไม่ใช่", "ไม่แน่ใจ"} <= {b["action"]["label"] for b in quick_replies(replies)}
    chosen = bubbles[offered.index(expected)]
    assert ice.name in json.dumps(chosen, ensure_ascii=False)  # the bubble names the factory
    rank = offered.index(expected) + 1

    # The citizen taps "ใช่ โรงงานนี้ค่ะ" on that bubble.
    noted = stack.turn(citizen, postback_event, _pick_data(chosen))
    assert "บันทึกโรงงานที่ท่านเลือกไว้" in said(noted), said(noted)
    with capsys.disabled():
        print(
            f"\nfactory walk-through: {len([t for t in transcript if t[0] == 'citizen']) + 1} citizen turns in "
            f"{time.monotonic() - started:.1f}s; {ice.name} offered at rank {rank} of {len(offered)}"
        )

    # The ticket is linked to that factory, and placed where the citizen stood.
    ticket = _ticket(stack, tracking_number)
    factory = _factory(stack, expected)
    assert ticket.factory_id == factory.id
    assert (ticket.latitude, ticket.longitude, ticket.province) == (latitude, longitude, "สมุทรสาคร")

    officer = _console(stack)
    try:
        # The ticket page shows the factory, linking to its page.
        page = officer.get(f"/console/tickets/{tracking_number}")
        assert page.status_code == 200
        linked = re.search(r'<p id="linked-factory">(.*?)</p>', page.text, re.S)
        assert linked and ice.name in linked.group(1) and f"/console/factories/{factory.id}" in linked.group(1)
        # The factory page lists the complaint.
        page = officer.get(f"/console/factories/{factory.id}")
        assert page.status_code == 200 and ice.name in page.text
        assert f"/console/tickets/{tracking_number}" in page.text
        # The map shows the ticket at the citizen's location, and the factory's marker.
        data = officer.get("/console/map/data.json", params={"province": "สมุทรสาคร"}).json()
        (point,) = [t for t in data["tickets"] if t["n"] == tracking_number]
        assert (point["lat"], point["lon"], point["f"]) == (latitude, longitude, factory.id)
        (marker,) = [f for f in data["factories"] if f["id"] == factory.id]
        assert marker["number"] == expected and marker["count"] == 1
        assert officer.get("/console/map").status_code == 200
    finally:
        officer.close()
