"""Property tests of the LINE webhook: whatever arrives, never a 500 and never a crash;
a bad signature is a 400 and stores nothing; signed bodies of any shape are a 200 or a
clear 400. In CI the examples are derandomised (tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cases.inbound import InboundEvent
from cases.migrate import upgrade
from gateway import signing
from web.app import create_app
from tests.support.security import SECRET_KEY
from tests.support.web import CHANNEL_SECRET, DOMAIN_YAML, closed_port_url, gateway_settings

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("webhook-fuzz")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    upgrade(url)
    domain = folder / "domain.yml"
    domain.write_text(DOMAIN_YAML, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("RATE_LIMIT_ENABLED", "false")  # fuzzing is not abuse
    settings_ = gateway_settings(
        LINE_API_BASE_URL=closed_port_url(), RASA_URL=closed_port_url(), DOMAIN_PATH=str(domain)
    )
    app = create_app(settings_.replacing(DATABASE_URL=url, CONSOLE_SECRET_KEY=SECRET_KEY))
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http
    mp.undo()


def stored(client: TestClient) -> int:
    with client.app.state.console.sessions() as s:
        return s.scalar(select(func.count()).select_from(InboundEvent)) or 0


def post(client: TestClient, body: bytes, headers: dict[str, str]):
    return client.post("/line/webhook", content=body, headers=headers)


header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
odd_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300) | st.sampled_from(
    ["", "\u200b", "\ufeff" * 50, "ก" * 20_000, "🏭" * 3000, "\u0e31" * 500, "a\x00b", "\U0010ffff"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(body=st.binary(max_size=2000), signature=st.none() | header_text, content_type=header_text)
def test_unsigned_or_wrongly_signed_bodies_are_400_and_store_nothing(client, body, signature, content_type):
    before = stored(client)
    headers = {"Content-Type": content_type or "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    response = post(client, body, headers)
    assert response.status_code == 400, response.text
    assert stored(client) == before


@FUZZ
@given(payload=json_values)
def test_validly_signed_random_json_is_never_a_500(client, payload):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response = post(client, body, {"X-Line-Signature": signing.sign_body(body, CHANNEL_SECRET)})
    assert response.status_code in (200, 400), response.text


def _event_shapes():
    user = st.sampled_from([signing.new_user_id(), "", "U", "x" * 100]) | odd_text
    source = st.fixed_dictionaries(
        {"type": st.sampled_from(["user", "group", "room", "other", ""])},
        optional={"userId": user, "groupId": odd_text, "roomId": odd_text},
    )
    message = st.fixed_dictionaries(
        {"type": st.sampled_from(["text", "image", "sticker", "location", "video", "file", "unknown"])},
        optional={
            "id": odd_text,
            "text": odd_text,
            "latitude": st.floats(),
            "longitude": st.floats(),
            "address": odd_text,
            "packageId": odd_text,
            "quoteToken": odd_text,
        },
    )
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "postback", "follow", "unfollow", "join", "beacon", "mystery"])},
        optional={
            "webhookEventId": odd_text | st.integers(),
            "replyToken": odd_text,
            "timestamp": st.integers() | odd_text,
            "mode": st.sampled_from(["active", "standby", "x"]),
            "source": source | json_values,
            "message": message | json_values,
            "postback": st.fixed_dictionaries({}, optional={"data": odd_text}) | json_values,
            "deliveryContext": st.fixed_dictionaries({"isRedelivery": st.booleans() | json_values}),
        },
    )


@FUZZ
@given(events=st.lists(_event_shapes(), max_size=4), destination=odd_text)
def test_validly_signed_event_shapes_are_stored_or_refused_never_a_500(client, events, destination):
    body = json.dumps({"destination": destination, "events": events}, ensure_ascii=False).encode("utf-8")
    response = post(client, body, {"X-Line-Signature": signing.sign_body(body, CHANNEL_SECRET)})
    assert response.status_code in (200, 400), response.text


@FUZZ
@given(text=odd_text)
def test_any_text_of_a_citizen_is_stored_whole(client, text):
    event = signing.text_event(signing.new_user_id(), text)
    body, headers = signing.signed_webhook(CHANNEL_SECRET, event)
    assert post(client, body, headers).status_code == 200
    with client.app.state.console.sessions() as s:
        row = s.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"]))
    assert row is not None and json.loads(row.body)["message"]["text"] == text


def test_the_app_survived_the_fuzzing(client):
    assert client.get("/healthz").status_code == 200
    worker = client.app.state.line_intake
    task = getattr(worker, "_task", None)
    assert task is None or not task.done(), "the intake worker died"
