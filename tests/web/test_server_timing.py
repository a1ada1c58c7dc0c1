"""web/server_timing.py: the app's own time on every response."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.server_timing import ServerTimingMiddleware, server_timing_value


def test_the_value_is_milliseconds_with_one_decimal():
    assert server_timing_value(0.0123) == "app;dur=12.3"


def test_every_response_carries_the_time_the_app_spent_on_it_errors_included():
    app = FastAPI()

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(0.05)
        return {"status": "ok"}

    app.add_middleware(ServerTimingMiddleware)
    with TestClient(app) as client:
        slow_response = client.get("/slow")
        missing = client.get("/nowhere")
    assert float(slow_response.headers["server-timing"].removeprefix("app;dur=")) >= 50
    assert missing.status_code == 404 and missing.headers["server-timing"].startswith("app;dur=")
