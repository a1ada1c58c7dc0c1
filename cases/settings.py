"""Case-database configuration, read from the environment."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/idee.db"


class CaseSettings(BaseSettings):
    """Settings of the case database.

    ``DATABASE_URL`` is any SQLAlchemy URL; ``postgresql://`` URLs use psycopg 3.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    pseudonym_salt: str = "i-dee-local"
    # argon2 cost of console passwords: RFC 9106's low-memory profile; the test suite sets
    # PASSWORD_HASH_PROFILE=test_only_cheapest so that hundreds of test officers cost nothing.
    password_hash_profile: Literal["rfc9106_low_memory", "test_only_cheapest"] = "rfc9106_low_memory"

    @property
    def sqlalchemy_url(self) -> str:
        return normalise_database_url(self.database_url)


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
