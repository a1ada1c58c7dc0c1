"""Production is the default mode: a forgotten IDEE_ENVIRONMENT never starts the simulator
with invented secrets against the real database; only `make run`, the e2e stacks and the
tests choose the embedded mode. Every settings class reads `.env`, the gateway's included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.processes import base_env
from web.app import create_app
from web.security.production import InsecureConfigError
from settings import Settings

NAMES = ("IDEE_ENVIRONMENT", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "CONSOLE_SECRET_KEY", "DATABASE_URL")


@pytest.fixture
def bare(monkeypatch, tmp_path) -> Path:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOMAIN_PATH", str(Path("bot/domain").resolve()))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_a_choice_the_app_is_in_production_and_refuses_the_simulator(bare):
    assert Settings().security.environment == "production"
    with pytest.raises(InsecureConfigError, match="no simulator"):
        create_app(Settings())


def test_the_gateway_reads_line_credentials_from_dotenv(bare):
    (bare / ".env").write_text(
        "LINE_CHANNEL_SECRET=from-dotenv\nLINE_CHANNEL_ACCESS_TOKEN=token-from-dotenv\nIDEE_ENVIRONMENT=embedded\n"
    )
    settings = Settings()
    assert settings.line.channel_secret == "from-dotenv" and not settings.line.simulator_mode
    assert settings.security.environment == "embedded"


def test_the_development_stacks_choose_the_embedded_mode(monkeypatch):
    monkeypatch.delenv("IDEE_ENVIRONMENT", raising=False)
    assert base_env({})["IDEE_ENVIRONMENT"] == "embedded"
    monkeypatch.setenv("IDEE_ENVIRONMENT", "production")
    assert base_env({})["IDEE_ENVIRONMENT"] == "production"
