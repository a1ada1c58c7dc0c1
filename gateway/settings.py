"""Gateway configuration, read from the environment."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    """Settings of the LINE gateway; every field comes from an environment variable."""

    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    LINE_CHANNEL_SECRET: str = ""
    LINE_CHANNEL_ACCESS_TOKEN: str = ""
    LINE_API_BASE_URL: str = "https://api.line.me"
    LINE_DATA_API_BASE_URL: str = "https://api-data.line.me"
    RASA_URL: str = "http://127.0.0.1:5005"  # several servers: comma-separated (rasa_pool.py)
    RASA_ACTIONS_HEALTH_URLS: str = ""  # per Rasa server, its action server's /health (optional)
    RASA_TIMEOUT_SECONDS: float = 30
    RASA_AUTH_TOKEN: str = ""  # Rasa's --auth-token, for its HTTP API (trackers)
    DOMAIN_PATH: str = "bot/domain"
    PUBLIC_BASE_URL: str = "http://127.0.0.1:8000"

    @property
    def simulator_mode(self) -> bool:
        """True when no LINE credentials are configured: run against the fake LINE."""
        return not self.LINE_CHANNEL_SECRET and not self.LINE_CHANNEL_ACCESS_TOKEN
