"""Simulator mode: the page, its API, and the real webhook path through the fake LINE."""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway import signing
from settings import Settings
from web.app import create_app
from tests.support.web import StubRasa, bound_socket, gateway_settings, serve


@pytest.fixture
def simulator_url(stub_rasa: tuple[StubRasa, str], domain_file: Path) -> Iterator[str]:
    sock = bound_socket()
    public = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings.with_variables(
        LINE_CHANNEL_SECRET="",
        LINE_CHANNEL_ACCESS_TOKEN="",
        RASA_URL=stub_rasa[1],
        DOMAIN_PATH=str(domain_file),
        PUBLIC_BASE_URL=public,
    )
    assert settings.line.simulator_mode
    with serve(create_app(settings), sock=sock) as url:
        yield url


def poll_messages(url: str, user_id: str, count: int, after: int = 0) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        response = httpx.get(f"{url}/simulator/api/messages", params={"user_id": user_id, "after": after})
        response.raise_for_status()
        messages = response.json()["messages"]
        if len(messages) >= count:
            return messages
        time.sleep(0.05)
    raise AssertionError(f"no {count} messages for the simulator user")


def test_page_is_thai_self_contained_html(simulator_url: str):
    response = httpx.get(f"{simulator_url}/simulator")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'lang="th"' in html and "พิมพ์ข้อความ" in html
    assert "localStorage" in html and "viewport" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "no external scripts/styles"


def test_root_redirects_and_health(simulator_url: str):
    root = httpx.get(simulator_url, follow_redirects=False)
    assert root.status_code in (302, 307) and root.headers["location"] == "/simulator"
    assert httpx.get(f"{simulator_url}/healthz").json() == {"status": "ok"}


def test_text_and_postback_round_trip(simulator_url: str, stub_rasa):
    stub, _ = stub_rasa
    stub.responder = lambda sender, message: [
        {"text": f"ได้รับ {message}", "buttons": [{"title": "ยืนยัน", "payload": "/affirm"}]}
    ]
    user_id = signing.new_user_id()
    sent = httpx.post(f"{simulator_url}/simulator/api/send", json={"user_id": user_id, "text": "สวัสดี"})
    assert sent.status_code == 200, sent.text
    (first,) = poll_messages(simulator_url, user_id, 1)
    assert first["kind"] == "reply" and first["user_id"] == user_id
    message = first["payload"]["messages"][0]
    assert message["text"] == "ได้รับ สวัสดี"
    action = message["quickReply"]["items"][0]["action"]
    assert action["data"] == "/affirm"

    sent = httpx.post(
        f"{simulator_url}/simulator/api/send",
        json={"user_id": user_id, "postback_data": action["data"], "display_text": action["displayText"]},
    )
    assert sent.status_code == 200, sent.text
    (second,) = poll_messages(simulator_url, user_id, 1, after=first["seq"])
    assert second["payload"]["messages"][0]["text"] == "ได้รับ /affirm"
    assert [r["message"] for r in stub.received] == ["สวัสดี", "/affirm"]


def test_a_location_reaches_rasa_as_share_location(simulator_url: str, stub_rasa):
    stub, _ = stub_rasa
    stub.responder = lambda sender, message: [{"text": "ได้รับตำแหน่งแล้วค่ะ"}]
    user_id = signing.new_user_id()
    sent = httpx.post(
        f"{simulator_url}/simulator/api/send",
        json={"user_id": user_id, "latitude": 14.69, "longitude": 100.87, "address": "สระบุรี 18240"},
    )
    assert sent.status_code == 200, sent.text
    poll_messages(simulator_url, user_id, 1)
    assert stub.received[-1]["message"] == (
        '/share_location{"latitude": 14.69, "longitude": 100.87, "address": "สระบุรี 18240"}'
    )
    html = httpx.get(f"{simulator_url}/simulator").text
    assert 'id="location"' in html
    half = httpx.post(f"{simulator_url}/simulator/api/send", json={"user_id": user_id, "latitude": 1.0})
    assert half.status_code == 422


def test_send_validates_input(simulator_url: str):
    bad_user = httpx.post(f"{simulator_url}/simulator/api/send", json={"user_id": "me", "text": "x"})
    assert bad_user.status_code == 422
    nothing = httpx.post(f"{simulator_url}/simulator/api/send", json={"user_id": signing.new_user_id()})
    assert nothing.status_code == 422


def test_no_simulator_or_fake_with_real_credentials(domain_file: Path):
    app = create_app(gateway_settings(DOMAIN_PATH=str(domain_file)))
    with serve(app) as url:
        assert httpx.get(f"{url}/simulator").status_code == 404
        assert httpx.get(f"{url}/fake-line/_fake/messages").status_code == 404
        assert httpx.get(f"{url}/healthz").status_code == 200


def test_the_page_shows_the_rich_menu(simulator_url: str):
    menu = httpx.get(f"{simulator_url}/simulator/api/rich-menu").json()
    assert [a["action"]["data"] for a in menu["areas"]] == [
        "/report_problem",
        "/check_status",
        "/my_tickets",
        "/ask_human",
        "/help",
    ]
    image = httpx.get(f"{simulator_url}/simulator/rich-menu.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert 'src="/simulator/rich-menu.png"' in httpx.get(f"{simulator_url}/simulator").text
