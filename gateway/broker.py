"""The intake job queue on RabbitMQ, with dramatiq.

Why dramatiq + RabbitMQ: dramatiq is a maintained, small (one dependency: pika) job
library whose RabbitMQ broker uses durable queues, persistent messages, acknowledgement
after the job ran (a killed worker's message is delivered again) and delayed messages
(our retries while Rasa is down). RabbitMQ is on this machine and in the compose file.

The database stays the source of truth (outbox): a message only carries an event id,
and the worker claims the event row (cases/inbound.py) before doing anything. Lost,
duplicated or late messages are therefore harmless; the sweeper in worker.py re-sends
the ids of events that no message brought.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from collections.abc import Callable
from datetime import timedelta

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker

logger = logging.getLogger(__name__)

ACTOR_NAME = "line_intake_event"


def broker_url(url: str) -> str:
    """Fail fast when the broker is unreachable (the sweeper catches up later)."""
    extra = "connection_attempts=1&socket_timeout=3&blocked_connection_timeout=5&heartbeat=30"
    return url + ("&" if "?" in url else "?") + extra


class IntakeQueue:
    """Publishes event ids (web app, workers) and, given a ``handler``, consumes them (worker)."""

    def __init__(
        self,
        url: str,
        *,
        queue_name: str = "line-intake",
        handler: Callable[[int], None] | None = None,
        retry_after: float = 5.0,
        time_limit: timedelta = timedelta(minutes=5),
    ) -> None:
        self.queue_name = queue_name
        self.broker = RabbitmqBroker(url=broker_url(url), confirm_delivery=True)
        self._handler = handler
        self._retry_after = retry_after
        self._down_until = 0.0
        self._lock = threading.Lock()

        def handle_event(event_id: int) -> None:
            if self._handler is None:
                raise RuntimeError("this IntakeQueue only publishes")
            self._handler(int(event_id))

        self.actor = dramatiq.Actor(
            handle_event,
            broker=self.broker,
            actor_name=ACTOR_NAME,
            queue_name=queue_name,
            priority=0,
            # The database keeps the event; a failed job is re-sent by the sweeper.
            options={"max_retries": 0, "time_limit": int(time_limit.total_seconds() * 1000)},
        )

    def publish(self, event_ids: list[int], *, delay: timedelta | None = None) -> bool:
        """Enqueue the ids; False (logged) when the broker is down: the events stay stored
        and the sweeper enqueues them later, so the webhook still answers 200."""
        if time.monotonic() < self._down_until:
            return False
        options: dict[str, Any] = {"delay": int(delay.total_seconds() * 1000)} if delay else {}
        try:
            for event_id in event_ids:
                self.actor.send_with_options(args=(event_id,), **options)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the sweeper catches up
            with self._lock:
                self._down_until = time.monotonic() + self._retry_after
            logger.warning("intake broker unavailable (%s); events wait for the sweeper", type(exc).__name__)
            return False
        return True

    def close(self) -> None:
        try:
            self.broker.close()
        except Exception:  # closing a dead connection
            logger.debug("closing the broker failed", exc_info=True)
