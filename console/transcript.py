"""The citizen's conversation, read from Rasa's tracker store over its HTTP API."""

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranscriptLine:
    speaker: str  # citizen | bot
    text: str
    at: datetime | None


async def fetch_transcript(
    rasa_url: str, sender_id: str, *, timeout: float
) -> list[TranscriptLine] | None:
    """The user and bot messages, or None when Rasa is unreachable or answers badly."""
    url = f"{rasa_url.rstrip('/')}/conversations/{sender_id}/tracker"
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
        response.raise_for_status()
        events = response.json().get("events") or []
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        logger.info("transcript unavailable: %s", type(exc).__name__)
        return None
    lines = []
    for event in events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            stamp = event.get("timestamp")
            lines.append(
                TranscriptLine(
                    "citizen" if event["event"] == "user" else "bot",
                    event["text"],
                    datetime.fromtimestamp(stamp, timezone.utc) if stamp else None,
                )
            )
    return lines
