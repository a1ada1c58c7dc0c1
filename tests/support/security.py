"""Build the web app under test with chosen security settings (read from the environment)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from tests.support.web import closed_port_url, gateway_settings

SECRET_KEY = "k" * 40


@contextmanager
def app_client(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    domain_file: Path,
    *,
    line_api_url: str | None = None,
    security_env: dict[str, str] | None = None,
    **console_overrides,
) -> Iterator[TestClient]:
    for name, value in (security_env or {}).items():
        monkeypatch.setenv(name, value)
    settings = gateway_settings(
        LINE_API_BASE_URL=line_api_url or closed_port_url(),
        RASA_URL=closed_port_url(),
        DOMAIN_PATH=str(domain_file),
        DATABASE_URL=database_url,
        CONSOLE_SECRET_KEY=SECRET_KEY,
        **console_overrides,
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://testserver") as client:
        yield client
    app.state.console.sessions.kw["bind"].dispose()
