"""Durable intake: webhook events are stored before LINE gets its 200, then a worker
processes them, oldest first per user, each exactly once, retrying while Rasa is down."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from datetime import timedelta
from typing import Any, Protocol

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
    user_key_of,
    utcnow,
)
from cases.privacy import pseudonym
from gateway.rasa_replay import answered_in_tracker
from gateway.service import LineGateway
from gateway.turns import TurnKind, turn_for_event

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


class EventProcessor:
    """Claims stored events and answers them through the gateway; shared by the in-process
    worker (embedded default) and the broker workers (worker.py)."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        gateway: LineGateway,
        max_attempts: int = 200,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self._sessions = sessions
        self._gateway = gateway
        self._max_attempts = max_attempts
        self._lease = lease

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    async def claim(self, *, limit: int, user_key: str | None = None) -> list[ClaimedEvent]:
        def run() -> list[ClaimedEvent]:
            with self._sessions.begin() as session:
                return claim_next_events(session, limit=limit, lease=self._lease, user_key=user_key)

        return await asyncio.to_thread(run)

    async def drain_user_of(self, event_id: int) -> timedelta | None:
        """Answer the pending events of the citizen who sent ``event_id``, oldest first.

        Returns the delay after which to come back when an event had to be put back
        (Rasa down), else None. When another worker holds the citizen's current event,
        nothing is claimed here: that worker goes on with the citizen's next events.
        """

        def owner_and_first_claim() -> tuple[str | None, list[ClaimedEvent]]:
            # One transaction (one pool checkout, one round of commit) for both: the worker
            # pays this per message.
            with self._sessions.begin() as session:
                user_key = user_key_of(session, event_id=event_id)
                if user_key is None:
                    return None, []
                return user_key, claim_next_events(session, limit=1, lease=self._lease, user_key=user_key)

        user_key, claimed = await asyncio.to_thread(owner_and_first_claim)
        if user_key is None:
            return None
        while True:
            if not claimed:
                return None
            delay = await self.handle(claimed[0])
            if delay is not None:
                return delay
            claimed = await self.claim(limit=1, user_key=user_key)

    async def handle(self, claimed: ClaimedEvent) -> timedelta | None:
        """Answer one claimed event; None when it is finished, else the retry delay."""
        try:
            turn = turn_for_event(Event.from_dict(json.loads(claimed.body)))
        except Exception as exc:  # noqa: BLE001 - an event we cannot read is recorded, not retried
            await self._finish(mark_failed, claimed, error=f"unreadable event: {exc!r}")
            return None
        if turn is None:
            await self._finish(mark_done, claimed)
            return None
        if claimed.busy_notified or utcnow() - claimed.received_at > REPLY_TOKEN_MAX_AGE:
            turn = dataclasses.replace(turn, reply_token=None)  # used or expired: push
        if claimed.attempts > 1 and await self._replayed(turn, claimed):
            await self._finish(mark_done, claimed)
            return None
        try:
            finished = await self._gateway.process(turn, busy_notified=claimed.busy_notified)
        except Exception as exc:  # a bug must not lose the event
            logger.exception("intake: event %s failed (attempt %d)", claimed.id, claimed.attempts)
            finished, error = False, repr(exc)
        else:
            error = "rasa unavailable"
        if finished:
            await self._finish(mark_done, claimed)
            return None
        if claimed.attempts >= self._max_attempts:
            await self._finish(mark_failed, claimed, error=error)
            return None
        delay = retry_delay(claimed.attempts)
        await self._finish(
            mark_retry,
            claimed,
            delay=delay,
            error=error,
            busy_notified=claimed.busy_notified or error == "rasa unavailable",
        )
        return delay

    async def _replayed(self, turn, claimed: ClaimedEvent) -> bool:
        """On a retry: if Rasa already handled this text (rasa_replay.py), deliver the answer
        it gave from the tracker instead of sending the text to Rasa a second time."""
        tracker_events = getattr(self._gateway.rasa, "tracker_events", None)
        if turn.kind is not TurnKind.TO_RASA or tracker_events is None:
            return False
        try:
            events = await tracker_events(turn.user_id)
        except Exception:  # cannot tell: fall back to sending
            logger.warning("intake: tracker of event %s unreadable", claimed.id, exc_info=True)
            return False
        answer = answered_in_tracker(events or [], text=turn.text, received_at=claimed.received_at)
        if answer is None:
            return False
        logger.info("intake: event %s was already handled by Rasa; delivering its answer", claimed.id)
        messages = self._gateway.line_messages(turn, answer)
        if messages:
            await self._gateway._deliver(turn, messages)
        return True

    async def _finish(self, operation, claimed: ClaimedEvent, **kwargs) -> None:
        def run() -> None:
            with self._sessions.begin() as session:
                if not operation(session, event_id=claimed.id, attempt=claimed.attempts, **kwargs):
                    logger.warning("intake: event %s was handed to another worker meanwhile", claimed.id)

        # The citizen has been answered: keep trying to record it for as long as the lease
        # lasts (a database outage), since an event whose lease runs out is answered again.
        deadline = asyncio.get_running_loop().time() + max(10.0, self._lease.total_seconds() - 5)
        attempt = 0
        while True:
            attempt += 1
            try:
                await asyncio.to_thread(run)
                return
            except Exception:  # the database is down or blinked
                if asyncio.get_running_loop().time() > deadline:
                    logger.exception("intake: gave up recording the outcome of event %s", claimed.id)
                    return
                logger.warning("intake: could not record the outcome (attempt %d); retrying", attempt)
                await asyncio.sleep(min(2.0, 0.25 * attempt))


