"""Rate limits over the ``limits`` library: one named rule per kind of caller.

Counters live in memory (one process, the embedded default) or in Redis (several
gateway workers share them). When the counter store fails, requests are let through
(and logged): a broken Redis must never cost a citizen's message.
"""

from __future__ import annotations

import logging
import math
import time
from typing import cast
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.storage import storage_from_string
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from settings import SecuritySettings

logger = logging.getLogger(__name__)

WEBHOOK_IP = "webhook_ip"
LINE_USER = "line_user"
LINE_USER_NOTICE = "line_user_notice"
SIMULATOR_IP = "simulator_ip"
LOGIN_IP = "login_ip"
LOGIN_USERNAME = "login_username"
API_IP = "api_ip"

# One notice per citizen and ten minutes, however many events are over the limit.
LINE_USER_NOTICE_LIMIT = "1/10minutes"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the caller may try again


ALLOWED = Verdict(True)


def rules_from_settings(settings: SecuritySettings) -> dict[str, str]:
    return {
        WEBHOOK_IP: settings.rate_limit_webhook_per_ip,
        LINE_USER: settings.rate_limit_line_user,
        LINE_USER_NOTICE: LINE_USER_NOTICE_LIMIT,
        SIMULATOR_IP: settings.rate_limit_simulator_per_ip,
        LOGIN_IP: settings.rate_limit_login_per_ip,
        LOGIN_USERNAME: settings.rate_limit_login_per_username,
        API_IP: settings.rate_limit_api_per_ip,
    }


def async_storage_uri(uri: str) -> str:
    """``redis://...`` / ``memory://`` as the async storage URIs of ``limits``."""
    return uri if uri.startswith("async+") else "async+" + uri


class RateLimits:
    """Checks ``rule`` for ``key``; each check counts as one hit of every limit of the rule."""

    def __init__(self, rules: dict[str, str], storage_uri: str = "memory://") -> None:
        self._items: dict[str, list[RateLimitItem]] = {name: parse_many(text) for name, text in rules.items()}
        uri = async_storage_uri(storage_uri)
        options = {"implementation": "redispy"} if "redis" in uri.split("://", 1)[0] else {}
        self._storage = cast(Storage, storage_from_string(uri, **options))  # an async:// URI
        self._limiter = SlidingWindowCounterRateLimiter(self._storage)

    @classmethod
    def from_settings(cls, settings: SecuritySettings) -> "RateLimits":
        return cls(rules_from_settings(settings), settings.rate_limit_storage_url)

    async def check(self, rule: str, key: str) -> Verdict:
        items = self._items.get(rule)
        if not items:
            return ALLOWED
        try:
            for item in items:
                if not await self._limiter.hit(item, rule, key):
                    stats = await self._limiter.get_window_stats(item, rule, key)
                    return Verdict(False, max(1, math.ceil(stats.reset_time - time.time())))
        except Exception as exc:  # noqa: BLE001 - the counter store is down: fail open, loudly
            logger.warning("rate limit store unavailable (%r); %s not limited", exc, rule)
            return ALLOWED
        return ALLOWED

    async def reset(self) -> None:
        await self._storage.reset()
