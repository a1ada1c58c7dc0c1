"""Schemathesis over the app's OpenAPI: the officer API (logged in as an administrator and
as a plain officer), Open311 and the webhook answer every generated request without a 500.
The app runs on a real port with the fake LINE; rate limits are off (fuzzing is not abuse)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from cases.accounts import Role
from cases.migrate import upgrade
from cases.taxonomy import Category
from gateway.dev.fake_line import create_fake_line_app
from web.app import create_app
from tests.cases.factories import PASSWORD, officer, ticket
from tests.support.security import SECRET_KEY
from tests.support.web import DOMAIN_YAML, closed_port_url, gateway_settings, serve

OPEN311_KEY = "open311-fuzz-key"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("openapi-fuzz")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    upgrade(url)
    domain = folder / "domain.yml"
    domain.write_text(DOMAIN_YAML, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("RATE_LIMIT_ENABLED", "false")
    with serve(create_fake_line_app()) as fake_line:
        app = create_app(
            gateway_settings(
                LINE_API_BASE_URL=fake_line,
                RASA_URL=closed_port_url(),
                DOMAIN_PATH=str(domain),
                DATABASE_URL=url,
                CONSOLE_SECRET_KEY=SECRET_KEY,
                OPEN311_API_KEYS=OPEN311_KEY,
            )
        )
        with app.state.console.sessions.begin() as s:
            officer(s, "fuzz-admin", "OPS", Role.ADMIN)
            officer(s, "fuzz-officer", "PIO-CBI")
            for category in (Category.ODOR, Category.HAZARD, Category.CORRUPTION):
                ticket(s, category=category, line_user_id="U" + "f" * 32)
        with serve(app) as base:
            tokens = {
                who: httpx.post(f"{base}/api/auth/login", json={"username": who, "password": PASSWORD}).json()["token"]
                for who in ("fuzz-admin", "fuzz-officer")
            }
            yield {"base": base, "tokens": tokens}
    mp.undo()


# Logging out would end the session the rest of the run uses; it is covered elsewhere.
EXCLUDED = {("POST", "/api/auth/logout")}
FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def test_no_generated_request_is_a_server_error(served):
    """Each operation gets its own hypothesis run (schemathesis strategies, called over HTTP)."""
    schema = schemathesis.openapi.from_url(f"{served['base']}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]
    failures: list[str] = []
    tried = 0
    for operation in operations:
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            for who, token in served["tokens"].items():  # an administrator and a plain officer
                headers = {"Authorization": f"Bearer {token}", "X-API-Key": OPEN311_KEY}
                response = case.call(base_url=served["base"], headers=headers, timeout=15)
                if response.status_code >= 500:
                    failures.append(
                        f"{who} {case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
                    )

        run()
        tried += 1
    assert tried >= 15
    assert failures == []
