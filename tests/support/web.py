"""Run ASGI apps on real loopback ports in background threads (for SDK HTTP calls)."""

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway import signing
from settings import Settings

CHANNEL_SECRET = "test-channel-secret"
ACCESS_TOKEN = "test-access-token"
UNSUPPORTED_TEXT = "ขออภัย ตอนนี้รับได้เฉพาะข้อความตัวอักษร"
BUSY_TEXT = "ขออภัย ระบบไม่ว่างชั่วคราว กรุณาลองใหม่อีกครั้ง"

DOMAIN_YAML = f"""\
version: "3.1"
responses:
  utter_unsupported_message:
  - text: "{UNSUPPORTED_TEXT}"
  utter_system_busy:
  - text: "{BUSY_TEXT}"
  utter_notify_state_changed:
  - text: "อัปเดตเรื่องร้องเรียนเลขที่ {{tracking_number}} ค่ะ\\nสถานะล่าสุด: {{state}}\\n{{note}}"
  utter_notify_reply:
  - text: "ข้อความจากเจ้าหน้าที่ถึงท่าน เรื่องเลขที่ {{tracking_number}} ค่ะ\\n{{text}}"
"""


def gateway_settings(**overrides: Any) -> Settings:
    """The settings of a gateway under test: these variables, the rest from the environment."""
    values = {
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "RASA_TIMEOUT_SECONDS": 5,
    }
    values.update(overrides)
    return Settings.with_variables(**values)


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    sock = bound_socket()
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@contextmanager
def serve(app: Any, sock: socket.socket | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yields its base URL."""
    sock = sock or bound_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="auto", ws="none"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


Responder = Callable[[str, str], list[dict[str, Any]]]


class StubRasa:
    """A tiny stand-in for Rasa's REST channel that records what it received."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status_code = 200
        self.responder: Responder = lambda sender, message: [{"recipient_id": sender, "text": f"echo: {message[:50]}"}]
        self.app = FastAPI()
        self.app.add_api_route("/webhooks/rest/webhook", self._webhook, methods=["POST"])

    async def _webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.received.append(body)
        if self.status_code != 200:
            return JSONResponse(status_code=self.status_code, content={"error": "boom"})
        # In a thread, so a slow responder does not serialise concurrent requests.
        messages = await asyncio.to_thread(self.responder, body["sender"], body["message"])
        return JSONResponse(messages)


@dataclass
class Gateway:
    """The gateway under test plus handles on its collaborators."""

    url: str
    fake_line_url: str
    rasa: StubRasa

    def post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{self.url}/line/webhook", content=body, headers=headers, timeout=10)

    def send_events(self, *events: dict[str, Any]) -> httpx.Response:
        for event in events:
            if "replyToken" in event and not event["replyToken"].startswith("unregistered"):
                self.register_token(event["replyToken"], event["source"]["userId"])
        body, headers = signing.signed_webhook(CHANNEL_SECRET, *events)
        return self.post(body, headers)

    def register_token(self, reply_token: str, user_id: str) -> None:
        response = httpx.post(
            f"{self.fake_line_url}/_fake/reply-tokens",
            json={"reply_token": reply_token, "user_id": user_id},
        )
        response.raise_for_status()

    def deliveries(self, user_id: str | None = None) -> list[dict[str, Any]]:
        params = {"user_id": user_id} if user_id else {}
        response = httpx.get(f"{self.fake_line_url}/_fake/messages", params=params)
        response.raise_for_status()
        return response.json()["messages"]

    def wait_for_deliveries(self, user_id: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.deliveries(user_id)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} deliveries, got {self.deliveries(user_id)}")


def texts_of(delivery: dict[str, Any]) -> list[str]:
    return [m["text"] for m in delivery["payload"]["messages"] if m["type"] == "text"]
