"""Durable intake: webhook events are stored before LINE gets its 200, then a worker
processes them, oldest first per user, each exactly once, retrying while Rasa is down."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import timedelta
from typing import Any

from linebot.v3.webhooks import Event
from sqlalchemy.orm import Session, sessionmaker

from cases.inbound import (
    ClaimedEvent,
    IncomingEvent,
    claim_next_events,
    mark_done,
    mark_failed,
    mark_retry,
    store_events,
    utcnow,
)
from cases.privacy import pseudonym
from integrations.line_gateway.service import LineGateway
from integrations.line_gateway.turns import turn_for_event

logger = logging.getLogger(__name__)

# LINE reply tokens expire about a minute after the event; past this age we push instead.
REPLY_TOKEN_MAX_AGE = timedelta(seconds=50)
MAX_RETRY_DELAY_SECONDS = 30.0


def incoming_events(raw_body: bytes) -> list[IncomingEvent]:
    """The events of a verified webhook body, keyed by LINE's webhookEventId."""
    events: list[dict[str, Any]] = json.loads(raw_body).get("events", [])
    stored = []
    for event in events:
        event_id = event.get("webhookEventId")
        if not event_id:
            continue
        source = event.get("source") or {}
        user = source.get("userId") or source.get("groupId") or source.get("roomId") or "-"
        stored.append(
            IncomingEvent(
                webhook_event_id=str(event_id)[:64],
                user_key=pseudonym(user),  # ordering key only; the body keeps the id
                body=json.dumps(event, ensure_ascii=False),
            )
        )
    return stored


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_RETRY_DELAY_SECONDS, 0.5 * 2 ** max(0, attempts - 1)))


class IntakeWorker:
    """Stores events (``accept``) and processes them in the background (``run``)."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        gateway: LineGateway,
        poll_interval: float = 1.0,
        max_attempts: int = 200,
        batch_size: int = 16,
    ) -> None:
        self._sessions = sessions
        self._gateway = gateway
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def accept(self, raw_body: bytes) -> int:
        """Persist a verified webhook body's events; returns how many were new."""
        events = incoming_events(raw_body)
        new = await asyncio.to_thread(self._store, events)
        self._wake.set()
        return new

    def _store(self, events: list[IncomingEvent]) -> int:
        with self._sessions.begin() as session:
            return store_events(session, events=events)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="line-intake-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while True:
            try:
                claimed = await asyncio.to_thread(self._claim)
            except Exception:  # the database is down: keep trying, never die
                logger.exception("intake: cannot claim events; retrying")
                claimed = []
            if claimed:
                await asyncio.gather(*(self._process(event) for event in claimed))
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
            except asyncio.TimeoutError:
                pass

    def _claim(self) -> list[ClaimedEvent]:
        with self._sessions.begin() as session:
            return claim_next_events(session, limit=self._batch_size)

    async def _process(self, claimed: ClaimedEvent) -> None:
        try:
            turn = turn_for_event(Event.from_dict(json.loads(claimed.body)))
        except Exception as exc:  # noqa: BLE001 - an event we cannot read is recorded, not retried
            await self._finish(mark_failed, event_id=claimed.id, error=f"unreadable event: {exc!r}")
            return
        if turn is None:
            await self._finish(mark_done, event_id=claimed.id)
            return
        if claimed.busy_notified or utcnow() - claimed.received_at > REPLY_TOKEN_MAX_AGE:
            turn = dataclasses.replace(turn, reply_token=None)  # used or expired: push
        try:
            finished = await self._gateway.process(turn, busy_notified=claimed.busy_notified)
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the event
            logger.exception("intake: event %s failed (attempt %d)", claimed.id, claimed.attempts)
            finished, error = False, repr(exc)
        else:
            error = "rasa unavailable"
        if finished:
            await self._finish(mark_done, event_id=claimed.id)
        elif claimed.attempts >= self._max_attempts:
            await self._finish(mark_failed, event_id=claimed.id, error=error)
        else:
            await self._finish(
                mark_retry,
                event_id=claimed.id,
                delay=retry_delay(claimed.attempts),
                error=error,
                busy_notified=claimed.busy_notified or error == "rasa unavailable",
            )

    async def _finish(self, operation, **kwargs) -> None:  # type: ignore[no-untyped-def]
        def run() -> None:
            with self._sessions.begin() as session:
                operation(session, **kwargs)

        for attempt in range(5):
            try:
                await asyncio.to_thread(run)
                return
            except Exception:  # the database blinked: the lease will hand the event out again
                logger.exception("intake: could not record the outcome (attempt %d)", attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))
