"""``Server-Timing: app;dur=<ms>`` on every HTTP response: how long the app itself took,
from the request's arrival at the outermost middleware to the response's first byte.

A client (LINE, the load benchmark) sees this plus the network and its own scheduling;
the difference tells where a slow acknowledgement was spent."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def server_timing_value(seconds: float) -> str:
    return f"app;dur={seconds * 1000:.1f}"


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", server_timing_value(time.perf_counter() - started).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_timing)
