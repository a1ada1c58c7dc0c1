"""The console footer's live NLU model: Rasa's GET /status, cached, never blocking on errors."""

from __future__ import annotations

import httpx

from console import nlu_model
from console.nlu_model import LiveModel, LiveModelCache, fetch_status


def test_label_shows_the_version_from_the_versioned_file():
    live = LiveModel("idee-20261125-1600-5697249f.tar.gz", "3f2a9c0d1e2f4a5b")
    assert live.version == "idee-20261125-1600-5697249f"
    assert live.label == "idee-20261125-1600-5697249f · id 3f2a9c0d"
    assert "ไม่ทราบ" in LiveModel(None, None).label


def test_fetch_status_reads_rasa_and_survives_rasa_down(monkeypatch):
    def fake_get(url, timeout, params=None):
        assert url == "http://rasa:5005/status" and timeout <= 1
        return httpx.Response(
            200, json={"model_file": "idee-x.tar.gz", "model_id": "abc"}, request=httpx.Request("GET", url)
        )

    monkeypatch.setattr(nlu_model.httpx, "get", fake_get)
    assert fetch_status("http://rasa:5005/") == LiveModel("idee-x.tar.gz", "abc")

    def down(url, timeout, params=None):
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(nlu_model.httpx, "get", down)
    assert fetch_status("http://rasa:5005") == LiveModel(None, None)


def test_cache_asks_rasa_again_only_after_it_expires():
    calls, now = [], [0.0]
    cache = LiveModelCache(lambda: calls.append(1) or LiveModel("m", str(len(calls))), seconds=30, clock=lambda: now[0])
    assert cache().model_id == "1" and cache().model_id == "1"
    now[0] = 31.0
    assert cache().model_id == "2" and len(calls) == 2


def test_console_pages_show_the_live_model_in_the_footer(console, world, tracker_url):
    from tests.console.test_pages import page_login

    page_login(console, "cbi-officer")
    page = console.client.get("/console")
    assert page.status_code == 200
    # the tracker fixture's server is the console's RASA_URL: no /status there, so "unknown"
    assert "โมเดล NLU ที่ใช้งาน: ไม่ทราบ" in page.text
    assert "โมเดล NLU" not in console.client.get("/console/login").text  # only for officers
