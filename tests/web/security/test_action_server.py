"""The action server accepts only callers with its token (the Rasa servers) and, under
`make run`, listens on loopback only: a real process started like the stack starts it."""

from __future__ import annotations

import socket

import httpx
import pytest

from tools.processes import action_server, rasa_server, stack_tokens, web_app
from web.security.action_server import token_accepted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_token_comparison():
    assert token_accepted("s3cret", "s3cret")
    assert not token_accepted("s3cre", "s3cret") and not token_accepted(None, "s3cret")
    assert not token_accepted("", "")  # no configured token accepts nobody


@pytest.fixture
def actions(tmp_path):
    port = free_port()
    process = action_server(
        port=port,
        log_dir=tmp_path,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'cases.db'}", "ACTION_SERVER_TOKEN": "tok-" + "x" * 20},
    )
    process.start()
    try:
        process.wait_healthy(timeout=180)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


CALL = {
    "next_action": "action_my_tickets",
    "sender_id": "U" + "0" * 32,
    "tracker": {"sender_id": "U" + "0" * 32, "slots": {}, "events": [], "latest_message": {}},
    "domain": {},
    "version": "3.6.2",
}


def test_the_action_server_refuses_callers_without_the_token(actions):
    assert httpx.get(f"{actions}/health").status_code == 200
    assert httpx.post(f"{actions}/webhook", json=CALL).status_code == 403
    assert httpx.post(f"{actions}/webhook", params={"token": "wrong"}, json=CALL).status_code == 403
    assert httpx.get(f"{actions}/actions").status_code == 403
    allowed = httpx.post(f"{actions}/webhook", params={"token": "tok-" + "x" * 20}, json=CALL, timeout=30)
    assert allowed.status_code != 403, allowed.text


def test_the_stack_binds_loopback_and_uses_its_tokens(tmp_path):
    tokens = stack_tokens()
    rasa = rasa_server(
        model=tmp_path / "m.tar.gz", port=5005, action_url="http://127.0.0.1:5055/webhook", log_dir=tmp_path
    )
    argv = rasa.argv
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
    assert argv[argv.index("--auth-token") + 1] == tokens["RASA_AUTH_TOKEN"]
    assert rasa.env["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:5055/webhook?token={tokens['ACTION_SERVER_TOKEN']}"
    assert rasa.health_url.endswith(f"/status?token={tokens['RASA_AUTH_TOKEN']}")
    actions = action_server(port=5055, log_dir=tmp_path, env={})
    assert (
        actions.env["SANIC_HOST"] == "127.0.0.1" and actions.env["ACTION_SERVER_TOKEN"] == tokens["ACTION_SERVER_TOKEN"]
    )
    assert "web.security.action_server" in actions.argv
    web = web_app(port=8000, log_dir=tmp_path, env={})
    assert web.argv[web.argv.index("--host") + 1] == "127.0.0.1"
    assert web.env["RASA_AUTH_TOKEN"] == tokens["RASA_AUTH_TOKEN"]
