"""Login, me, logout and lockout through the API (SQLite and PostgreSQL)."""

from tests.cases.factories import PASSWORD


def test_login_me_logout(console, world):
    response = console.client.post("/api/auth/login", json={"username": "cbi-officer", "password": PASSWORD})
    assert response.status_code == 200
    assert "idee_console" in response.cookies
    assert "httponly" in response.headers["set-cookie"].lower()
    # the cookie alone authenticates the browser
    assert console.client.get("/api/auth/me").json()["agency"] == "PIO-CBI"
    assert console.client.post("/api/auth/logout").status_code == 204
    console.client.cookies.clear()
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    assert console.client.get("/api/auth/me", headers=headers).status_code == 401  # revoked


def test_anonymous_and_forged_tokens_are_refused(console, world):
    assert console.client.get("/api/tickets").status_code == 401
    forged = {"Authorization": "Bearer eyJpZCI6NX0.forged.signature"}
    assert console.client.get("/api/tickets", headers=forged).status_code == 401


def test_lockout_after_five_wrong_passwords(console, world):
    codes = [
        console.client.post("/api/auth/login", json={"username": "admin", "password": "nope"}).status_code
        for _ in range(5)
    ]
    assert codes == [401] * 5  # locked now, but the answer does not say so
    right = console.client.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert right.status_code == 401


def test_admin_creates_accounts_others_cannot(console, world):
    body = {"username": "new", "password": PASSWORD, "agency": "DIW", "role": "supervisor"}
    officer = console.login("cbi-super")
    assert console.client.post("/api/officers", json=body, headers=officer).status_code == 403
    admin = console.login("admin")
    created = console.client.post("/api/officers", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["role"] == "supervisor"
    bad = console.client.post("/api/officers", json={**body, "username": "x", "agency": "NOPE"}, headers=admin)
    assert bad.status_code == 422
    listed = console.client.get("/api/officers", headers=console.login("cbi-super")).json()
    assert {o["username"] for o in listed} == {"cbi-officer", "cbi-officer2", "cbi-super"}
