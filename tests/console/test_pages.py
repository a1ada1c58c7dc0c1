"""The web console's pages (SQLite and PostgreSQL): login, list, ticket, actions, dashboard.

Authorization is the API's: every check here is made on the server's answer, not on
which buttons a page shows.
"""

import re

import httpx
import pytest

from tests.cases.factories import PASSWORD
from tests.console.conftest import CITIZEN


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def page_login(console, username: str, password: str = PASSWORD, next_path: str = "/console"):  # type: ignore[no-untyped-def]
    console.client.cookies.clear()
    form = console.client.get("/console/login")
    return console.client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": _csrf(form.text), "next": next_path},
        follow_redirects=False,
    )


def _pushes(console):  # type: ignore[no-untyped-def]
    deliveries = httpx.get(f"{console.fake_line_url}/_fake/messages", params={"user_id": CITIZEN}).json()
    return [d["payload"] for d in deliveries["messages"] if d["kind"] == "push"]


def test_pages_need_a_login_and_login_needs_its_csrf_cookie(console, world):
    r = console.client.get("/console/dashboard?days=30", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?next=%2Fconsole%2Fdashboard%3Fdays%3D30"
    assert console.client.get(f"/console/tickets/{world.cbi}", follow_redirects=False).status_code == 303
    forged = console.client.post(
        "/console/login",
        data={"username": "cbi-officer", "password": PASSWORD, "csrf_token": "x"},
        follow_redirects=False,
    )
    assert forged.status_code == 400 and "idee_console" not in forged.cookies
    wrong = page_login(console, "cbi-officer", "wrong password!")
    assert wrong.status_code == 401 and "ไม่ถูกต้อง" in wrong.text
    ok = page_login(console, "cbi-officer", next_path="/console/dashboard")
    assert ok.status_code == 303 and ok.headers["location"] == "/console/dashboard"
    assert "httponly" in ok.headers["set-cookie"].lower() and "samesite=strict" in ok.headers["set-cookie"].lower()
    assert page_login(console, "cbi-officer", next_path="https://evil.example/").headers["location"] == "/console"


def test_list_shows_only_the_agency_s_tickets_with_badges_and_filters(console, world):
    page_login(console, "cbi-officer")
    html = console.client.get("/console").text
    assert world.cbi in html and world.fire in html and world.cmi not in html and world.bribe not in html
    assert html.index(world.fire) < html.index(world.cbi)  # urgent first
    assert "ด่วน" in html and "Content-Security-Policy" in console.client.get("/console").headers
    assert world.cbi not in console.client.get("/console", params={"q": "สารเคมี"}).text
    assert world.fire not in console.client.get("/console", params={"category": "odor"}).text
    assert "ไม่พบเรื่อง" in console.client.get("/console", params={"overdue": "1"}).text
    # junk filter values are ignored, not an error
    assert console.client.get("/console", params={"state": "<script>", "page": "0"}).status_code == 200


def test_ticket_page_hides_other_agencies_and_shows_history_and_transcript(console, world):
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    assert "โรงงานส่งกลิ่นเหม็นทุกคืน" in html and "บริษัท ยางไทย จำกัด" in html
    assert "ซอยวัดป่า ข้างปั๊มน้ำมัน" in html  # where exactly, as the citizen put it
    assert "รับเรื่องแล้วค่ะ" in html  # transcript from the tracker stub
    assert CITIZEN not in html
    for other in (world.cmi, world.bribe, "IDEE-2569-999999"):
        r = console.client.get(f"/console/tickets/{other}")
        assert r.status_code == 404 and other not in r.text


def test_state_change_needs_csrf_is_audited_and_pushed_to_the_citizen(console, world):
    page_login(console, "cbi-officer")
    csrf = _csrf(console.client.get(f"/console/tickets/{world.cbi}").text)
    url = f"/console/tickets/{world.cbi}/state"
    form = {"state": "resolved", "note": "สั่งปรับปรุงระบบบำบัดกลิ่นแล้ว", "notify": "1"}
    assert console.client.post(url, data=form, follow_redirects=False).status_code == 403
    assert console.client.post(url, data=form | {"csrf_token": "0" * 64}).status_code == 403
    assert _pushes(console) == []
    r = console.client.post(url, data=form | {"csrf_token": csrf}, follow_redirects=False)
    assert r.headers["location"] == f"/console/tickets/{world.cbi}?msg=state_notified"
    [push] = _pushes(console)
    assert world.cbi in push["messages"][0]["text"] and "บำบัดกลิ่น" in push["messages"][0]["text"]
    html = console.client.get(r.headers["location"]).text
    assert "แจ้งผู้ร้องทาง LINE แล้ว" in html and "สั่งปรับปรุงระบบบำบัดกลิ่นแล้ว" in html
    again = console.client.post(url, data={"state": "in_progress", "csrf_token": csrf}, follow_redirects=False)
    assert again.headers["location"].endswith("?error=409")
    other = console.client.post(
        f"/console/tickets/{world.cmi}/state", data=form | {"csrf_token": csrf}, follow_redirects=False
    )
    assert other.headers["location"].endswith("?error=404")


def test_reply_assign_and_reroute_follow_the_api_s_roles(console, world):
    page_login(console, "cbi-officer")
    csrf = _csrf(console.client.get(f"/console/tickets/{world.cbi}").text)
    r = console.client.post(
        f"/console/tickets/{world.cbi}/reply",
        data={"text": "จะลงพื้นที่พรุ่งนี้ค่ะ", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.headers["location"].endswith("msg=reply_notified")
    assert "ลงพื้นที่พรุ่งนี้" in _pushes(console)[0]["messages"][0]["text"]
    # a plain officer cannot reroute, even by posting the form by hand
    r = console.client.post(
        f"/console/tickets/{world.cbi}/reroute",
        data={"agency": "IEAT", "reason": "x", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.headers["location"].endswith("?error=403")
    assert "มอบหมายให้" not in console.client.get(f"/console/tickets/{world.cbi}").text

    page_login(console, "cbi-super")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    csrf = _csrf(html)
    officer_id = re.search(r'<option value="(\d+)"[^>]*>cbi-officer2', html).group(1)
    r = console.client.post(
        f"/console/tickets/{world.cbi}/assign",
        data={"officer_id": officer_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.headers["location"].endswith("msg=assign")
    r = console.client.post(
        f"/console/tickets/{world.cbi}/reroute",
        data={"agency": "IEAT", "reason": "อยู่ในนิคมอมตะ", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/console?msg=reroute"
    assert console.client.get(f"/console/tickets/{world.cbi}").status_code == 404


def test_logout_ends_the_session(console, world):
    page_login(console, "cbi-officer")
    csrf = _csrf(console.client.get("/console").text)
    assert console.client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    r = console.client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.headers["location"] == "/console/login"
    assert console.client.get("/console", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "who, sees, hidden",
    [
        ("admin", ["PIO-CBI", "PIO-CMI"], ["ACOC"]),
        ("acoc-officer", ["ACOC"], ["PIO-CBI"]),
        ("cmi-officer", ["PIO-CMI"], ["PIO-CBI", "ACOC"]),
    ],
)
def test_dashboard_covers_only_the_viewer_s_scope(console, world, who, sees, hidden):
    page_login(console, who)
    r = console.client.get("/console/dashboard")
    assert r.status_code == 200
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', r.text, re.S).group(1)
    import json

    agencies = json.loads(data)["agency"]["labels"]
    assert set(sees) <= set(agencies) and not set(hidden) & set(agencies)
    assert "จุดที่ถูกร้องเรียนซ้ำ" in r.text


def test_static_files_are_served_gzipped(console):
    r = console.client.get("/console/static/vendor/chart.umd.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert console.client.get("/console/static/console.css").status_code == 200
