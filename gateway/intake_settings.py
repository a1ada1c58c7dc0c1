"""Settings of the durable intake (environment variables, pydantic-settings)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
    """How stored webhook events reach the workers.

    ``INTAKE_BROKER_URL`` empty (the embedded default, ``make run``): the web app answers
    the events itself. An ``amqp://`` URL: the web app only stores and enqueues the event
    ids on RabbitMQ; ``python -m gateway.worker`` processes consume them.
    """

    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    INTAKE_BROKER_URL: str = ""
    INTAKE_QUEUE_NAME: str = "line-intake"
    INTAKE_WORKER_THREADS: int = 8  # events handled at the same time by one worker process
    INTAKE_LEASE_SECONDS: float = 120  # a claim older than this is taken to be a dead worker's
    INTAKE_SWEEP_SECONDS: float = 5  # how often a worker looks for stuck events
    INTAKE_SWEEP_GRACE_SECONDS: float = 10  # a due event untouched this long is re-enqueued
    INTAKE_MAX_ATTEMPTS: int = 200
    INTAKE_BROKER_RETRY_SECONDS: float = 5  # after a failed publish, skip the broker this long

    @property
    def uses_broker(self) -> bool:
        return bool(self.INTAKE_BROKER_URL.strip())
