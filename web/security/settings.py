"""Security settings (environment variables, pydantic-settings).

Limits use the ``limits`` library's notation ("30/minute", "5/second;100/hour").
"""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class SecuritySettings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    # "production" (the default: a forgotten setting must not start the simulator against
    # the real database) refuses to start without real secrets (web.security.production);
    # "embedded" (make run, the tests, the simulator: they set it) tolerates random ones.
    IDEE_ENVIRONMENT: Literal["embedded", "production"] = "production"

    # Where counters live: memory:// for one process; redis://host:6379/0 when several
    # gateway workers share the limits (required in production).
    RATE_LIMIT_STORAGE_URL: str = "memory://"
    RATE_LIMIT_ENABLED: bool = True
    # LINE's servers send every citizen's events from few addresses: generous per IP.
    RATE_LIMIT_WEBHOOK_PER_IP: str = "500/second"
    # Events of one LINE user; events over it are stored and processed later (deferred).
    RATE_LIMIT_LINE_USER: str = "60/minute;600/hour"
    RATE_LIMIT_SIMULATOR_PER_IP: str = "120/minute"
    RATE_LIMIT_LOGIN_PER_IP: str = "60/minute"  # offices share one NAT address
    RATE_LIMIT_LOGIN_PER_USERNAME: str = "10/minute"
    RATE_LIMIT_API_PER_IP: str = "3000/minute"  # a whole office behind one NAT address

    MAX_WEBHOOK_BODY_BYTES: int = 1_000_000
    MAX_REQUEST_BODY_BYTES: int = 256_000
