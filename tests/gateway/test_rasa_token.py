"""The gateway and the console send Rasa's token when they read a tracker or its status."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, HTTPException, Query

from console.nlu_model import fetch_status
from console.transcript import fetch_events
from gateway.rasa_pool import RasaPool
from tests.support.web import serve

TOKEN = "rasa-api-token"


def rasa_stub() -> FastAPI:
    """Rasa with --auth-token: its HTTP API answers 401 without ?token=."""
    app = FastAPI()

    def check(token: str | None) -> None:
        if token != TOKEN:
            raise HTTPException(401, "NotAuthenticated")

    @app.get("/conversations/{sender}/tracker")
    def tracker(sender: str, token: str | None = Query(None)) -> dict:
        check(token)
        return {"events": [{"event": "user", "text": "สวัสดีค่ะ"}]}

    @app.get("/status")
    def status(token: str | None = Query(None)) -> dict:
        check(token)
        return {"model_file": "idee.tar.gz", "model_id": "abc"}

    return app


def test_the_gateway_and_the_console_send_the_token():
    with serve(rasa_stub()) as url:
        assert asyncio.run(RasaPool([url], 5, auth_token=TOKEN).tracker_events("U1")) == [
            {"event": "user", "text": "สวัสดีค่ะ"}
        ]
        assert asyncio.run(RasaPool([url], 5).tracker_events("U1")) is None  # refused without it
        assert asyncio.run(fetch_events(url, "U1", timeout=5, token=TOKEN)) == [{"event": "user", "text": "สวัสดีค่ะ"}]
        assert asyncio.run(fetch_events(url, "U1", timeout=5)) is None
        assert fetch_status(url, TOKEN).model_id == "abc"
        assert fetch_status(url).model_id is None
