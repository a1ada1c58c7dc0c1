"""Ticket endpoints (SQLite and PostgreSQL): list, export, detail, actions, notifications."""

import httpx

from tests.console.conftest import CITIZEN


def _pushes(console, user_id=CITIZEN):
    deliveries = httpx.get(f"{console.fake_line_url}/_fake/messages", params={"user_id": user_id}).json()
    return [d["payload"] for d in deliveries["messages"] if d["kind"] == "push"]


def test_list_filters_sort_and_pagination(console, world):
    me = console.login("cbi-officer")
    body = console.client.get("/api/tickets", headers=me).json()
    assert [t["tracking_number"] for t in body["items"]] == [world.fire, world.cbi]  # urgent first
    assert body["total"] == 2 and body["items"][0]["priority"] == "urgent"
    assert "line_user_id" not in body["items"][0]

    def numbers(**params):
        r = console.client.get("/api/tickets", params=params, headers=me)
        assert r.status_code == 200, r.text
        return [t["tracking_number"] for t in r.json()["items"]]

    assert numbers(q="ยางไทย") == [world.cbi]
    assert numbers(q="สารเคมี") == [world.fire]
    assert numbers(category="hazard") == [world.fire]
    assert numbers(state="resolved") == []
    assert numbers(overdue="true") == []
    assert numbers(province="ชลบุรี", sort="-created") == [world.fire, world.cbi]
    assert len(numbers(page_size=1, page=2)) == 1
    assert numbers(created_from="2000-01-01", created_to="2000-01-02") == []
    assert console.client.get("/api/tickets", params={"state": "bogus"}, headers=me).status_code == 422


def test_csv_export_has_bom_and_thai(console, world):
    response = console.client.get("/api/tickets/export.csv", headers=console.login("cbi-officer"))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "ไฟไหม้โกดังสารเคมี" in text and world.cbi in text and world.cmi not in text
    assert CITIZEN not in text


def test_detail_has_audit_trail_and_transcript(console, world):
    body = console.client.get(f"/api/tickets/{world.cbi}", headers=console.login("cbi-officer")).json()
    assert body["events"][0]["to_state"] == "new"
    assert body["transcript_available"] is True
    assert body["place_detail"] == "ซอยวัดป่า ข้างปั๊มน้ำมัน"
    assert [line["speaker"] for line in body["transcript"]] == ["citizen", "bot", "citizen", "bot", "citizen", "bot"]
    assert "acknowledged" in body["allowed_next_states"]
    assert CITIZEN not in str(body)


def test_detail_without_rasa_flags_the_transcript(database_url, fake_line_url, domain_file, world_factory=None):
    from tests.console.conftest import make_console
    from tests.support.web import closed_port_url
    from tests.cases.factories import officer, ticket

    for console in make_console(database_url, fake_line_url, closed_port_url()):
        with console.sessions.begin() as s:
            officer(s, "o", "PIO-CBI")
            number = ticket(s, line_user_id=CITIZEN).tracking_number
        body = console.client.get(f"/api/tickets/{number}", headers=console.login("o")).json()
        assert body["transcript_available"] is False and body["transcript"] is None


def test_state_change_is_audited_and_the_citizen_is_told(console, world):
    me = console.login("cbi-officer")
    r = console.client.post(
        f"/api/tickets/{world.cbi}/state", json={"state": "resolved", "note": "สั่งปรับปรุงระบบบำบัดกลิ่นแล้ว"}, headers=me
    )
    assert r.status_code == 200, r.text
    assert r.json()["notified"] is True and r.json()["ticket"]["state"] == "resolved"
    [push] = _pushes(console)
    text = push["messages"][0]["text"]
    assert world.cbi in text and "ดำเนินการแก้ไขแล้ว" in text and "บำบัดกลิ่น" in text
    events = console.client.get(f"/api/tickets/{world.cbi}", headers=me).json()["events"]
    assert events[-1] | {"created_at": None} == events[-1] | {
        "kind": "state",
        "actor": "cbi-officer",
        "from_state": "new",
        "to_state": "resolved",
        "note": "สั่งปรับปรุงระบบบำบัดกลิ่นแล้ว",
        "created_at": None,
    }
    again = console.client.post(f"/api/tickets/{world.cbi}/state", json={"state": "in_progress"}, headers=me)
    assert again.status_code == 409


def test_reply_reaches_the_citizen(console, world):
    me = console.login("cbi-officer")
    r = console.client.post(f"/api/tickets/{world.cbi}/reply", json={"text": "เจ้าหน้าที่จะลงพื้นที่พรุ่งนี้ค่ะ"}, headers=me)
    assert r.status_code == 200 and r.json()["notified"] is True
    assert "ลงพื้นที่พรุ่งนี้" in _pushes(console)[0]["messages"][0]["text"]
    kinds = [e["kind"] for e in console.client.get(f"/api/tickets/{world.cbi}", headers=me).json()["events"]]
    assert kinds == ["state", "reply"]


def test_supervisor_assigns_and_reroutes(console, world):
    sup = console.login("cbi-super")
    officers = console.client.get("/api/officers", headers=sup).json()
    target = next(o for o in officers if o["username"] == "cbi-officer2")
    r = console.client.post(f"/api/tickets/{world.cbi}/assign", json={"officer_id": target["id"]}, headers=sup)
    assert r.status_code == 200 and r.json()["ticket"]["assignee_id"] == target["id"]
    r = console.client.post(
        f"/api/tickets/{world.cbi}/reroute", json={"agency": "IEAT", "reason": "อยู่ในนิคมอมตะ"}, headers=sup
    )
    assert r.status_code == 200 and r.json()["ticket"]["agency"] == "IEAT"
    # gone from the supervisor's scope now; the admin sees the training signal
    assert console.client.get(f"/api/tickets/{world.cbi}", headers=sup).status_code == 404
    events = console.client.get(f"/api/tickets/{world.cbi}", headers=console.login("admin")).json()["events"]
    assert (events[-1]["kind"], events[-1]["from_agency"], events[-1]["to_agency"]) == ("reroute", "PIO-CBI", "IEAT")
    bad = console.client.post(f"/api/tickets/{world.fire}/reroute", json={"agency": "NOPE", "reason": "x"}, headers=sup)
    assert bad.status_code == 422
