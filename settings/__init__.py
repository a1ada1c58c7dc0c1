"""Every setting of i-Dee, in one place: one section per concern, read from the environment
(and from a ``.env`` file in the working directory) the first time ``get_settings()`` is called.

Each field names its environment variable explicitly (``Field(validation_alias=...)``), so
every variable is read here and only here; the names are the ones deploy/docker-compose.yml,
the Makefile and the docs use. Nothing is read at import time: the composition roots (the web
app, the worker, the action server, the command-line tools) call ``get_settings()``, or build a
``Settings`` of their own and hand it down.

This package sits below every package that needs a setting (``cases/`` included) and imports
nothing of ours. ``nlu/`` runs in Rasa's environment (pydantic 1) and never imports it.
"""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "sqlite:///var/idee.db"


def env(name: str, default: Any, *aliases: str, **kwargs: Any) -> Any:
    """A field read from the environment variable ``name`` (or, failing it, from ``aliases``)."""
    alias = AliasChoices(name, *aliases) if aliases else name
    if callable(default):
        return Field(default_factory=default, validation_alias=alias, **kwargs)
    return Field(default, validation_alias=alias, **kwargs)


class Section(BaseSettings):
    """One section: its fields come from the environment or ``.env``, or from keyword
    arguments named as the variables are (``RasaSettings(RASA_URL=...)``). Only the variable's
    name is read, never the field's: ``path`` must not pick up ``PATH``."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class DatabaseSettings(Section):
    """The case database: any SQLAlchemy URL; ``postgresql://`` URLs use psycopg 3."""

    url: str = env("DATABASE_URL", DEFAULT_DATABASE_URL)

    @property
    def sqlalchemy_url(self) -> str:
        return normalise_database_url(self.url)


class PrivacySettings(Section):
    pseudonym_salt: str = env("PSEUDONYM_SALT", "i-dee-local")
    # argon2 cost of console passwords: RFC 9106's low-memory profile; the test suite sets
    # PASSWORD_HASH_PROFILE=test_only_cheapest so that hundreds of test officers cost nothing.
    password_hash_profile: Literal["rfc9106_low_memory", "test_only_cheapest"] = env(
        "PASSWORD_HASH_PROFILE", "rfc9106_low_memory"
    )


class RasaSettings(Section):
    url: str = env("RASA_URL", "http://127.0.0.1:5005")  # several servers: comma-separated (rasa_pool.py)
    actions_health_urls: str = env("RASA_ACTIONS_HEALTH_URLS", "")  # per Rasa server, its action server's /health
    timeout_seconds: float = env("RASA_TIMEOUT_SECONDS", 30)
    # Rasa's --auth-token, for its HTTP API (trackers, model swaps); RASA_TOKEN is its older name.
    auth_token: str = env("RASA_AUTH_TOKEN", "", "RASA_TOKEN")
    # Where the Rasa server sees the models folder when its path differs (a container).
    models_dir: str = env("RASA_MODELS_DIR", "")

    @property
    def urls(self) -> list[str]:
        return [u.strip().rstrip("/") for u in self.url.split(",") if u.strip()]


class LineSettings(Section):
    channel_secret: str = env("LINE_CHANNEL_SECRET", "")
    channel_access_token: str = env("LINE_CHANNEL_ACCESS_TOKEN", "")
    api_base_url: str = env("LINE_API_BASE_URL", "https://api.line.me")
    data_api_base_url: str = env("LINE_DATA_API_BASE_URL", "https://api-data.line.me")

    @property
    def simulator_mode(self) -> bool:
        """True when no LINE credentials are configured: run against the fake LINE."""
        return not self.channel_secret and not self.channel_access_token


class WebSettings(Section):
    public_base_url: str = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000")  # where the web app is reached


class DomainSettings(Section):
    path: str = env("DOMAIN_PATH", "bot/domain")  # the Rasa domain: its wording (responses)


class ConsoleSettings(Section):
    secret_key: str = env("CONSOLE_SECRET_KEY", "")  # signs session tokens; random per start when empty (dev)
    session_hours: float = env("CONSOLE_SESSION_HOURS", 10)  # from login, however busy the session
    session_idle_minutes: float = env("CONSOLE_SESSION_IDLE_MINUTES", 30)  # unused this long: log in again
    cookie_secure: bool = env("CONSOLE_COOKIE_SECURE", False)  # set true behind HTTPS
    transcript_timeout_seconds: float = env("TRANSCRIPT_TIMEOUT_SECONDS", 2)
    open311_api_keys: str = env("OPEN311_API_KEYS", "")  # comma-separated keys allowed to POST; empty = none

    def session_secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        logger.warning("CONSOLE_SECRET_KEY is empty: using a random key, console logins end at restart")
        return secrets.token_urlsafe(32)


