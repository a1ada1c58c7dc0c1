"""Per-citizen limits on LINE events: nothing is dropped, over-limit events wait.

LINE's servers deliver every citizen's events from a few addresses, so the webhook's
per-IP limit is generous and the real limit is per LINE user. A signed batch is always
stored and acknowledged (never a 429 to LINE for it); the events of a user over the
limit are stored with a later ``next_attempt_at`` (deferred until the limit's window
has room again), which also holds back that user's later events (per-user order). The
user gets one polite notice (``utter_rate_limited``) per notice window.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from linebot.v3.webhooks import Event
from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from cases.inbound import PENDING, InboundEvent
from cases.privacy import pseudonym
from cases.domain_texts import Wording, wording_of
from gateway.outgoing import text_messages
from web.security.rate_limits import LINE_USER, LINE_USER_NOTICE, RateLimits

logger = logging.getLogger(__name__)

RATE_LIMITED_KEY = "utter_rate_limited"


@dataclass(frozen=True)
class Deferral:
    webhook_event_id: str
    user_id: str
    seconds: int


def rate_limited_text(domain: Wording | str | Path) -> str | None:
    """The notice from the domain; None (no notice, still deferred) when it has none."""
    return wording_of(domain).text(RATE_LIMITED_KEY, required=False)


async def over_limit(limits: RateLimits, events: list[Event]) -> list[Deferral]:
    """Count each event against its user's limit; the ones over it, with how long to wait."""
    deferrals = []
    for event in events:
        user_id = getattr(getattr(event, "source", None), "user_id", None)
        event_id = getattr(event, "webhook_event_id", None)
        if not user_id or not event_id:
            continue
        verdict = await limits.check(LINE_USER, pseudonym(user_id))
        if not verdict.allowed:
            deferrals.append(Deferral(str(event_id)[:64], user_id, verdict.retry_after))
    return deferrals


def defer_events(session: Session, deferrals: list[Deferral], now: datetime | None = None) -> int:
    """Move the stored, still pending events to their later attempt time."""
    now = now or datetime.now(timezone.utc)
    moved = 0
    for deferral in deferrals:
        result = session.execute(
            update(InboundEvent)
            .where(InboundEvent.webhook_event_id == deferral.webhook_event_id, InboundEvent.status == PENDING)
            .values(next_attempt_at=now + timedelta(seconds=deferral.seconds))
        )
        moved += cast(CursorResult[Any], result).rowcount or 0
    return moved


class LineUserLimits:
    """Lives on ``app.state.line_user_limits``; the webhook calls ``apply`` after storing."""

    def __init__(self, *, limits: RateLimits, sessions: sessionmaker[Session], notice_text: str | None) -> None:
        self._limits = limits
        self._sessions = sessions
        self._notice_text = notice_text
        self._tasks: set[asyncio.Task[None]] = set()

    async def apply(self, events: list[Event], push) -> list[Deferral]:
        """After storing a batch: defer its over-limit events, tell each such user once.

        Never raises: the batch is stored already, and LINE must get its 200.
        """
        try:
            deferrals = await over_limit(self._limits, events)
            if not deferrals:
                return []
            moved = await asyncio.to_thread(self._defer, deferrals)
            users = sorted({d.user_id for d in deferrals})
            logger.warning(
                "line user limit: %d events of %d users deferred (%d were still pending)",
                len(deferrals),
                len(users),
                moved,
            )
            for user_id in users:
                if self._notice_text and (await self._limits.check(LINE_USER_NOTICE, pseudonym(user_id))).allowed:
                    task = asyncio.create_task(self._notify(push, user_id))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            return deferrals
        except Exception:  # stored events are processed anyway, only later
            logger.exception("line user limit could not be applied; events go undeferred")
            return []

    def _defer(self, deferrals: list[Deferral]) -> int:
        with self._sessions.begin() as session:
            return defer_events(session, deferrals)

    async def _notify(self, push, user_id: str) -> None:
        try:
            await push(user_id, text_messages(self._notice_text or ""))
        except Exception as exc:  # noqa: BLE001 - a notice that fails is only logged
            logger.warning("rate-limit notice to %s failed: %r", pseudonym(user_id), exc)
