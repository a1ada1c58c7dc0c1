"""Accounts over the API and the console: an ordinary administrator cannot create (or
change) ACOC or administrator accounts; deactivation and password change end sessions;
everything is audited."""

from cases.accounts import Role
from tests.cases.factories import PASSWORD, officer
from tests.console.test_pages import _csrf, page_login

NEW = "a long enough password"


def test_an_ordinary_administrator_cannot_create_an_acoc_or_admin_account(console, world):
    admin = console.login("admin")
    for agency, role in (("ACOC", "admin"), ("ACOC", "officer"), ("OPS", "admin")):
        r = console.client.post(
            "/api/officers",
            json={"username": f"x-{agency}-{role}", "password": NEW, "agency": agency, "role": role},
            headers=admin,
        )
        assert r.status_code == 403, r.text
    ok = console.client.post(
        "/api/officers", json={"username": "new-one", "password": NEW, "agency": "PIO-CBI"}, headers=admin
    )
    assert ok.status_code == 201, ok.text
    audit = console.client.get("/api/officers/audit", headers=admin).json()
    assert audit[0]["action"] == "create" and audit[0]["actor"] == "admin" and audit[0]["username"] == "new-one"


def test_an_acoc_administrator_creates_acoc_accounts(console, world):
    with console.sessions.begin() as s:
        officer(s, "acoc-admin", "ACOC", Role.ADMIN)
    r = console.client.post(
        "/api/officers",
        json={"username": "acoc2", "password": NEW, "agency": "ACOC"},
        headers=console.login("acoc-admin"),
    )
    assert r.status_code == 201, r.text


def test_deactivation_ends_sessions_and_login_and_is_scoped(console, world):
    victim = console.login("cbi-officer")
    admin = console.login("admin")
    ids = {
        o["username"]: o["id"]
        for o in console.client.get("/api/officers", params={"agency": "PIO-CBI"}, headers=admin).json()
    }
    acoc_id = console.client.get("/api/officers", params={"agency": "ACOC"}, headers=admin).json()[0]["id"]
    assert console.client.post(f"/api/officers/{acoc_id}/deactivate", headers=admin).status_code == 403
    r = console.client.post(f"/api/officers/{ids['cbi-officer']}/deactivate", headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert console.client.get("/api/auth/me", headers=victim).status_code == 401
    assert (
        console.client.post("/api/auth/login", json={"username": "cbi-officer", "password": PASSWORD}).status_code
        == 401
    )
    assert console.client.post("/api/officers/99999/deactivate", headers=admin).status_code == 404
    assert console.client.get("/api/officers/audit", headers=console.login("cbi-super")).status_code == 403


def test_an_officer_changes_their_own_password(console, world):
    me = console.login("cbi-officer")
    other_session = console.login("cbi-officer")
    wrong = console.client.post(
        "/api/auth/password", json={"current_password": "nope", "new_password": NEW}, headers=me
    )
    assert wrong.status_code == 403
    short = console.client.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=me
    )
    assert short.status_code == 422
    r = console.client.post("/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=me)
    assert r.status_code == 200, r.text
    fresh = {"Authorization": f"Bearer {r.json()['token']}"}
    assert console.client.get("/api/auth/me", headers=fresh).status_code == 200
    assert console.client.get("/api/auth/me", headers=other_session).status_code == 401
    console.login("cbi-officer", NEW)


def test_the_console_page_changes_the_password_and_deactivates(console, world):
    page_login(console, "cbi-officer")
    page = console.client.get("/console/account")
    assert page.status_code == 200 and "เปลี่ยนรหัสผ่าน" in page.text and "ระงับบัญชี" not in page.text
    r = console.client.post(
        "/console/account/password",
        data={"csrf_token": _csrf(page.text), "current_password": PASSWORD, "new_password": NEW},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "msg=password" in r.headers["location"]
    assert "เปลี่ยนรหัสผ่านแล้ว" in console.client.get(r.headers["location"]).text  # the new cookie works
    page_login(console, "admin")
    page = console.client.get("/console/account")
    assert "cbi-officer2" in page.text and "acoc-officer" not in page.text  # ACOC accounts not offered
    ids = {o["username"]: o["id"] for o in console.client.get("/api/officers", params={"agency": "PIO-CBI"}).json()}
    r = console.client.post(
        f"/console/account/{ids['cbi-officer2']}/active",
        data={"csrf_token": _csrf(page.text), "active": "0"},
        follow_redirects=False,
    )
    assert "msg=deactivated" in r.headers["location"]
    assert (
        console.client.post("/api/auth/login", json={"username": "cbi-officer2", "password": PASSWORD}).status_code
        == 401
    )
