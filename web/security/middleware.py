"""ASGI middleware: security headers, request body size limits, per-IP and per-username
rate limits. Pure ASGI (no body re-reading tricks of BaseHTTPMiddleware); the decisions
are pure functions (``rules_for``, ``body_limit_for``, ``security_headers_for``)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from web.security.rate_limits import (
    API_IP,
    LOGIN_IP,
    LOGIN_USERNAME,
    SIMULATOR_IP,
    WEBHOOK_IP,
    RateLimits,
)

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WEBHOOK_PATH = "/line/webhook"
LOGIN_PATHS = ("/api/auth/login", "/console/login")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# JSON API, Open311 and static files: nothing may run, nothing may frame us.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# FastAPI's /docs page loads Swagger UI from a CDN with an inline bootstrap script, and the
# simulator (embedded mode only) is one self-contained page: they may not be framed.
FRAME_ONLY_CSP = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"
# Officers' console (Thai, like the console's other messages); citizens never see it.
CONSOLE_TOO_MANY = "มีการส่งคำขอบ่อยเกินไป กรุณารอประมาณ {seconds} วินาทีแล้วลองใหม่อีกครั้ง"


def rules_for(method: str, path: str) -> list[str]:
    """Which rate-limit rules (keyed by client IP) apply to a request."""
    if path == WEBHOOK_PATH:
        return [WEBHOOK_IP] if method == "POST" else []
    if path.startswith("/simulator/api/"):  # sending makes webhooks; polling is a cheap read
        return [SIMULATOR_IP] if method == "POST" else []
    if method == "POST" and path in LOGIN_PATHS:
        return [LOGIN_IP]
    if path.startswith("/console/static/"):
        return []
    if path.startswith(("/api/", "/open311/")) or path == "/console" or path.startswith("/console/"):
        return [API_IP]
    return []


def body_limit_for(path: str, *, webhook_bytes: int, default_bytes: int) -> int:
    return webhook_bytes if path == WEBHOOK_PATH else default_bytes


def security_headers_for(path: str, *, https: bool) -> dict[str, str]:
    """Headers every response gets unless the route set its own (console pages set a CSP)."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if path in ("/docs", "/redoc", "/docs/oauth2-redirect") or path == "/simulator":
        headers["Content-Security-Policy"] = FRAME_ONLY_CSP
    else:
        headers["Content-Security-Policy"] = API_CSP
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def username_from_body(body: bytes, content_type: str) -> str | None:
    """The login's username from a JSON or form body (None when there is none)."""
    try:
        if "json" in content_type:
            value = json.loads(body).get("username")
        else:
            value = parse_qs(body.decode("utf-8"), max_num_fields=20).get("username", [None])[0]
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None
    return value.strip().lower()[:200] if isinstance(value, str) and value.strip() else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def send_json(send: Send, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def send_html(send: Send, status: int, text: str, headers: dict[str, str]) -> None:
    body = (
        '<!doctype html><html lang="th"><meta charset="utf-8"><title>i-Dee</title>'
        f'<p>{text}</p><p><a href="/console/login">กลับไปหน้าเข้าสู่ระบบ</a></p></html>'
    ).encode("utf-8")
    raw_headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool, list[Message]]:
    """Read the whole request body, up to ``limit`` bytes; returns (body, too_large, messages)."""
    chunks: list[bytes] = []
    size = 0
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return b"".join(chunks), False, messages
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True, messages
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False, messages


def _replay(body: bytes, rest: Receive) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await rest()

    return receive


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        defaults = security_headers_for(scope["path"], https=self.https)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode(), value.encode())
                    for name, value in defaults.items()
                    if name.lower().encode() not in present
                ]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """413 with a JSON error before the app reads (or parses) an oversized body."""

    def __init__(self, app: ASGIApp, *, webhook_bytes: int, default_bytes: int) -> None:
        self.app = app
        self.webhook_bytes = webhook_bytes
        self.default_bytes = default_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"], webhook_bytes=self.webhook_bytes, default_bytes=self.default_bytes)
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                await send_json(send, 400, {"detail": "invalid Content-Length header"})
                return
            if too_large:
                await self._reject(send, scope, limit)
                return
        # Chunked, or a length that may be wrong: read up to the limit, then replay.
        body, too_large, messages = await _read_body(receive, limit)
        if too_large:
            await self._reject(send, scope, limit)
            return
        if messages and messages[-1]["type"] != "http.request":  # the client went away
            return
        await self.app(scope, _replay(body, receive), send)

    async def _reject(self, send: Send, scope: Scope, limit: int) -> None:
        logger.warning("rejected a %s body over %d bytes", scope["path"], limit)
        await send_json(send, 413, {"detail": "request body too large", "max_bytes": limit})


class RateLimitMiddleware:
    """429 (with Retry-After) for a client IP, or a login username, over its limit."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        client = scope.get("client")
        ip = client[0] if client else "-"
        for rule in rules_for(method, path):
            verdict = await self.limits.check(rule, ip)
            if not verdict.allowed:
                await self._reject(send, rule, verdict.retry_after, html=path.startswith("/console"))
                return
        if method == "POST" and path in LOGIN_PATHS:
            body, _, messages = await _read_body(receive, 1 << 20)  # bounded by the size middleware
            if messages and messages[-1]["type"] != "http.request":
                return
            receive = _replay(body, receive)
            username = username_from_body(body, _header(scope, b"content-type") or "")
            if username:
                verdict = await self.limits.check(LOGIN_USERNAME, username)
                if not verdict.allowed:
                    await self._reject(send, LOGIN_USERNAME, verdict.retry_after, html=path.startswith("/console"))
                    return
        await self.app(scope, receive, send)

    async def _reject(self, send: Send, rule: str, retry_after: int, *, html: bool = False) -> None:
        logger.warning("rate limit %s exceeded; retry after %ds", rule, retry_after)
        if html:  # the officers' console: a Thai page, not JSON
            await send_html(send, 429, CONSOLE_TOO_MANY.format(seconds=retry_after), {"Retry-After": str(retry_after)})
            return
        await send_json(
            send,
            429,
            {"detail": "too many requests", "retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
