"""Console sessions end after an idle while; each authenticated request extends them (API and pages)."""

import pytest

from console.tokens import REFRESH_HEADER, SessionTokens
from tests.console.test_pages import page_login


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(console) -> FakeClock:  # type: ignore[no-untyped-def]
    fake = FakeClock()
    console.client.app.state.console.tokens = SessionTokens("test-secret", 10 * 3600, 30 * 60, clock=fake)
    return fake


def test_idle_bearer_session_is_refused_a_used_one_lives(console, world, clock):
    headers = console.login("cbi-officer")
    clock.now += 20 * 60
    used = console.client.get("/api/auth/me", headers=headers)
    assert used.status_code == 200
    refreshed = {"Authorization": f"Bearer {used.headers[REFRESH_HEADER]}"}
    clock.now += 20 * 60  # 40 minutes since login, 20 since the last use
    assert console.client.get("/api/auth/me", headers=refreshed).status_code == 200
    assert console.client.get("/api/auth/me", headers=headers).status_code == 401  # the old token sat idle
    clock.now += 31 * 60
    assert console.client.get("/api/auth/me", headers=refreshed).status_code == 401


def test_idle_page_session_goes_back_to_login(console, world, clock):
    assert page_login(console, "cbi-officer").status_code == 303
    for _ in range(3):  # browsing keeps the session: the cookie is re-set on each page
        clock.now += 20 * 60
        assert console.client.get("/console", follow_redirects=False).status_code == 200
    clock.now += 31 * 60
    idle = console.client.get("/console", follow_redirects=False)
    assert idle.status_code == 303 and idle.headers["location"].startswith("/console/login")


def test_the_session_still_ends_after_its_hours_however_busy(console, world, clock):
    headers = console.login("cbi-officer")
    for _ in range(21):  # 10.5 hours of use, every 30 minutes
        clock.now += 29 * 60
        answer = console.client.get("/api/auth/me", headers=headers)
        if answer.status_code != 200:
            break
        headers = {"Authorization": f"Bearer {answer.headers[REFRESH_HEADER]}"}
    assert answer.status_code == 401 and clock.now - 1_900_000_000.0 > 10 * 3600 - 29 * 60


def test_idle_limit_is_a_setting():
    from settings import ConsoleSettings

    assert ConsoleSettings(CONSOLE_SESSION_IDLE_MINUTES=5).session_idle_minutes == 5
    assert ConsoleSettings(_env_file=None).session_idle_minutes == 30  # type: ignore[call-arg]
