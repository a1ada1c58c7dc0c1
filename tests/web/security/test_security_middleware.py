"""Security headers, body size limits and per-IP / per-username rate limits on the real app."""

from __future__ import annotations

import json

import pytest

from gateway import signing
from web.security.middleware import rules_for, security_headers_for, username_from_body
from web.security.rate_limits import API_IP, LOGIN_IP, SIMULATOR_IP, WEBHOOK_IP
from tests.cases.factories import PASSWORD, officer
from tests.support.security import app_client
from tests.support.web import CHANNEL_SECRET

BASELINE = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    ("method", "path", "rules"),
    [
        ("POST", "/line/webhook", [WEBHOOK_IP]),
        ("GET", "/line/webhook", []),
        ("POST", "/simulator/api/send", [SIMULATOR_IP]),
        ("GET", "/simulator/api/messages", []),
        ("POST", "/api/auth/login", [LOGIN_IP]),
        ("POST", "/console/login", [LOGIN_IP]),
        ("GET", "/api/tickets", [API_IP]),
        ("GET", "/open311/v2/services.json", [API_IP]),
        ("GET", "/console", [API_IP]),
        ("GET", "/console/static/console.css", []),
        ("GET", "/healthz", []),
    ],
)
def test_which_limits_apply(method, path, rules):
    assert rules_for(method, path) == rules


def test_login_username_is_read_from_json_and_forms():
    assert username_from_body(b'{"username": " Admin "}', "application/json") == "admin"
    assert username_from_body(b"username=cbi&password=x", "application/x-www-form-urlencoded") == "cbi"
    assert username_from_body(b"\xff\xfe", "application/json") is None
    assert username_from_body(b"[1]", "application/json") is None


def test_hsts_only_behind_https():
    assert "Strict-Transport-Security" not in security_headers_for("/api/tickets", https=False)
    assert security_headers_for("/api/tickets", https=True)["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def client(monkeypatch, case_database, domain_file):
    with app_client(monkeypatch, case_database, domain_file) as client:
        yield client


@pytest.mark.parametrize(
    "path", ["/healthz", "/api/tickets", "/open311/v2/services.json", "/console/login", "/nowhere"]
)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path, follow_redirects=False)
    for name, value in BASELINE.items():
        assert response.headers[name] == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_console_pages_keep_their_own_csp_without_inline_scripts(client):
    csp = client.get("/console/login").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_json_api_may_not_run_anything(client):
    csp = client.get("/api/tickets").headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")


def test_hsts_and_secure_cookies_behind_https(monkeypatch, case_database, domain_file):
    with app_client(monkeypatch, case_database, domain_file, CONSOLE_COOKIE_SECURE=True) as client:
        with client.app.state.console.sessions.begin() as s:
            officer(s, "cbi-officer", "PIO-CBI")
        response = client.post("/api/auth/login", json={"username": "cbi-officer", "password": PASSWORD})
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie


