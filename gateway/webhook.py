"""``POST /line/webhook``: verify LINE's signature, store the events, answer 200.

The intake worker (intake.py) processes the stored events afterwards."""

import logging

from fastapi import APIRouter, HTTPException, Request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

router = APIRouter(tags=["line"])


@router.post("/line/webhook")
async def line_webhook(request: Request) -> dict[str, str]:
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        raise HTTPException(status_code=400, detail="Missing X-Line-Signature header")
    raw = await request.body()
    parser: WebhookParser = request.app.state.line_parser
    try:
        events = parser.parse(raw.decode("utf-8"), signature)
    except InvalidSignatureError:
        logger.warning("rejected webhook with an invalid signature")
        raise HTTPException(status_code=400, detail="Invalid signature") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        logger.warning("rejected a signed but malformed webhook body")
        raise HTTPException(status_code=400, detail="Malformed webhook body") from None
    try:
        new = await request.app.state.line_intake.accept(raw)
    except SQLAlchemyError:
        # Not acknowledged, so LINE delivers it again later: nothing is lost.
        logger.exception("webhook: events could not be stored")
        raise HTTPException(status_code=503, detail="Temporarily unavailable") from None
    user_limits = getattr(request.app.state, "line_user_limits", None)  # web.security: defer, never drop
    if user_limits is not None:
        await user_limits.apply(events, request.app.state.line_gateway.line.push)
    logger.info("webhook: %d events, %d new stored", len(events), new)
    return {"status": "ok"}
