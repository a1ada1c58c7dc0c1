"""Accounts on SQLite and PostgreSQL: hashing, lockout, logout."""

from datetime import datetime, timedelta, timezone

import pytest

from cases.accounts import (
    MAX_FAILED_LOGINS,
    AccountError,
    Role,
    authenticate,
    create_officer,
    end_sessions,
)
from cases.accounts_cli import main as cli_main
from cases.db import make_engine, make_session_factory
from tests.cases.factories import PASSWORD, officer


def test_password_is_hashed_with_argon2(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        account = officer(session, "Somchai", "PIO-CBI")
        assert account.username == "somchai"
        assert account.password_hash.startswith("$argon2")
        assert PASSWORD not in account.password_hash
        assert authenticate(session, username="SOMCHAI", password=PASSWORD).officer is account
        assert authenticate(session, username="somchai", password="wrong").error == "invalid"
        assert authenticate(session, username="nobody", password=PASSWORD).error == "invalid"


def test_bad_accounts_are_refused(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        officer(session, "a", "DIW")
        for kwargs in (
            {"username": "b", "password": PASSWORD, "agency": "NOPE"},
            {"username": "b", "password": "short", "agency": "DIW"},
            {"username": "a", "password": PASSWORD, "agency": "DIW"},
        ):
            with pytest.raises(AccountError):
                create_officer(session, **kwargs)


def test_lockout_after_five_failures(database_url):
    now = datetime(2026, 1, 5, 3, tzinfo=timezone.utc)
    with make_session_factory(make_engine(database_url)).begin() as session:
        officer(session, "somsri", "DIW")
        results = [
            authenticate(session, username="somsri", password="wrong", now=now).error for _ in range(MAX_FAILED_LOGINS)
        ]
        assert results == ["invalid"] * (MAX_FAILED_LOGINS - 1) + ["locked"]
        # even the right password is refused while locked
        assert authenticate(session, username="somsri", password=PASSWORD, now=now).error == "locked"
        later = now + timedelta(minutes=16)
        assert authenticate(session, username="somsri", password=PASSWORD, now=later).officer


def test_logout_bumps_the_session_version(database_url):
    with make_session_factory(make_engine(database_url)).begin() as session:
        account = officer(session, "x", "DIW", Role.SUPERVISOR)
        end_sessions(session, officer=account)
        assert account.session_version == 1


def test_cli_creates_the_first_admin(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("IDEE_PASSWORD", PASSWORD)
    assert cli_main(["create-admin", "--username", "root"]) == 0
    assert "created admin root of OPS" in capsys.readouterr().out
    assert cli_main(["create-admin", "--username", "root"]) == 1
    with make_session_factory(make_engine(database_url)).begin() as session:
        assert authenticate(session, username="root", password=PASSWORD).officer.role == "admin"
