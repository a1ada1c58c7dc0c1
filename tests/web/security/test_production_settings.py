"""Secrets only from the environment: production refuses defaults, embedded mode runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.security.production import InsecureConfigError, production_problems
from settings import Settings
from web.app import create_app

SAFE = {
    "IDEE_ENVIRONMENT": "production",
    "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
    "LINE_CHANNEL_ACCESS_TOKEN": "a-long-lived-channel-access-token",
    "CONSOLE_SECRET_KEY": "Zt3q9w0vX1y2u8Rk5mN7pL4sB6dF0hJ2",
    "CONSOLE_COOKIE_SECURE": "true",
    "DATABASE_URL": "postgresql://idee@db/idee",
    "RATE_LIMIT_STORAGE_URL": "redis://redis:6379/0",
}


def _settings(monkeypatch, env):
    for name in list(SAFE) + ["CONSOLE_SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DOMAIN_PATH", str(Path("bot/domain").resolve()))
    monkeypatch.chdir("/")  # no .env file
    return Settings()


def test_safe_production_settings_pass(monkeypatch):
    assert production_problems(_settings(monkeypatch, SAFE)) == []


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"LINE_CHANNEL_SECRET": ""}, "LINE_CHANNEL_SECRET"),
        ({"LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""}, "no simulator"),
        ({"CONSOLE_SECRET_KEY": ""}, "CONSOLE_SECRET_KEY must be set"),
        ({"CONSOLE_SECRET_KEY": "test-secret"}, "at least 32"),
        ({"CONSOLE_SECRET_KEY": "short"}, "at least 32"),
        ({"CONSOLE_COOKIE_SECURE": "false"}, "CONSOLE_COOKIE_SECURE"),
        ({"DATABASE_URL": "sqlite:///var/idee.db"}, "DATABASE_URL"),
        ({"RATE_LIMIT_STORAGE_URL": "memory://"}, "RATE_LIMIT_STORAGE_URL"),
    ],
)
def test_each_default_or_missing_secret_is_named(monkeypatch, change, complaint):
    problems = production_problems(_settings(monkeypatch, {**SAFE, **change}))
    assert any(complaint in p for p in problems), problems


def test_production_app_refuses_to_start_with_the_default_console_secret(monkeypatch):
    env = {**SAFE}
    env.pop("CONSOLE_SECRET_KEY")
    settings = _settings(monkeypatch, env)
    with pytest.raises(InsecureConfigError, match="CONSOLE_SECRET_KEY"):
        create_app(settings)


def test_production_app_refuses_the_simulator(monkeypatch):
    settings = _settings(monkeypatch, {**SAFE, "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""})
    with pytest.raises(InsecureConfigError, match="no simulator"):
        create_app(settings)


def test_embedded_mode_runs_with_invented_secrets(monkeypatch):
    settings = _settings(monkeypatch, {"IDEE_ENVIRONMENT": "embedded"})
    assert settings.security.environment == "embedded" and settings.line.simulator_mode
    assert production_problems(settings) == []
    app = create_app(settings)
    assert app.state.settings.line.channel_secret  # random per start, never a fixed default


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_api_docs_are_not_served_in_production(monkeypatch, path):
    settings = _settings(monkeypatch, SAFE)
    client = TestClient(create_app(settings))  # no lifespan: nothing connects
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_api_docs_stay_in_embedded_mode(monkeypatch, path):
    settings = _settings(monkeypatch, {"IDEE_ENVIRONMENT": "embedded"})
    client = TestClient(create_app(settings))
    assert client.get(path).status_code == 200
