"""Secrets come from the environment: in production, refuse to start without real ones.

The embedded mode (``make run``, tests, the simulator) invents random secrets per start;
``IDEE_ENVIRONMENT=production`` turns every such fallback into a startup error.
"""

from __future__ import annotations

from typing import TypedDict

from settings import SecuritySettings, Settings

MIN_SECRET_CHARS = 32
# Values seen in examples, tests and docs: never acceptable as a production secret.
KNOWN_PLACEHOLDERS = {"changeme", "change-me", "secret", "test-secret", "dev", "development", "default"}


class InsecureConfigError(Exception):
    """Production settings that would run with a default or missing secret."""


def production_problems(settings: Settings) -> list[str]:
    """Why these settings may not run in production (empty in embedded mode)."""
    security, line, console = settings.security, settings.line, settings.console
    if security.environment != "production":
        return []
    problems = []
    if line.simulator_mode or not line.channel_secret or not line.channel_access_token:
        problems.append("LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN must be set (no simulator in production)")
    key = console.secret_key
    if not key:
        problems.append("CONSOLE_SECRET_KEY must be set (a random per-start key is for the embedded mode)")
    elif len(key) < MIN_SECRET_CHARS or key.strip().lower() in KNOWN_PLACEHOLDERS:
        problems.append(f"CONSOLE_SECRET_KEY must be a random value of at least {MIN_SECRET_CHARS} characters")
    if not console.cookie_secure:
        problems.append("CONSOLE_COOKIE_SECURE must be true (the console is served over HTTPS)")
    if settings.database.url.startswith("sqlite"):
        problems.append("DATABASE_URL must point at the production database, not SQLite")
    if security.rate_limit_storage_url.startswith(("memory", "async+memory")):
        problems.append("RATE_LIMIT_STORAGE_URL must be shared storage (redis://...) with several workers")
    return problems


def require_safe_settings(settings: Settings) -> None:
    problems = production_problems(settings)
    if problems:
        raise InsecureConfigError("refusing to start in production: " + "; ".join(problems))


class ApiDocsUrls(TypedDict):
    docs_url: str | None
    redoc_url: str | None
    openapi_url: str | None


def api_docs_urls(security: SecuritySettings) -> ApiDocsUrls:
    """FastAPI's ``docs_url``, ``redoc_url`` and ``openapi_url``: none in production, where the
    API's full map would only help an attacker; FastAPI's defaults in embedded mode."""
    if security.environment == "production":
        return {"docs_url": None, "redoc_url": None, "openapi_url": None}
    return {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
