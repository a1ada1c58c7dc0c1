"""A gateway worker process: ``python -m gateway.worker``.

Consumes the event ids the web app enqueues on RabbitMQ (``INTAKE_BROKER_URL``), claims
each citizen's oldest stored event through cases/inbound.py and answers it (Rasa, then
reply or push on LINE). Run as many as you like, on as many machines: a citizen's events
are still answered one at a time, in order (row locks in the database). A sweeper in every
worker re-enqueues events that are due but were never (or no longer) on the queue: the
broker was down at the webhook, a retry's delayed message was lost, a worker died holding
an event. Stops cleanly on SIGTERM / SIGINT.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from datetime import timedelta

from dramatiq import Worker

from cases.db import make_engine, make_session_factory
from cases.inbound import stalled_events
from cases.settings import DEFAULT_DATABASE_URL, normalise_database_url
from gateway.broker import IntakeQueue
from gateway.evidence import attach_evidence
from gateway.handoff_gate import attach_handoff_gate
from gateway.intake import EventProcessor
from gateway.intake_settings import IntakeSettings
from gateway.line_client import LineClient
from gateway.rasa_pool import RasaPool
from gateway.responses import load_fallback_texts
from gateway.service import LineGateway
from gateway.settings import GatewaySettings
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger("gateway.worker")


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    DATABASE_URL: str = DEFAULT_DATABASE_URL


def build_gateway(settings: GatewaySettings) -> LineGateway:
    if settings.simulator_mode:
        raise SystemExit("a worker needs LINE_CHANNEL_ACCESS_TOKEN (and LINE_API_BASE_URL for a fake LINE)")
    return LineGateway(
        rasa=RasaPool.from_settings(
            settings.RASA_URL,
            settings.RASA_TIMEOUT_SECONDS,
            settings.RASA_ACTIONS_HEALTH_URLS,
            settings.RASA_AUTH_TOKEN,
        ),
        line=LineClient(access_token=settings.LINE_CHANNEL_ACCESS_TOKEN, api_base_url=settings.LINE_API_BASE_URL),
        texts=load_fallback_texts(settings.DOMAIN_PATH),
    )


class GatewayWorker:
    """The event loop (gateway I/O) in one thread, dramatiq's consumer threads feeding it."""

    def __init__(self, intake: IntakeSettings, gateway_settings: GatewaySettings, database_url: str) -> None:
        self.settings = intake
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, name="gateway-loop", daemon=True)
        self._gateway_settings = gateway_settings
        self._sessions = make_session_factory(make_engine(normalise_database_url(database_url)))
        self.queue = IntakeQueue(
            intake.INTAKE_BROKER_URL,
            queue_name=intake.INTAKE_QUEUE_NAME,
            handler=self.handle_event,
            retry_after=intake.INTAKE_BROKER_RETRY_SECONDS,
        )
        self.processor: EventProcessor | None = None
        self._stopping = threading.Event()
        self._worker: Worker | None = None

    def handle_event(self, event_id: int) -> None:
        """A dramatiq job: answer the citizen's pending events; schedule a retry if needed."""
        assert self.processor is not None
        future = asyncio.run_coroutine_threadsafe(self.processor.drain_user_of(event_id), self.loop)
        delay = future.result()
        if delay is not None:
            self.queue.publish([event_id], delay=delay)

    def sweep_once(self) -> int:
        lease = timedelta(seconds=self.settings.INTAKE_LEASE_SECONDS)
        grace = timedelta(seconds=self.settings.INTAKE_SWEEP_GRACE_SECONDS)
        with self._sessions() as session:
            ids = stalled_events(session, grace=grace, lease=lease)
        if ids and self.queue.publish(ids):
            logger.info("sweeper: re-enqueued %d stalled events", len(ids))
        return len(ids)

    def _sweep_forever(self) -> None:
        while not self._stopping.wait(self.settings.INTAKE_SWEEP_SECONDS):
            try:
                self.sweep_once()
            except Exception:  # database or broker down: try again next round
                logger.warning("sweeper: round failed", exc_info=True)

    def start(self) -> None:
        self._loop_thread.start()
        gateway = asyncio.run_coroutine_threadsafe(self._build(), self.loop).result()
        self.processor = EventProcessor(
            sessions=self._sessions,
            gateway=gateway,
            max_attempts=self.settings.INTAKE_MAX_ATTEMPTS,
            lease=timedelta(seconds=self.settings.INTAKE_LEASE_SECONDS),
        )
        self._gateway = gateway
        self._worker = Worker(
            self.queue.broker, queues={self.queue.queue_name}, worker_threads=self.settings.INTAKE_WORKER_THREADS
        )
        self._worker.start()
        threading.Thread(target=self._sweep_forever, name="intake-sweeper", daemon=True).start()
        logger.info(
            "gateway worker started: queue %s, %d threads", self.queue.queue_name, self.settings.INTAKE_WORKER_THREADS
        )

    async def _build(self) -> LineGateway:
        """The same gateway as the web app's: photos become evidence, open handoffs bypass Rasa."""
        settings = self._gateway_settings
        gateway = build_gateway(settings)
        self._evidence = attach_evidence(
            gateway,
            sessions=self._sessions,
            access_token=settings.LINE_CHANNEL_ACCESS_TOKEN,
            data_api_base_url=settings.LINE_DATA_API_BASE_URL,
            domain_path=settings.DOMAIN_PATH,
        )
        self._handoff_sweeper = attach_handoff_gate(gateway, sessions=self._sessions, domain_path=settings.DOMAIN_PATH)
        return gateway

    def stop(self) -> None:
        self._stopping.set()
        if self._worker is not None:
            self._worker.stop(timeout=10_000)
        self.loop.call_soon_threadsafe(self._handoff_sweeper.cancel)
        asyncio.run_coroutine_threadsafe(self._evidence.close(), self.loop).result(10)
        asyncio.run_coroutine_threadsafe(self._gateway.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.queue.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pika").setLevel(logging.WARNING)
    from cases.log_masking import install_log_masking

    install_log_masking()  # personal data never in the worker's log lines
    intake = IntakeSettings()
    if not intake.uses_broker:
        raise SystemExit("INTAKE_BROKER_URL is empty: the web app answers events itself (embedded mode)")
    worker = GatewayWorker(intake, GatewaySettings(), DatabaseSettings().DATABASE_URL)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    stop.wait()
    logger.info("gateway worker stopping")
    worker.stop()


if __name__ == "__main__":
    main()
