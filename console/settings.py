"""Console configuration, read from the environment."""

import logging
import secrets

from pydantic_settings import BaseSettings, SettingsConfigDict

from cases.settings import DEFAULT_DATABASE_URL, normalise_database_url

logger = logging.getLogger(__name__)


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    DATABASE_URL: str = DEFAULT_DATABASE_URL
    CONSOLE_SECRET_KEY: str = ""  # signs session tokens; random per start when empty (dev)
    CONSOLE_SESSION_HOURS: float = 10  # from login, however busy the session
    CONSOLE_SESSION_IDLE_MINUTES: float = 30  # a session unused this long must log in again
    CONSOLE_COOKIE_SECURE: bool = False  # set true behind HTTPS
    RASA_URL: str = "http://127.0.0.1:5005"
    TRANSCRIPT_TIMEOUT_SECONDS: float = 2
    RASA_AUTH_TOKEN: str = ""  # Rasa's --auth-token, sent when reading a tracker
    DOMAIN_PATH: str = "bot/domain"
    OPEN311_API_KEYS: str = ""  # comma-separated keys allowed to POST requests; empty = no filing

    @property
    def sqlalchemy_url(self) -> str:
        return normalise_database_url(self.DATABASE_URL)

    def secret_key(self) -> str:
        if self.CONSOLE_SECRET_KEY:
            return self.CONSOLE_SECRET_KEY
        logger.warning("CONSOLE_SECRET_KEY is empty: using a random key, console logins end at restart")
        return secrets.token_urlsafe(32)
