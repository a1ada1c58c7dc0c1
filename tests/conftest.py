"""Shared pytest configuration: a case database on SQLite and on PostgreSQL."""

from __future__ import annotations

# Property tests explore new random examples on a developer's machine; in CI (CI=true)
# they replay a fixed, derandomised set so that a red CI always means a reproducible bug.
import os as _os
import sys as _sys

from hypothesis import settings as _hypothesis_settings

# Property tests check behaviour, not speed: a first example that pays for lazy imports
# on a busy machine must not fail on hypothesis's 200 ms deadline.
_hypothesis_settings.register_profile("dev", deadline=None)
_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
_hypothesis_settings.load_profile("ci" if _os.environ.get("CI") else "dev")

# Test officers' passwords are hashed with argon2's cheapest parameters (a setting of
# settings/, also inherited by the processes the end-to-end tests start).
_os.environ.setdefault("PASSWORD_HASH_PROFILE", "test_only_cheapest")

import os
import shutil
import uuid

# The app defaults to production mode; the tests run the embedded (development) mode.
os.environ.setdefault("IDEE_ENVIRONMENT", "embedded")
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped afterwards."""
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


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite case database migrated once per session; each test gets a copy of the file."""
    from cases.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "cases.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def new_sqlite_database(migrated_sqlite_file: Path, tmp_path: Path) -> Callable[[str], str]:
    """Makes a migrated SQLite case database in this test's folder (a copy of the session's
    migrated file, not a migration per test) and returns its URL: ``new_sqlite_database("a.db")``."""

    def make(name: str = "cases.db") -> str:
        path = tmp_path / name
        shutil.copyfile(migrated_sqlite_file, path)
        return f"sqlite:///{path}"

    return make


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per session, the template each test's database is
    created from (CREATE DATABASE ... TEMPLATE: a file copy, far cheaper than Alembic)."""
    from cases.migrate import upgrade

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"idee_template_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - report clearly, never skip silently
        pytest.fail(f"PostgreSQL is required for the case-database tests ({POSTGRES_ADMIN_URL}): {error}")
    upgrade(make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated case database on each backend, this test's own."""
    if request.param == "sqlite":
        yield request.getfixturevalue("new_sqlite_database")("cases.db")
        return
    template = request.getfixturevalue("postgres_template")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"idee_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# -- the fast inner loop (make check) --------------------------------------------------------

SERVER_FIXTURES = {"postgres_database_url", "postgres_template"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "servers: needs PostgreSQL, Redis or RabbitMQ (left out of `make check`: -m 'not servers')"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on PostgreSQL (the fixtures above, or database_url's postgresql variant) are marked
    `servers`; a test that needs Redis or RabbitMQ carries the marker itself."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("database_url") == "postgresql"
        if on_postgres or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


@pytest.fixture(autouse=True)
def _settings_read_per_test() -> Iterator[None]:
    """The process's settings are read once (settings.get_settings); each test reads them
    afresh, so that a variable a test or fixture sets (monkeypatch.setenv) is seen. Only once
    some test has imported it: tests/nlu run in the Rasa environment, where settings/ (pydantic 2)
    cannot be imported and nothing reads it."""
    module = _sys.modules.get("settings")
    if module is not None:
        module.get_settings.cache_clear()
    yield
    module = _sys.modules.get("settings")
    if module is not None:
        module.get_settings.cache_clear()
