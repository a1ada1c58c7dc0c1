"""Simulator routes: the chat page and its small JSON API.

``POST /simulator/api/send`` builds a real LINE webhook event, registers its reply
token with the fake LINE, signs it with the channel secret and POSTs it over HTTP to
this app's own ``/line/webhook`` -- the same path LINE uses.
"""

import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field, model_validator

from gateway import signing
from gateway.pseudonym import pseudonymise

logger = logging.getLogger(__name__)

PAGE_PATH = Path(__file__).with_name("page.html")
# The LINE rich menu (tools/upload_rich_menu.py uploads it to a real channel); the page shows it.
RICH_MENU_DIR = Path(__file__).resolve().parents[2] / "rich_menu"
USER_ID_PATTERN = r"^U[0-9a-f]{32}$"
# A photo larger than the gateway's 10 MB limit still goes through, so its polite refusal can be seen.
MAX_PHOTO_BYTES = 20 * 1024 * 1024

router = APIRouter(tags=["simulator"])


@dataclass
class SimulatorContext:
    """Lives on ``app.state.simulator``; ``http`` has base_url = PUBLIC_BASE_URL."""

    channel_secret: str
    http: httpx.AsyncClient
    fake_line_prefix: str = "/fake-line"


class SendRequest(BaseModel):
    user_id: Annotated[str, Field(pattern=USER_ID_PATTERN)]
    text: str | None = None
    postback_data: Annotated[str | None, Field(max_length=300)] = None
    display_text: str | None = None
    follow: bool = False
    # A LINE location message (the 📍 button): both coordinates, address optional.
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None
    address: Annotated[str | None, Field(max_length=500)] = None

    @model_validator(mode="after")
    def one_kind(self) -> "SendRequest":
        location = self.latitude is not None and self.longitude is not None
        kinds = [self.text is not None, self.postback_data is not None, self.follow, location]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of text, postback_data, follow or latitude+longitude")
        return self


def _context(request: Request) -> SimulatorContext:
    return request.app.state.simulator


def _event(body: SendRequest) -> dict[str, Any]:
    if body.follow:
        return signing.follow_event(body.user_id)
    if body.postback_data is not None:
        return signing.postback_event(body.user_id, body.postback_data)
    if body.latitude is not None and body.longitude is not None:
        return signing.location_event(body.user_id, body.latitude, body.longitude, body.address)
    return signing.text_event(body.user_id, body.text or "")


@router.get("/simulator", response_class=HTMLResponse)
async def simulator_page() -> HTMLResponse:
    return HTMLResponse(PAGE_PATH.read_text(encoding="utf-8"))


@router.get("/simulator/api/rich-menu")
async def rich_menu() -> dict[str, Any]:
    """The rich menu's definition: the page maps a tap on its image to an area's action."""
    return json.loads((RICH_MENU_DIR / "rich_menu.json").read_text(encoding="utf-8"))


@router.get("/simulator/rich-menu.png")
async def rich_menu_image() -> FileResponse:
    return FileResponse(RICH_MENU_DIR / "rich_menu.png", media_type="image/png")


@router.post("/simulator/api/send")
async def send(request: Request, body: SendRequest) -> dict[str, Any]:
    return await _post_event(_context(request), _event(body), body.user_id)


@router.post("/simulator/api/send-photo")
async def send_photo(
    request: Request,
    user_id: Annotated[str, Form(pattern=USER_ID_PATTERN)],
    photo: UploadFile,
) -> dict[str, Any]:
    """A LINE image message: the fake LINE keeps the bytes, the webhook carries the id."""
    content = await photo.read(MAX_PHOTO_BYTES + 1)
    if not content:
        raise HTTPException(status_code=422, detail="the photo is empty")
    if len(content) > MAX_PHOTO_BYTES:
        raise HTTPException(status_code=413, detail="the photo is larger than 20 MB")
    ctx = _context(request)
    message_id = str(secrets.randbelow(10**18))
    try:
        stored = await ctx.http.put(
            f"{ctx.fake_line_prefix}/_fake/content/{message_id}",
            content=content,
            headers={"Content-Type": photo.content_type or "application/octet-stream"},
        )
        stored.raise_for_status()
    except httpx.HTTPError as exc:
        logger.error("simulator could not store the photo on the fake LINE: %r", exc)
        raise HTTPException(status_code=502, detail="fake LINE unreachable") from None
    return await _post_event(ctx, signing.image_event(user_id, message_id), user_id)


async def _post_event(ctx: SimulatorContext, event: dict[str, Any], user_id: str) -> dict[str, Any]:
    """Register the reply token, sign the event and POST it to our own webhook, as LINE does."""
    try:
        registration = await ctx.http.post(
            f"{ctx.fake_line_prefix}/_fake/reply-tokens",
            json={"reply_token": event["replyToken"], "user_id": user_id},
        )
        registration.raise_for_status()
        raw, headers = signing.signed_webhook(ctx.channel_secret, event)
        response = await ctx.http.post("/line/webhook", content=raw, headers=headers)
    except httpx.HTTPError as exc:
        logger.error("simulator could not reach its own webhook: %r", exc)
        raise HTTPException(status_code=502, detail="webhook unreachable (check PUBLIC_BASE_URL)") from None
    logger.info("simulator sent a %s event for %s", event["type"], pseudonymise(user_id))
    if response.status_code != 200:
        raise HTTPException(status_code=502, detail=f"webhook answered HTTP {response.status_code}")
    return {"status": "sent", "webhook_event_id": event["webhookEventId"]}


@router.get("/simulator/api/messages")
async def messages(
    request: Request,
    user_id: Annotated[str, Query(pattern=USER_ID_PATTERN)],
    after: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    ctx = _context(request)
    try:
        response = await ctx.http.get(
            f"{ctx.fake_line_prefix}/_fake/messages", params={"user_id": user_id, "after": after}
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        logger.error("simulator could not read the fake LINE: %r", exc)
        raise HTTPException(status_code=502, detail="fake LINE unreachable") from None
    return response.json()
