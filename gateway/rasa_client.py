"""Async client for Rasa's REST channel (``/webhooks/rest/webhook``)."""

import logging
from typing import Any

import httpx

from gateway.pseudonym import pseudonymise

logger = logging.getLogger(__name__)

RasaMessage = dict[str, Any]


class RasaUnavailableError(Exception):
    """Rasa could not be reached, timed out, or answered with an error."""


class RasaClient:
    """Sends one user message to Rasa and returns the bot's messages."""

    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds)

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[RasaMessage]:
        """POST ``{"sender", "message"}`` (and ``metadata``, which Rasa keeps on the user
        event for the actions); raise RasaUnavailableError on any failure."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._http.post("/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailableError(f"Rasa request failed: {exc!r}") from exc
        if response.status_code >= 400:
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
        try:
            messages = response.json()
        except ValueError as exc:
            raise RasaUnavailableError("Rasa answered with invalid JSON") from exc
        if not isinstance(messages, list):
            raise RasaUnavailableError("Rasa answered with something other than a list")
        logger.debug("rasa returned %d messages for %s", len(messages), pseudonymise(sender))
        return [m for m in messages if isinstance(m, dict)]

    async def close(self) -> None:
        await self._http.aclose()