class SecuritySettings(Section):
    """Limits use the ``limits`` library's notation ("30/minute", "5/second;100/hour")."""

    # "production" (the default: a forgotten setting must not start the simulator against
    # the real database) refuses to start without real secrets (web.security.production);
    # "embedded" (make run, the tests, the simulator: they set it) tolerates random ones.
    environment: Literal["embedded", "production"] = env("IDEE_ENVIRONMENT", "production")
    # Where counters live: memory:// for one process; redis://host:6379/0 when several
    # gateway workers share the limits (required in production).
    rate_limit_storage_url: str = env("RATE_LIMIT_STORAGE_URL", "memory://")
    rate_limit_enabled: bool = env("RATE_LIMIT_ENABLED", True)
    # LINE's servers send every citizen's events from few addresses: generous per IP.
    rate_limit_webhook_per_ip: str = env("RATE_LIMIT_WEBHOOK_PER_IP", "500/second")
    # Events of one LINE user; events over it are stored and processed later (deferred).
    rate_limit_line_user: str = env("RATE_LIMIT_LINE_USER", "60/minute;600/hour")
    rate_limit_simulator_per_ip: str = env("RATE_LIMIT_SIMULATOR_PER_IP", "120/minute")
    rate_limit_login_per_ip: str = env("RATE_LIMIT_LOGIN_PER_IP", "60/minute")  # offices share one NAT address
    rate_limit_login_per_username: str = env("RATE_LIMIT_LOGIN_PER_USERNAME", "10/minute")
    rate_limit_api_per_ip: str = env("RATE_LIMIT_API_PER_IP", "3000/minute")  # a whole office behind one NAT
    max_webhook_body_bytes: int = env("MAX_WEBHOOK_BODY_BYTES", 1_000_000)
    max_request_body_bytes: int = env("MAX_REQUEST_BODY_BYTES", 256_000)
    # The action server accepts only callers that send it (the Rasa servers).
    action_server_token: str = env("ACTION_SERVER_TOKEN", "")


class IntakeSettings(Section):
    """How stored webhook events reach the workers.

    ``INTAKE_BROKER_URL`` empty (the embedded default, ``make run``): the web app answers
    the events itself. An ``amqp://`` URL: the web app only stores and enqueues the event
    ids on RabbitMQ; ``python -m gateway.worker`` processes consume them.
    """

    broker_url: str = env("INTAKE_BROKER_URL", "")
    queue_name: str = env("INTAKE_QUEUE_NAME", "line-intake")
    worker_threads: int = env("INTAKE_WORKER_THREADS", 8)  # events handled at once by one worker process
    lease_seconds: float = env("INTAKE_LEASE_SECONDS", 120)  # a claim older than this is a dead worker's
    sweep_seconds: float = env("INTAKE_SWEEP_SECONDS", 5)  # how often a worker looks for stuck events
    sweep_grace_seconds: float = env("INTAKE_SWEEP_GRACE_SECONDS", 10)  # a due event untouched this long
    max_attempts: int = env("INTAKE_MAX_ATTEMPTS", 200)
    broker_retry_seconds: float = env("INTAKE_BROKER_RETRY_SECONDS", 5)  # after a failed publish, skip the broker

    @property
    def uses_broker(self) -> bool:
        return bool(self.broker_url.strip())


class HandoffSettings(Section):
    """A conversation handed to an officer returns to the bot after this long without officer activity."""

    timeout_minutes: float = env("HANDOFF_TIMEOUT_MINUTES", 30)
    sweep_seconds: float = env("HANDOFF_SWEEP_SECONDS", 30)


class ClarifySettings(Section):
    """``threshold``: a complaint intent below it is asked about, not guessed;
    ``review_threshold``: a complaint started below it is still queued for trainers;
    ``max_choices``: how many categories the question offers (plus "อื่น ๆ")."""

    threshold: float = env("CLARIFY_THRESHOLD", 0.6)
    review_threshold: float = env("CLARIFY_REVIEW_THRESHOLD", 0.8)
    max_choices: int = env("CLARIFY_MAX_CHOICES", 3)


class TrainerSettings(Section):
    """``heldout``: the held-out NLU file whose texts are never exported into the training
    data. A setting, not a path in the code: the file belongs to the evaluation
    (tests/nlu/heldout.yml in a checkout, where the Makefile points at it). ``report``: the
    evaluation report the console shows; ``data_dir``: the training data the export writes into."""

    heldout: Path | None = env("TRAINER_HELDOUT", None)
    report: Path = env("TRAINER_REPORT", ROOT / "benchmarks" / "nlu.md")
    data_dir: Path = env("TRAINER_DATA_DIR", ROOT / "data")


