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
from cases.domain_texts import Wording
from cases.inbound import stalled_events
from gateway.broker import IntakeQueue
from gateway.evidence import attach_evidence
from gateway.handoff_gate import attach_handoff_gate
from gateway.intake import EventProcessor
from gateway.line_client import LineClient
from gateway.rasa_pool import RasaPool
from gateway.responses import load_fallback_texts
from gateway.service import LineGateway
from settings import Settings, get_settings

logger = logging.getLogger("gateway.worker")


def build_gateway(settings: Settings, wording: Wording) -> LineGateway:
    if settings.line.simulator_mode:
        raise SystemExit("a worker needs LINE_CHANNEL_ACCESS_TOKEN (and LINE_API_BASE_URL for a fake LINE)")
    return LineGateway(
        rasa=RasaPool.from_settings(
            settings.rasa.url,
            settings.rasa.timeout_seconds,
            settings.rasa.actions_health_urls,
            settings.rasa.auth_token,
        ),
        line=LineClient(access_token=settings.line.channel_access_token, api_base_url=settings.line.api_base_url),
        texts=load_fallback_texts(wording),
    )


class GatewayWorker:
    """The event loop (gateway I/O) in one thread, dramatiq's consumer threads feeding it."""

    def __init__(self, settings: Settings) -> None:
        intake = settings.intake
        self.settings = intake
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, name="gateway-loop", daemon=True)
        self._gateway_settings = settings
        self._sessions = make_session_factory(make_engine(settings.database.sqlalchemy_url))
        self.queue = IntakeQueue(
            intake.broker_url,
            queue_name=intake.queue_name,
            handler=self.handle_event,
            retry_after=intake.broker_retry_seconds,
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
        lease = timedelta(seconds=self.settings.lease_seconds)
        grace = timedelta(seconds=self.settings.sweep_grace_seconds)
        with self._sessions() as session:
            ids = stalled_events(session, grace=grace, lease=lease)
        if ids and self.queue.publish(ids):
            logger.info("sweeper: re-enqueued %d stalled events", len(ids))
        return len(ids)

    def _sweep_forever(self) -> None:
        while not self._stopping.wait(self.settings.sweep_seconds):
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
            max_attempts=self.settings.max_attempts,
            lease=timedelta(seconds=self.settings.lease_seconds),
        )
        self._gateway = gateway
        self._worker = Worker(
            self.queue.broker, queues={self.queue.queue_name}, worker_threads=self.settings.worker_threads
        )
        self._worker.start()
        threading.Thread(target=self._sweep_forever, name="intake-sweeper", daemon=True).start()
        logger.info("gateway worker started: queue %s, %d threads", self.queue.queue_name, self.settings.worker_threads)

    async def _build(self) -> LineGateway:
        """The same gateway as the web app's: photos become evidence, open handoffs bypass Rasa."""
        settings = self._gateway_settings
        wording = Wording.load(settings.domain.path)  # read once; a missing text stops the start
        gateway = build_gateway(settings, wording)
        self._evidence = attach_evidence(
            gateway,
            sessions=self._sessions,
            access_token=settings.line.channel_access_token,
            data_api_base_url=settings.line.data_api_base_url,
            domain=wording,
            salt=settings.privacy.pseudonym_salt,
        )
        self._handoff_sweeper = attach_handoff_gate(
            gateway, sessions=self._sessions, wording=wording, settings=settings.handoff
        )
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
    settings = get_settings()
    if not settings.intake.uses_broker:
        raise SystemExit("INTAKE_BROKER_URL is empty: the web app answers events itself (embedded mode)")
    worker = GatewayWorker(settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    stop.wait()
    logger.info("gateway worker stopping")
    worker.stop()


if __name__ == "__main__":
    main()
