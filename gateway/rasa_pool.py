"""Several Rasa servers (sharing the Redis lock store and the SQL tracker store) used as one.

``RASA_URL`` may list several servers, comma-separated. A turn goes to the next server in
turn; when a server cannot be connected to (the request never reached it) the next one is
tried, so one Rasa being down costs the citizen nothing. A timeout or an error answer is
not retried on another server: Rasa may have handled the message already.

``RASA_ACTIONS_HEALTH_URLS`` (optional, same order) names the health URL of the action
server each Rasa uses: while it is down that Rasa is skipped, and when every Rasa's actions
are down the turn waits (RasaUnavailableError), because Rasa itself would go on without its
actions and the citizen would get silence.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import httpx

from gateway.rasa_client import RasaClient, RasaMessage, RasaUnavailableError

logger = logging.getLogger(__name__)

HEALTH_CACHE_SECONDS = 1.0


def split_urls(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class RasaPool:
    """Drop-in for RasaClient over one or more servers."""

    def __init__(
        self,
        rasa_urls: list[str],
        timeout_seconds: float,
        actions_health_urls: list[str] | None = None,
        auth_token: str = "",
    ) -> None:
        if not rasa_urls:
            raise ValueError("no Rasa URL")
        health = actions_health_urls or []
        if health and len(health) != len(rasa_urls):
            raise ValueError("RASA_ACTIONS_HEALTH_URLS needs one URL per Rasa server")
        self._urls = list(rasa_urls)
        self._auth_token = auth_token  # Rasa's --auth-token: its HTTP API (trackers) needs it
        self._clients = [RasaClient(url, timeout_seconds) for url in rasa_urls]
        self._health_urls: list[str | None] = list(health) or [None] * len(rasa_urls)
        self._health_http = httpx.AsyncClient(timeout=1.0)
        self._healthy: dict[str, tuple[float, bool]] = {}
        self._next = itertools.count()

    @classmethod
    def from_settings(
        cls, rasa_url: str, timeout_seconds: float, actions_health_urls: str = "", auth_token: str = ""
    ) -> "RasaPool":
        return cls(split_urls(rasa_url), timeout_seconds, split_urls(actions_health_urls), auth_token)

    async def _actions_up(self, url: str | None) -> bool:
        if url is None:
            return True
        checked = self._healthy.get(url)
        if checked and time.monotonic() - checked[0] < HEALTH_CACHE_SECONDS:
            return checked[1]
        try:
            up = (await self._health_http.get(url)).status_code < 400
        except httpx.HTTPError:
            up = False
        self._healthy[url] = (time.monotonic(), up)
        return up

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[RasaMessage]:
        start = next(self._next)
        errors: list[str] = []
        for offset in range(len(self._clients)):
            index = (start + offset) % len(self._clients)
            if not await self._actions_up(self._health_urls[index]):
                errors.append(f"rasa#{index}: action server down")
                continue
            try:
                return await self._clients[index].send(sender, text, metadata)
            except RasaUnavailableError as exc:
                if isinstance(exc.__cause__, httpx.ConnectError):
                    errors.append(f"rasa#{index}: not reachable")
                    continue  # never reached Rasa: safe to try another server
                raise
        raise RasaUnavailableError("; ".join(errors))

    async def tracker_events(self, sender: str) -> list[dict] | None:
        """The conversation's events from any Rasa server (shared tracker store); None if none answers."""
        for url in self._urls:
            try:
                response = await self._health_http.get(
                    f"{url.rstrip('/')}/conversations/{sender}/tracker",
                    params={
                        "include_events": "AFTER_RESTART",
                        **({"token": self._auth_token} if self._auth_token else {}),
                    },
                    timeout=10.0,
                )
            except httpx.HTTPError:
                continue
            if response.status_code == 200:
                events = response.json().get("events")
                return events if isinstance(events, list) else []
        return None

    async def close(self) -> None:
        for client in self._clients:
            await client.close()
        await self._health_http.aclose()
