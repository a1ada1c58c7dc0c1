"""The one way the officer side tells a citizen something: a LINE push."""

import asyncio
import logging

import aiohttp
from linebot.v3.messaging.exceptions import ApiException

from integrations.line_gateway.line_client import LineClient, request_id
from integrations.line_gateway.outgoing import text_messages
from integrations.line_gateway.pseudonym import pseudonymise

logger = logging.getLogger(__name__)

LINE_TEXT_LIMIT = 5000


async def notify_citizen(line: LineClient, *, line_user_id: str | None, text: str) -> bool:
    """Push ``text`` to the citizen; False (and a log line) when it could not be sent."""
    if not line_user_id or not text.strip():
        return False
    try:
        await line.push(line_user_id, text_messages(text[:LINE_TEXT_LIMIT]))
    except ApiException as exc:
        logger.warning(
            "push to %s failed: HTTP %s (x-line-request-id=%s)",
            pseudonymise(line_user_id), exc.status, request_id(exc),
        )
        return False
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        logger.warning("push to %s failed: %s", pseudonymise(line_user_id), type(exc).__name__)
        return False
    return True
