"""Handoff pages and API (SQLite and PostgreSQL): who sees which conversation, replies
pushed on LINE, hand back; forms need the session's CSRF token."""

from dataclasses import dataclass

import httpx
import pytest

from cases.handoff import add_citizen_message, open_handoff
from cases.models import Handoff
from cases.taxonomy import Category
from tests.cases.factories import ticket
from tests.console.conftest import CITIZEN
from tests.console.test_pages import _csrf, page_login

LONELY = "U" + "d" * 32  # no ticket: untied handoff
WHISTLEBLOWER = "U" + "9" * 32  # a corruption ticket


@dataclass
class Handoffs:
    tied: int
    untied: int
    corruption: int


@pytest.fixture
def handoffs(console, world) -> Handoffs:
    with console.sessions.begin() as s:
        ticket(s, category=Category.CORRUPTION, description="เรียกรับเงิน", line_user_id=WHISTLEBLOWER)
        ids = {}
        for name, user in (("tied", CITIZEN), ("untied", LONELY), ("corruption", WHISTLEBLOWER)):
            opened = open_handoff(s, line_user_id=user)
            add_citizen_message(s, handoff=s.get(Handoff, opened.handoff_id), text=f"ข้อความจาก {name}")
            ids[name] = opened.handoff_id
    return Handoffs(**ids)


def _pushes(console, user):  # type: ignore[no-untyped-def]
    deliveries = httpx.get(f"{console.fake_line_url}/_fake/messages", params={"user_id": user}).json()
    return [d["payload"] for d in deliveries["messages"] if d["kind"] == "push"]


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("cbi-officer", {"tied"}),
        ("cmi-officer", set()),
        ("admin", {"tied", "untied"}),  # OPS administrator: the central desk, never corruption
        ("acoc-officer", {"corruption"}),
    ],
)
def test_each_officer_sees_only_the_conversations_of_their_scope(console, handoffs, who, sees):
    ids = {getattr(handoffs, n): n for n in ("tied", "untied", "corruption")}
    listing = console.client.get("/api/handoffs", headers=console.login(who))
    assert listing.status_code == 200
    assert {ids[h["id"]] for h in listing.json()["items"]} == sees
    for handoff_id, name in ids.items():
        detail = console.client.get(f"/api/handoffs/{handoff_id}", headers=console.login(who))
        assert detail.status_code == (200 if name in sees else 404)
    page_login(console, who)
    html = console.client.get("/console/handoffs").text
    for name in ("tied", "untied", "corruption"):
        assert (f"ข้อความจาก {name}" in html) == (name in sees)


def test_the_api_needs_a_login(console, handoffs):
    console.client.cookies.clear()
    assert console.client.get("/api/handoffs").status_code == 401
    assert console.client.post(f"/api/handoffs/{handoffs.tied}/close").status_code == 401


def test_reply_and_hand_back_from_the_page(console, handoffs):
    page_login(console, "cmi-officer")
    csrf_other = _csrf(console.client.get("/console").text)
    r = console.client.post(
        f"/console/handoffs/{handoffs.tied}/reply", data={"text": "x", "csrf_token": csrf_other}, follow_redirects=False
    )
    assert r.headers["location"].endswith("?error=404")
    assert console.client.get(f"/console/handoffs/{handoffs.tied}").status_code == 404

    page_login(console, "cbi-officer")
    url = f"/console/handoffs/{handoffs.tied}"
    page = console.client.get(url)
    assert page.status_code == 200 and "ข้อความจาก tied" in page.text
    csrf = _csrf(page.text)
    assert console.client.post(f"{url}/reply", data={"text": "สวัสดีค่ะ"}, follow_redirects=False).status_code == 403
    assert _pushes(console, CITIZEN) == []
    r = console.client.post(
        f"{url}/reply", data={"text": "สวัสดีค่ะ ขอเบอร์ติดต่อกลับด้วยนะคะ", "csrf_token": csrf}, follow_redirects=False
    )
    assert r.headers["location"] == f"{url}?msg=sent"
    [push] = _pushes(console, CITIZEN)
    assert "ขอเบอร์ติดต่อกลับ" in push["messages"][0]["text"]
    assert "ขอเบอร์ติดต่อกลับ" in console.client.get(url).text
    empty = console.client.post(f"{url}/reply", data={"text": "  ", "csrf_token": csrf}, follow_redirects=False)
    assert empty.headers["location"].endswith("?error=422")

    r = console.client.post(f"{url}/close", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.headers["location"] == f"{url}?msg=back"
    assert "กลับมาดูแล" in _pushes(console, CITIZEN)[-1]["messages"][0]["text"]
    closed = console.client.get(url).text
    assert "สิ้นสุดแล้ว" in closed and 'id="handoff-reply"' not in closed
    again = console.client.post(f"{url}/close", data={"csrf_token": csrf}, follow_redirects=False)
    assert again.headers["location"].endswith("?error=409")
    assert "ข้อความจาก tied" not in console.client.get("/console/handoffs").text
