"""Shared pytest configuration: a case database on SQLite and on PostgreSQL."""

from __future__ import annotations

# Property tests explore new random examples on a developer's machine; in CI (CI=true)
# they replay a fixed, derandomised set so that a red CI always means a reproducible bug.
import os as _os

from hypothesis import settings as _hypothesis_settings

# Property tests check behaviour, not speed: a first example that pays for lazy imports
# on a busy machine must not fail on hypothesis's 200 ms deadline.
_hypothesis_settings.register_profile("dev", deadline=None)
_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
_hypothesis_settings.load_profile("ci" if _os.environ.get("CI") else "dev")

import os
import uuid

# The app defaults to production mode; the tests run the embedded (development) mode.
os.environ.setdefault("IDEE_ENVIRONMENT", "embedded")
from collections.abc import Iterator

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"idee_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - report clearly, never skip silently
        pytest.fail(f"PostgreSQL is required for the case-database tests ({POSTGRES_ADMIN_URL}): {error}")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty, migrated case database on each backend."""
    from cases.migrate import downgrade, upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cases.db'}"
        upgrade(url)
        return url
    url = request.getfixturevalue("postgres_database_url")
    downgrade(url)  # every test starts from an empty schema
    upgrade(url)
    return url