def test_session_cookie_is_httponly_and_strict_without_https(client):
    with client.app.state.console.sessions.begin() as s:
        officer(s, "cbi-officer", "PIO-CBI")
    response = client.post("/api/auth/login", json={"username": "cbi-officer", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert "strict-transport-security" not in response.headers


def test_console_form_posts_need_the_csrf_token(client):
    with client.app.state.console.sessions.begin() as s:
        officer(s, "cbi-officer", "PIO-CBI")
    # Login without the double-submit cookie/field: refused, no session.
    response = client.post(
        "/console/login", data={"username": "cbi-officer", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 400 and "idee_console" not in response.headers.get("set-cookie", "")
    page = client.get("/console/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/console/login",
        data={"username": "cbi-officer", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # Logged in: a state-changing form post without the session's CSRF token is refused.
    assert client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    assert client.post("/console/logout", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403


def test_oversized_webhook_body_is_413_before_parsing(client):
    body = b'{"destination":"U0","events":[' + b" " * 1_000_001 + b"]}"
    headers = {"X-Line-Signature": signing.sign_body(body, CHANNEL_SECRET), "Content-Type": "application/json"}
    response = client.post("/line/webhook", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large", "max_bytes": 1_000_000}
    assert "x-content-type-options" in response.headers


def test_oversized_chunked_body_is_413_too(client):
    def chunks():
        for _ in range(40):
            yield b"x" * 10_000

    response = client.post("/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_a_large_but_allowed_webhook_body_is_accepted(client):
    event = signing.text_event(signing.new_user_id(), "ก" * 20_000)
    body, headers = signing.signed_webhook(CHANNEL_SECRET, event)
    assert 60_000 < len(body) < 1_000_000
    assert client.post("/line/webhook", content=body, headers=headers).status_code == 200


def test_login_is_limited_per_ip(monkeypatch, case_database, domain_file):
    env = {"RATE_LIMIT_LOGIN_PER_IP": "3/minute", "RATE_LIMIT_LOGIN_PER_USERNAME": "100/minute"}
    with app_client(monkeypatch, case_database, domain_file, security_env=env) as client:
        codes = [
            client.post("/api/auth/login", json={"username": f"nobody{i}", "password": "x"}).status_code
            for i in range(5)
        ]
        assert codes == [401, 401, 401, 429, 429]
        response = client.post("/api/auth/login", json={"username": "x", "password": "x"})
        assert int(response.headers["retry-after"]) >= 1
        assert response.json()["detail"] == "too many requests"
        # The console's login form shares the per-IP budget.
        assert client.post("/console/login", data={"username": "x"}).status_code == 429


def test_login_is_limited_per_username(monkeypatch, case_database, domain_file):
    env = {"RATE_LIMIT_LOGIN_PER_IP": "100/minute", "RATE_LIMIT_LOGIN_PER_USERNAME": "2/minute"}
    with app_client(monkeypatch, case_database, domain_file, security_env=env) as client:
        with client.app.state.console.sessions.begin() as s:
            officer(s, "cbi-officer", "PIO-CBI")
        attempt = lambda name: client.post("/api/auth/login", json={"username": name, "password": "wrong"}).status_code  # noqa: E731
        assert [attempt("cbi-officer"), attempt("CBI-Officer"), attempt("cbi-officer")] == [401, 401, 429]
        assert attempt("someone-else") == 401  # other accounts are not affected
        form = client.post("/console/login", data={"username": "cbi-officer", "password": PASSWORD, "csrf_token": "x"})
        assert form.status_code == 429  # even with the right password: the username is cooling down
        assert form.headers["content-type"].startswith("text/html") and "กรุณารอ" in form.text
        assert form.headers["content-security-policy"].startswith("default-src 'none'")  # no script, no style needed


def test_api_is_limited_per_ip(monkeypatch, case_database, domain_file):
    with app_client(
        monkeypatch, case_database, domain_file, security_env={"RATE_LIMIT_API_PER_IP": "4/minute"}
    ) as client:
        codes = [client.get("/api/tickets").status_code for _ in range(6)]
        assert codes == [401] * 4 + [429] * 2
        assert client.get("/healthz").status_code == 200


def test_webhook_per_ip_limit_answers_429_with_json(monkeypatch, case_database, domain_file):
    with app_client(
        monkeypatch, case_database, domain_file, security_env={"RATE_LIMIT_WEBHOOK_PER_IP": "2/minute"}
    ) as client:
        body, headers = signing.signed_webhook(CHANNEL_SECRET)
        codes = [client.post("/line/webhook", content=body, headers=headers).status_code for _ in range(3)]
        assert codes == [200, 200, 429]


def test_limits_can_be_switched_off(monkeypatch, case_database, domain_file):
    env = {"RATE_LIMIT_ENABLED": "false", "RATE_LIMIT_API_PER_IP": "1/minute"}
    with app_client(monkeypatch, case_database, domain_file, security_env=env) as client:
        assert {client.get("/api/tickets").status_code for _ in range(3)} == {401}


def test_invalid_content_length_is_a_clear_400(client):
    import httpx

    transport = httpx.ASGITransport(app=client.app)

    async def call():
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            request = http.build_request("POST", "/api/auth/login", content=b"{}")
            request.headers["content-length"] = "abc"
            return await http.send(request)

    import asyncio

    response = asyncio.run(call())
    assert response.status_code == 400
    assert json.loads(response.content)["detail"] == "invalid Content-Length header"
