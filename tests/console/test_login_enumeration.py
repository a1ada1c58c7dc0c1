"""A failed login never tells whether the username exists (API and page, SQLite and PostgreSQL)."""

import re

import argon2
import pytest

from cases.accounts import MAX_FAILED_LOGINS
from tests.cases.factories import PASSWORD
from tests.console.test_pages import page_login


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 hash or verify: the expensive work a refusal costs."""
    calls: list[str] = []
    real_hash, real_verify = argon2.PasswordHasher.hash, argon2.PasswordHasher.verify

    def counted_hash(self, password, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("hash")
        return real_hash(self, password, *args, **kwargs)

    def counted_verify(self, hash, password):  # type: ignore[no-untyped-def]
        calls.append("verify")
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "hash", counted_hash)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", counted_verify)
    return calls


def _lock(console, username: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(MAX_FAILED_LOGINS):
        console.client.post("/api/auth/login", json={"username": username, "password": "wrong password!"})


def test_api_answers_alike_for_unknown_wrong_and_locked(console, world, argon2_calls):
    def attempt(username: str, password: str) -> tuple[int, dict, int]:
        argon2_calls.clear()
        response = console.client.post("/api/auth/login", json={"username": username, "password": password})
        return response.status_code, response.json(), len(argon2_calls)

    unknown = attempt("nobody-here", "wrong password!")
    wrong = attempt("cbi-officer", "wrong password!")
    _lock(console, "admin")
    locked_wrong = attempt("admin", "wrong password!")
    locked_right = attempt("admin", PASSWORD)
    assert unknown[0] == 401
    assert unknown == wrong == locked_wrong == locked_right
    assert unknown[2] == 1  # one argon2 operation each: the dummy hash for an unknown name


def test_page_answers_alike_for_unknown_wrong_and_locked(console, world):
    _lock(console, "admin")
    answers = [
        page_login(console, "nobody-here", "wrong password!"),
        page_login(console, "cbi-officer", "wrong password!"),
        page_login(console, "admin", "wrong password!"),
        page_login(console, "admin"),
    ]
    assert {r.status_code for r in answers} == {401}
    assert len({_error_text(r.text) for r in answers}) == 1


def _error_text(html: str) -> str:
    # the page differs only by its CSRF token; compare it without that
    return re.sub(r'value="[^"]*"', "", html)