class IntakeWorker:
    """Stores events (``accept``) and gets them answered.

    Without a ``publisher`` (embedded default) it processes them itself in the background
    (``start``). With one (production), it enqueues each new event's id on the broker
    after the commit, and separate worker processes (worker.py) answer them.
    """

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        gateway: LineGateway,
        poll_interval: float = 1.0,
        max_attempts: int = 200,
        batch_size: int = 16,
        lease: timedelta = timedelta(minutes=2),
        publisher: EventPublisher | None = None,
    ) -> None:
        self._sessions = sessions
        self._processor = EventProcessor(sessions=sessions, gateway=gateway, max_attempts=max_attempts, lease=lease)
        self._publisher = publisher
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._publishing: set[asyncio.Task[bool]] = set()

    async def accept(self, raw_body: bytes) -> int:
        """Persist a verified webhook body's events; returns how many were new."""
        events = incoming_events(raw_body)
        new_ids = await asyncio.to_thread(self._store, events)
        if self._publisher is not None:
            if new_ids:  # after the commit, and not on the ack's path: the sweeper covers a failure
                task = asyncio.create_task(asyncio.to_thread(self._publisher.publish, new_ids))
                self._publishing.add(task)
                task.add_done_callback(self._publishing.discard)
        else:
            self._wake.set()
        return len(new_ids)

    def _store(self, events: list[IncomingEvent]) -> list[int]:
        with self._sessions.begin() as session:
            return store_events(session, events=events, return_ids=True)

    def start(self) -> None:
        if self._publisher is None:
            self._task = asyncio.create_task(self._run(), name="line-intake-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._publisher is not None:
            if self._publishing:
                await asyncio.wait(self._publishing, timeout=5)
            await asyncio.to_thread(self._publisher.close)

    async def _run(self) -> None:
        while True:
            try:
                claimed = await self._processor.claim(limit=self._batch_size)
            except Exception:  # the database is down: keep trying, never die
                logger.exception("intake: cannot claim events; retrying")
                claimed = []
            if claimed:
                await asyncio.gather(*(self._processor.handle(event) for event in claimed))
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
            except asyncio.TimeoutError:
                pass


class EventPublisher(Protocol):
    """Hands stored event ids to the worker processes (broker.py's IntakeQueue)."""

    def publish(self, event_ids: list[int], *, delay: timedelta | None = None) -> bool: ...

    def close(self) -> None: ...
