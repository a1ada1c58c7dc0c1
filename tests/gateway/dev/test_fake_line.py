"""The fake LINE behaves like LINE where the gateway depends on it, and records payloads."""

from collections.abc import Iterator

import httpx
import pytest

AUTH = {"Authorization": "Bearer test-token"}
USER = "U" + "b" * 32
TEXT = {"type": "text", "text": "สวัสดีครับ"}


@pytest.fixture
def client(fake_line_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake_line_url) as client:
        yield client


def recorded(client: httpx.Client, params: dict | None = None) -> list[dict]:
    response = client.get("/_fake/messages", params=params or {})
    response.raise_for_status()
    return response.json()["messages"]


def test_reply_requires_bearer_token(client):
    response = client.post("/v2/bot/message/reply", json={"replyToken": "t1", "messages": [TEXT]})
    assert response.status_code == 401
    assert recorded(client) == []


def test_reply_token_works_once_and_records_payload(client):
    client.post("/_fake/reply-tokens", json={"reply_token": "t1", "user_id": USER})
    payload = {"replyToken": "t1", "messages": [TEXT], "notificationDisabled": False}
    first = client.post("/v2/bot/message/reply", json=payload, headers=AUTH)
    assert first.status_code == 200
    assert len(first.json()["sentMessages"]) == 1
    second = client.post("/v2/bot/message/reply", json=payload, headers=AUTH)
    assert second.status_code == 400
    assert second.json() == {"message": "Invalid reply token"}
    (delivery,) = recorded(client, {"user_id": USER})
    assert delivery["kind"] == "reply"
    assert delivery["user_id"] == USER
    assert delivery["payload"] == payload
    assert delivery["seq"] == 1 and delivery["timestamp"] > 0


def test_expired_token_rejected_and_unregistered_accepted_once(client):
    expired = client.post("/v2/bot/message/reply", json={"replyToken": "expired-1", "messages": [TEXT]}, headers=AUTH)
    assert expired.status_code == 400
    unknown = client.post(
        "/v2/bot/message/reply", json={"replyToken": "never-registered", "messages": [TEXT]}, headers=AUTH
    )
    assert unknown.status_code == 200
    (delivery,) = recorded(client)
    assert delivery["user_id"] is None


def test_more_than_five_messages_rejected(client):
    response = client.post("/v2/bot/message/push", json={"to": USER, "messages": [TEXT] * 6}, headers=AUTH)
    assert response.status_code == 400


def test_push_after_filter_and_clear(client):
    for i in range(3):
        message = {"type": "text", "text": f"ข้อความ {i}"}
        response = client.post("/v2/bot/message/push", json={"to": USER, "messages": [message]}, headers=AUTH)
        assert response.status_code == 200
    client.post("/v2/bot/message/push", json={"to": "U" + "c" * 32, "messages": [TEXT]}, headers=AUTH)
    later = recorded(client, {"user_id": USER, "after": 1})
    assert [d["seq"] for d in later] == [2, 3]
    assert [d["payload"]["messages"][0]["text"] for d in later] == ["ข้อความ 1", "ข้อความ 2"]
    assert all(d["kind"] == "push" for d in later)
    assert (client.delete("/_fake/messages")).status_code == 200
    assert recorded(client) == []


def test_loading_and_bot_info(client):
    loading = client.post("/v2/bot/chat/loading/start", json={"chatId": USER, "loadingSeconds": 5}, headers=AUTH)
    assert loading.status_code == 202
    info = client.get("/v2/bot/info", headers=AUTH)
    assert info.status_code == 200 and info.json()["chatMode"] == "bot"
