"""FastAPI app imitating LINE's Messaging API (reply, push, loading, bot info).

Inspection endpoints live under ``/_fake/``. State is on ``app.state.store``.
"""

import secrets
from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from gateway.dev.fake_line import rich_menu
from gateway.dev.fake_line.store import FakeLineStore

MAX_MESSAGES = 5
# LINE keeps message content for a while; the fake keeps what it was given, up to this size.
MAX_CONTENT_BYTES = 20 * 1024 * 1024


class ReplyTokenRegistration(BaseModel):
    reply_token: str
    user_id: str


def _line_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"message": message})


def _auth_error(authorization: str | None) -> JSONResponse | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _line_error(401, "Authentication failed due to the following reason: no token.")
    return None


def _messages_error(payload: dict[str, Any]) -> JSONResponse | None:
    messages = payload.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return _line_error(400, "The request body has 1 error(s)")
    return None


def _sent(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "sentMessages": [
            {"id": str(secrets.randbelow(10**18)), "quoteToken": secrets.token_hex(16)} for _ in payload["messages"]
        ]
    }


def _store(request: Request) -> FakeLineStore:
    return request.app.state.store


def create_fake_line_app() -> FastAPI:
    app = FastAPI(title="Fake LINE Messaging API", docs_url="/_fake/docs", openapi_url="/_fake/openapi.json")
    app.state.store = FakeLineStore()
    app.state.rich_menus = rich_menu.RichMenuStore()
    app.include_router(rich_menu.router)  # rich menus: tools/upload_rich_menu.py

    @app.post("/v2/bot/message/reply")
    async def reply(
        request: Request,
        payload: Annotated[dict[str, Any], Body()],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Any:
        if error := _auth_error(authorization) or _messages_error(payload):
            return error
        valid, user_id = _store(request).use_reply_token(str(payload.get("replyToken", "")))
        if not valid:
            return _line_error(400, "Invalid reply token")
        _store(request).record("reply", user_id, payload)
        return _sent(payload)

    @app.post("/v2/bot/message/push")
    async def push(
        request: Request,
        payload: Annotated[dict[str, Any], Body()],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Any:
        if error := _auth_error(authorization) or _messages_error(payload):
            return error
        if not isinstance(payload.get("to"), str) or not payload["to"]:
            return _line_error(400, "The request body has 1 error(s)")
        _store(request).record("push", payload["to"], payload)
        return _sent(payload)

    @app.post("/v2/bot/chat/loading/start", status_code=202)
    async def loading_start(
        payload: Annotated[dict[str, Any], Body()],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Any:
        if error := _auth_error(authorization):
            return error
        return {}

    @app.get("/v2/bot/info")
    async def bot_info(authorization: Annotated[str | None, Header()] = None) -> Any:
        if error := _auth_error(authorization):
            return error
        return {
            "userId": "U" + "f" * 32,
            "basicId": "@i-dee-fake",
            "displayName": "i-Dee (fake LINE)",
            "chatMode": "bot",
            "markAsReadMode": "auto",
        }

    @app.get("/v2/bot/message/{message_id}/content")
    async def message_content(
        request: Request, message_id: str, authorization: Annotated[str | None, Header()] = None
    ) -> Any:
        """The blob endpoint (LINE serves it from api-data.line.me; here the same host)."""
        if error := _auth_error(authorization):
            return error
        stored = _store(request).content(message_id)
        if stored is None:
            return _line_error(404, "Not found")
        content_type, content = stored
        return Response(content=content, media_type=content_type)

    @app.put("/_fake/content/{message_id}", status_code=201)
    async def register_content(request: Request, message_id: str) -> Any:
        """Control API: the bytes LINE will serve for an image message ``message_id``."""
        content = await request.body()
        if not content or len(content) > MAX_CONTENT_BYTES:
            return _line_error(400, "content must be 1 byte to 20 MB")
        content_type = request.headers.get("content-type", "application/octet-stream")
        _store(request).put_content(message_id, content_type, content)
        return {"status": "registered", "size": len(content)}

    @app.post("/_fake/reply-tokens", status_code=201)
    async def register_reply_token(request: Request, registration: ReplyTokenRegistration) -> dict[str, str]:
        _store(request).register_reply_token(registration.reply_token, registration.user_id)
        return {"status": "registered"}

    @app.get("/_fake/messages")
    async def list_messages(request: Request, user_id: str | None = None, after: int = 0) -> dict[str, Any]:
        deliveries = _store(request).deliveries(user_id=user_id, after=after)
        return {"messages": [d.as_json() for d in deliveries]}

    @app.delete("/_fake/messages")
    async def clear_messages(request: Request) -> dict[str, str]:
        _store(request).clear()
        return {"status": "cleared"}

    return app
