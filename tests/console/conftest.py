"""The web app with the console on a migrated case database (SQLite and PostgreSQL),
the fake LINE on a real port, and a stub of Rasa's tracker endpoint."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cases.accounts import Role
from cases.taxonomy import Category
from web.app import create_app
from tests.cases.factories import PASSWORD, officer, ticket
from tests.support.fixtures import case_database, domain_file, fake_line_url, gateway, stub_rasa  # noqa: F401 (shared fixtures)
from tests.support.web import gateway_settings, serve

CITIZEN = "U" + "c" * 32


def complaint_events(
    tracking_number: str, said: str, *, before: list[dict] | None = None, phone: str | None = None
) -> list[dict]:
    """The tracker events of one filed complaint, as Rasa stores them (buttons included)."""
    events = [
        {"event": "user", "text": said, "timestamp": 1767225600.0},
        {"event": "active_loop", "name": "complaint_form"},
        {"event": "bot", "text": "ขอเบอร์โทรศัพท์ค่ะ", "timestamp": 1767225601.0},
        {"event": "user", "text": phone or "ไม่สะดวกค่ะ", "timestamp": 1767225602.0},
        {
            "event": "bot",
            "text": "ยืนยันไหมคะ",
            "timestamp": 1767225603.0,
            "data": {"buttons": [{"title": "ยืนยัน", "payload": "/affirm"}, {"title": "ยกเลิก", "payload": "/deny"}]},
        },
        {"event": "user", "text": "/affirm", "timestamp": 1767225604.0},
        {"event": "active_loop", "name": None},
        {"event": "action", "name": "action_submit_complaint"},
        {"event": "bot", "text": f"รับเรื่องแล้วค่ะ เลขที่ {tracking_number}", "timestamp": 1767225605.0},
        {"event": "slot", "name": "evidence_ticket", "value": tracking_number},
        {"event": "action", "name": "action_listen"},
    ]
    return [*(before or []), *events]


@pytest.fixture
def trackers() -> dict[str, list[dict]]:
    """Tracker events by sender id, served by the Rasa stub (tests fill it)."""
    return {}


@pytest.fixture
def tracker_url(trackers) -> Iterator[str]:
    app = FastAPI()

    @app.get("/conversations/{sender}/tracker")
    def tracker(sender: str) -> dict:
        return {"sender_id": sender, "events": trackers.get(sender, [])}

    with serve(app) as url:
        yield url


@dataclass
class Console:
    client: TestClient
    sessions: sessionmaker[Session]
    fake_line_url: str

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.client.cookies.clear()  # each caller proves itself with its own bearer token
        return {"Authorization": f"Bearer {response.json()['token']}"}


def make_console(database_url: str, fake_line_url: str, rasa_url: str, **console_overrides) -> Iterator[Console]:
    # The console reads Rasa's trackers at rasa_url; the gateway never reaches Rasa here. The
    # citizen's notices and handoff messages are the real domain's wording.
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url,
        RASA_URL=rasa_url,
        DOMAIN_PATH=str(Path(__file__).resolve().parents[2] / "bot" / "domain"),
        DATABASE_URL=database_url,
        CONSOLE_SECRET_KEY="test-secret",
        **console_overrides,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield Console(client, app.state.console.sessions, fake_line_url)
    app.state.console.sessions.kw["bind"].dispose()


@pytest.fixture
def console(database_url, fake_line_url, tracker_url) -> Iterator[Console]:
    yield from make_console(database_url, fake_line_url, tracker_url)


@dataclass
class World:
    """Accounts of several agencies and roles, and tickets of several agencies."""

    cbi: str  # odor ticket routed to PIO-CBI, from CITIZEN
    cmi: str  # PIO-CMI
    bribe: str  # corruption, ACOC, confidential
    fire: str  # urgent hazard, PIO-CBI


@pytest.fixture
def world(console: Console, trackers) -> World:
    with console.sessions.begin() as s:
        officer(s, "cbi-officer", "PIO-CBI")
        officer(s, "cbi-officer2", "PIO-CBI")
        officer(s, "cbi-super", "PIO-CBI", Role.SUPERVISOR)
        officer(s, "cmi-officer", "PIO-CMI")
        officer(s, "admin", "OPS", Role.ADMIN)
        officer(s, "acoc-officer", "ACOC")
        numbers = World(
            cbi=ticket(
                s,
                line_user_id=CITIZEN,
                subject_name="บริษัท ยางไทย จำกัด",
                place_detail="ซอยวัดป่า ข้างปั๊มน้ำมัน",
            ).tracking_number,
            cmi=ticket(s, province="เชียงใหม่").tracking_number,
            bribe=ticket(
                s,
                category=Category.CORRUPTION,
                description="เจ้าหน้าที่เรียกรับเงิน 5,000 บาท",
            ).tracking_number,
            fire=ticket(
                s,
                category=Category.HAZARD,
                description="ไฟไหม้โกดังสารเคมี",
            ).tracking_number,
        )
    # The citizen first reported a bribe (with a phone), then the odour of world.cbi.
    bribe = complaint_events(
        "IDEE-2569-999998",
        "เจ้าหน้าที่เรียกรับสินบนค่ะ",
        phone="081-234-5678",
        before=[{"event": "session_started"}],
    )
    trackers[CITIZEN] = complaint_events(
        numbers.cbi,
        "โรงงานส่งกลิ่นเหม็นค่ะ",
        before=[
            *bribe,
            {"event": "user", "text": "/my_tickets"},
            {"event": "bot", "text": "เรื่องของคุณ IDEE-2569-999998"},
        ],
    )
    return numbers
