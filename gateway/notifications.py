"""The one way the officer side tells a citizen something: a LINE push."""

import asyncio
import logging
from collections.abc import Callable, Sequence

import aiohttp
from linebot.v3.messaging import Message
from linebot.v3.messaging.exceptions import ApiException

from gateway.followup_texts import FollowupTexts
from gateway.line_client import LineClient, request_id
from gateway.outgoing import MAX_MESSAGES, text_messages
from gateway.pseudonym import pseudonymise
from cases.duplicate_links import Complainant
from cases.taxonomy import TicketState

logger = logging.getLogger(__name__)

LINE_TEXT_LIMIT = 5000


async def notify_citizen(
    line: LineClient,
    *,
    line_user_id: str | None,
    text: str,
    follow_up: list[Message] | None = None,
) -> bool:
    """Push ``text`` (then ``follow_up``, e.g. a question with quick replies) to the citizen.

    False (and a log line) when it could not be sent.
    """
    if not line_user_id or not text.strip():
        return False
    messages = [*text_messages(text[:LINE_TEXT_LIMIT]), *(follow_up or [])][:MAX_MESSAGES]
    try:
        await line.push(line_user_id, messages)
    except ApiException as exc:
        logger.warning(
            "push to %s failed: HTTP %s (x-line-request-id=%s)",
            pseudonymise(line_user_id),
            exc.status,
            request_id(exc),
        )
        return False
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
        logger.warning("push to %s failed: %s", pseudonymise(line_user_id), type(exc).__name__)
        return False
    return True


# Pushes to a case's linked complainants at the same time (LINE allows far more per second).
LINKED_PUSH_CONCURRENCY = 8


async def notify_linked_complainants(
    line: LineClient,
    *,
    complainants: Sequence[Complainant],
    text_for: Callable[[str], str],
) -> int:
    """Push a case's state notice to each complainant linked to it, naming their own
    tracking numbers (``text_for(numbers)``); no follow-up question. How many were reached.

    Callers pass ``cases.duplicate_links.linked_complainants``, which is empty for a
    confidential (corruption) case.
    """
    gate = asyncio.Semaphore(LINKED_PUSH_CONCURRENCY)

    async def push(complainant: Complainant) -> bool:
        async with gate:
            text = text_for(", ".join(complainant.tracking_numbers))
            return await notify_citizen(line, line_user_id=complainant.line_user_id, text=text)

    results = await asyncio.gather(*(push(c) for c in complainants), return_exceptions=True)
    for failure in (r for r in results if isinstance(r, BaseException)):
        logger.warning("push to a linked complainant failed: %s", type(failure).__name__)
    reached = sum(1 for r in results if r is True)
    if complainants:
        logger.info("state notice pushed to %d of %d linked complainants", reached, len(complainants))
    return reached


def state_follow_up(texts: FollowupTexts, *, tracking_number: str, state: str) -> list[Message]:
    """What follows a state notice: when resolved, "is the problem solved?" with quick replies."""
    if state == TicketState.RESOLVED.value and texts.ask_solved is not None:
        return texts.ask_solved.to_line(tracking_number=tracking_number)
    return []