class RetentionSettings(Section):
    raw_events_days: int = env("RETENTION_RAW_EVENTS_DAYS", 30)
    unlinked_photos_days: int = env("RETENTION_UNLINKED_PHOTOS_DAYS", 7)
    closed_case_days: int = env("RETENTION_CLOSED_CASE_DAYS", 365)
    tracker_days: int = env("RETENTION_TRACKER_DAYS", 90)
    tracker_db_url: str = env("RETENTION_TRACKER_DB_URL", "")  # Rasa's SQL tracker store; empty: not touched


class DevStackSettings(Section):
    """The development stacks (``make run``, the scale-out topology of the fault tests)."""

    rasa_port: int = env("RASA_PORT", 5005)
    actions_port: int = env("ACTIONS_PORT", 5055)
    web_port: int = env("WEB_PORT", 8000)
    model: Path = env("MODEL", ROOT / "models" / "idee.tar.gz")
    scaled_broker_url: str = env("SCALED_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
    scaled_redis: str = env("SCALED_REDIS", "127.0.0.1:6379")


SECTIONS: dict[str, type[Section]] = {
    "database": DatabaseSettings,
    "privacy": PrivacySettings,
    "rasa": RasaSettings,
    "line": LineSettings,
    "web": WebSettings,
    "domain": DomainSettings,
    "console": ConsoleSettings,
    "security": SecuritySettings,
    "intake": IntakeSettings,
    "handoff": HandoffSettings,
    "clarify": ClarifySettings,
    "trainer": TrainerSettings,
    "retention": RetentionSettings,
    "dev": DevStackSettings,
}


class Settings(BaseModel):
    """All sections; ``Settings()`` reads each from the environment and ``.env``."""

    model_config = {"frozen": True}

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    rasa: RasaSettings = Field(default_factory=RasaSettings)
    line: LineSettings = Field(default_factory=LineSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    domain: DomainSettings = Field(default_factory=DomainSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    intake: IntakeSettings = Field(default_factory=IntakeSettings)
    handoff: HandoffSettings = Field(default_factory=HandoffSettings)
    clarify: ClarifySettings = Field(default_factory=ClarifySettings)
    trainer: TrainerSettings = Field(default_factory=TrainerSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    dev: DevStackSettings = Field(default_factory=DevStackSettings)

    @classmethod
    def with_variables(cls, **variables: Any) -> Settings:
        """The settings as if ``variables`` (by their environment names: ``RASA_URL=...``) were
        set; the others come from the environment. Unknown names are an error."""
        unknown = set(variables) - environment_variables()
        if unknown:
            raise ValueError(f"not a setting: {sorted(unknown)}")
        sections = {}
        for name, section in SECTIONS.items():
            own = {key: value for key, value in variables.items() if key in variable_names(section)}
            sections[name] = section(**own)
        return cls(**sections)

    def replacing(self, **variables: Any) -> Settings:
        """A copy with ``variables`` (by their environment names) changed; the rest as here."""
        unknown = set(variables) - environment_variables()
        if unknown:
            raise ValueError(f"not a setting: {sorted(unknown)}")
        updates = {}
        for name, section in SECTIONS.items():
            names = _aliases(section)
            changed = {field for field, aliases in names.items() if set(aliases) & set(variables)}
            if changed:
                current = getattr(self, name)
                values = {names[field][0]: getattr(current, field) for field in names if field not in changed}
                values.update({alias: value for alias, value in variables.items() if alias in variable_names(section)})
                updates[name] = section.model_validate(values)
        return self.model_copy(update=updates)


def _aliases(section: type[Section]) -> dict[str, tuple[str, ...]]:
    found = {}
    for field, info in section.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            found[field] = tuple(str(choice) for choice in alias.choices)
        elif isinstance(alias, str):
            found[field] = (alias,)
    return found


def variable_names(section: type[Section]) -> set[str]:
    """The environment variables a section reads."""
    return {alias for aliases in _aliases(section).values() for alias in aliases}


def environment_variables() -> set[str]:
    """Every environment variable i-Dee reads (deploy files may set only these)."""
    return {name for section in SECTIONS.values() for name in variable_names(section)}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once (``get_settings.cache_clear()`` reads them again)."""
    return Settings()


__all__ = [
    "ClarifySettings",
    "ConsoleSettings",
    "DatabaseSettings",
    "DevStackSettings",
    "DomainSettings",
    "HandoffSettings",
    "IntakeSettings",
    "LineSettings",
    "PrivacySettings",
    "RasaSettings",
    "RetentionSettings",
    "SecuritySettings",
    "Settings",
    "TrainerSettings",
    "WebSettings",
    "environment_variables",
    "get_settings",
    "normalise_database_url",
]
