"""The authorization matrix: every denial the issue lists, on SQLite and PostgreSQL."""

import pytest


def _status(console, method, path, headers, json=None):
    return console.client.request(method, path, headers=headers, json=json).status_code


def _actions(number):
    return [
        ("GET", f"/api/tickets/{number}", None),
        ("POST", f"/api/tickets/{number}/state", {"state": "acknowledged"}),
        ("POST", f"/api/tickets/{number}/reply", {"text": "สวัสดี"}),
    ]


def test_officer_of_agency_a_cannot_touch_agency_b(console, world):
    cmi = console.login("cmi-officer")
    for method, path, body in _actions(world.cbi):
        assert _status(console, method, path, cmi, body) == 404
    listed = console.client.get("/api/tickets", headers=cmi).json()["items"]
    assert [t["tracking_number"] for t in listed] == [world.cmi]
    assert console.client.get("/api/tickets", params={"agency": "PIO-CBI"}, headers=cmi).json()["total"] == 0


@pytest.mark.parametrize("who", ["admin", "cbi-officer", "cbi-super"])
def test_corruption_tickets_are_acoc_only(console, world, who):
    headers = console.login(who)
    for method, path, body in _actions(world.bribe):
        assert _status(console, method, path, headers, body) == 404
    assert world.bribe not in console.client.get("/api/tickets/export.csv", headers=headers).text
    numbers = {t["tracking_number"] for t in console.client.get("/api/tickets", headers=headers).json()["items"]}
    assert world.bribe not in numbers


def test_acoc_sees_only_corruption(console, world):
    acoc = console.login("acoc-officer")
    assert _status(console, "GET", f"/api/tickets/{world.bribe}", acoc) == 200
    numbers = {t["tracking_number"] for t in console.client.get("/api/tickets", headers=acoc).json()["items"]}
    assert numbers == {world.bribe}


def test_admin_sees_every_agency_but_acoc(console, world):
    numbers = {
        t["tracking_number"] for t in console.client.get("/api/tickets", headers=console.login("admin")).json()["items"]
    }
    assert numbers == {world.cbi, world.cmi, world.fire}


def test_guessed_tracking_numbers_look_missing(console, world):
    cbi = console.login("cbi-officer")
    neighbours = [world.cmi, world.bribe.lower(), world.cbi[:-6] + "999999"]
    for guess in neighbours + ["1", "%2e%2e", "IDEE-2569-00000%25"]:
        assert _status(console, "GET", f"/api/tickets/{guess}", cbi) == 404


def test_officers_cannot_route(console, world):
    officer = console.login("cbi-officer")
    assert _status(console, "POST", f"/api/tickets/{world.cbi}/assign", officer, {"officer_id": 1}) == 403
    assert (
        _status(console, "POST", f"/api/tickets/{world.cbi}/reroute", officer, {"agency": "DIW", "reason": "x"}) == 403
    )
    assert _status(console, "GET", "/api/officers", officer) == 403


def test_supervisor_cannot_assign_across_agencies(console, world):
    sup = console.login("cbi-super")
    admin_id = console.client.get("/api/auth/me", headers=console.login("admin")).json()["id"]
    assert _status(console, "POST", f"/api/tickets/{world.cbi}/assign", sup, {"officer_id": admin_id}) == 422
    assert _status(console, "POST", f"/api/tickets/{world.cmi}/assign", sup, {"officer_id": admin_id}) == 404
