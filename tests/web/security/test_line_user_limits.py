"""Per-LINE-user limits: a signed batch is always stored and acknowledged; a citizen over
the limit gets one polite notice and their further events wait (deferred), none is lost."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
from sqlalchemy import select

import pytest

from cases.domain_texts import WordingError
from cases.inbound import InboundEvent
from gateway import signing
from web.security.user_limits import rate_limited_text
from tests.support.security import app_client
from tests.support.web import CHANNEL_SECRET, DOMAIN_YAML

NOTICE = "ไอ-ดีได้รับข้อความของท่านจำนวนมากในเวลาสั้น ๆ ค่ะ"
DOMAIN_WITH_NOTICE = DOMAIN_YAML + f'  utter_rate_limited:\n  - text: "{NOTICE}"\n'


def _pushed_texts(fake_line_url: str, user_id: str) -> list[str]:
    messages = httpx.get(f"{fake_line_url}/_fake/messages", params={"user_id": user_id}).json()["messages"]
    return [m["text"] for d in messages for m in d["payload"]["messages"] if m["type"] == "text"]


def test_the_notice_comes_from_the_domain(tmp_path):
    path = tmp_path / "d.yml"
    path.write_text(DOMAIN_WITH_NOTICE, encoding="utf-8")
    assert rate_limited_text(path) == NOTICE
    (tmp_path / "none.yml").write_text('responses:\n  utter_system_busy:\n  - text: "x"\n', encoding="utf-8")
    assert rate_limited_text(tmp_path / "none.yml") is None  # no notice: still deferred
    with pytest.raises(WordingError, match="missing.yml"):
        rate_limited_text(tmp_path / "missing.yml")


def test_the_real_domain_has_a_polite_notice():
    text = rate_limited_text("bot/domain")
    assert text and "ค่ะ" in text


def test_a_citizen_over_the_limit_is_deferred_and_told_once(monkeypatch, case_database, tmp_path, fake_line_url):
    domain = tmp_path / "domain.yml"
    domain.write_text(DOMAIN_WITH_NOTICE, encoding="utf-8")
    env = {"RATE_LIMIT_LINE_USER": "3/minute"}
    with app_client(monkeypatch, case_database, domain, line_api_url=fake_line_url, security_env=env) as client:
        chatty, calm = signing.new_user_id(), signing.new_user_id()
        events = [signing.text_event(chatty, f"ข้อความที่ {i}") for i in range(6)]
        body, headers = signing.signed_webhook(CHANNEL_SECRET, *events[:4])
        assert client.post("/line/webhook", content=body, headers=headers).status_code == 200
        body, headers = signing.signed_webhook(CHANNEL_SECRET, *events[4:], signing.text_event(calm, "สวัสดีค่ะ"))
        assert client.post("/line/webhook", content=body, headers=headers).status_code == 200

        with client.app.state.console.sessions() as s:
            rows = {r.webhook_event_id: r for r in s.scalars(select(InboundEvent))}
        # Nothing lost: every event is stored, the calm citizen is not held back.
        assert len(rows) == 7

        def waits(event) -> bool:
            """Deferred: due at least a second after it arrived. How much later depends on where
            the sliding window's current bucket ends (1-60 s), so only the lower bound is fixed."""
            row = rows[event["webhookEventId"]]
            return row.next_attempt_at - row.received_at >= timedelta(seconds=0.9)

        assert [waits(e) for e in events] == [False, False, False, True, True, True]
        deadline = time.monotonic() + 5
        while NOTICE not in _pushed_texts(fake_line_url, chatty) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _pushed_texts(fake_line_url, chatty).count(NOTICE) == 1
        assert NOTICE not in _pushed_texts(fake_line_url, calm)
