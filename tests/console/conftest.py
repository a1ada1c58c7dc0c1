"""The web app with the console on a migrated case database (SQLite and PostgreSQL),
the fake LINE on a real port, and a stub of Rasa's tracker endpoint."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from cases.accounts import Role
from cases.taxonomy import Category
from console.settings import ConsoleSettings
from web.app import create_app
from tests.cases.factories import PASSWORD, officer, ticket
from tests.support.fixtures import case_database, domain_file, fake_line_url, gateway, stub_rasa  # noqa: F401 (shared fixtures)
from tests.support.web import closed_port_url, gateway_settings, serve

CITIZEN = "U" + "c" * 32


@pytest.fixture
def tracker_url() -> Iterator[str]:
    app = FastAPI()

    @app.get("/conversations/{sender}/tracker")
    def tracker(sender: str) -> dict:
        return {
            "sender_id": sender,
            "events": [
                {"event": "user", "text": "โรงงานส่งกลิ่นเหม็นค่ะ", "timestamp": 1767225600.0},
                {"event": "action", "name": "action_listen"},
                {"event": "bot", "text": "รับเรื่องแล้วค่ะ", "timestamp": 1767225601.0},
            ],
        }

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


def make_console(
    database_url: str, fake_line_url: str, rasa_url: str, domain_file, **console_overrides
) -> Iterator[Console]:
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url, RASA_URL=closed_port_url(), DOMAIN_PATH=str(domain_file)
    )
    console_settings = ConsoleSettings(
        DATABASE_URL=database_url, CONSOLE_SECRET_KEY="test-secret", RASA_URL=rasa_url,
        **console_overrides,
    )
    app = create_app(settings, console_settings)
    with TestClient(app) as client:
        yield Console(client, app.state.console.sessions, fake_line_url)
    app.state.console.sessions.kw["bind"].dispose()


@pytest.fixture
def console(database_url, fake_line_url, tracker_url, domain_file) -> Iterator[Console]:
    yield from make_console(database_url, fake_line_url, tracker_url, domain_file)


@dataclass
class World:
    """Accounts of several agencies and roles, and tickets of several agencies."""

    cbi: str  # odor ticket routed to PIO-CBI, from CITIZEN
    cmi: str  # PIO-CMI
    bribe: str  # corruption, ACOC, confidential
    fire: str  # urgent hazard, PIO-CBI


@pytest.fixture
def world(console: Console) -> World:
    with console.sessions.begin() as s:
        officer(s, "cbi-officer", "PIO-CBI")
        officer(s, "cbi-officer2", "PIO-CBI")
        officer(s, "cbi-super", "PIO-CBI", Role.SUPERVISOR)
        officer(s, "cmi-officer", "PIO-CMI")
        officer(s, "admin", "OPS", Role.ADMIN)
        officer(s, "acoc-officer", "ACOC")
        numbers = World(
            cbi=ticket(s, line_user_id=CITIZEN, subject_name="บริษัท ยางไทย จำกัด").tracking_number,
            cmi=ticket(s, province="เชียงใหม่").tracking_number,
            bribe=ticket(
                s, category=Category.CORRUPTION,
                description="เจ้าหน้าที่เรียกรับเงิน 5,000 บาท",
            ).tracking_number,
            fire=ticket(
                s, category=Category.HAZARD,
                description="ไฟไหม้โกดังสารเคมี",
            ).tracking_number,
        )
    return numbers
