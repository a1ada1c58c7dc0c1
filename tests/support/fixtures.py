"""Fixtures: a stub Rasa, the fake LINE and the gateway, each on a loopback port."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gateway.dev.fake_line import create_fake_line_app
from web.app import create_app
from tests.support.web import (
    DOMAIN_YAML,
    Gateway,
    StubRasa,
    gateway_settings,
    serve,
)


@pytest.fixture(autouse=True)
def case_database(new_sqlite_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite case database (the gateway stores webhook events there)."""
    url = new_sqlite_database("gateway.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def domain_file(tmp_path: Path) -> Path:
    path = tmp_path / "domain.yml"
    path.write_text(DOMAIN_YAML, encoding="utf-8")
    return path


@pytest.fixture
def stub_rasa() -> Iterator[tuple[StubRasa, str]]:
    stub = StubRasa()
    with serve(stub.app) as url:
        yield stub, url


@pytest.fixture
def fake_line_url() -> Iterator[str]:
    with serve(create_fake_line_app()) as url:
        yield url


@pytest.fixture
def gateway(stub_rasa, fake_line_url: str, domain_file: Path) -> Iterator[Gateway]:
    stub, rasa_url = stub_rasa
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=rasa_url, DOMAIN_PATH=str(domain_file))
    with serve(create_app(settings)) as url:
        yield Gateway(url=url, fake_line_url=fake_line_url, rasa=stub)
