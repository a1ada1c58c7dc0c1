"""Who may manage which account, and the audit of every account change (SQLite and PostgreSQL)."""

from sqlalchemy import select

from cases.accounts import Role, authenticate, change_password, may_manage, set_active
from cases.accounts_cli import main as cli_main
from cases.db import make_engine, make_session_factory
from cases.models import AccountEvent
from tests.cases.factories import PASSWORD, officer


def test_only_an_acoc_administrator_manages_acoc_and_administrator_accounts():
    assert may_manage(actor_agency="OPS", actor_role=Role.ADMIN, agency="PIO-CBI", role=Role.OFFICER)
    assert not may_manage(actor_agency="OPS", actor_role=Role.ADMIN, agency="ACOC", role=Role.OFFICER)
    assert not may_manage(actor_agency="OPS", actor_role=Role.ADMIN, agency="OPS", role=Role.ADMIN)
    assert may_manage(actor_agency="ACOC", actor_role=Role.ADMIN, agency="ACOC", role=Role.ADMIN)
    assert not may_manage(actor_agency="ACOC", actor_role=Role.OFFICER, agency="PIO-CBI", role=Role.OFFICER)


def test_every_account_change_is_audited(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        account = officer(session, "somchai", "PIO-CBI")
        set_active(session, officer=account, active=False, actor="boss")
        assert authenticate(session, username="somchai", password=PASSWORD).error == "invalid"
        set_active(session, officer=account, active=True, actor="boss")
        change_password(session, officer=account, new_password="another long password", actor="boss")
        assert authenticate(session, username="somchai", password="another long password").officer is account
        rows = session.scalars(select(AccountEvent).order_by(AccountEvent.id)).all()
        assert [(r.actor, r.action, r.username) for r in rows] == [
            ("system", "create", "somchai"),
            ("boss", "deactivate", "somchai"),
            ("boss", "activate", "somchai"),
            ("boss", "password", "somchai"),
        ]
        assert not any("another long password" in str(vars(r)) for r in rows)


def test_the_cli_is_audited_as_the_cli(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("IDEE_PASSWORD", PASSWORD)
    assert cli_main(["create-admin", "--username", "root", "--agency", "ACOC"]) == 0
    with make_session_factory(make_engine(database_url)).begin() as session:
        (row,) = session.scalars(select(AccountEvent)).all()
        assert row.action == "create" and row.actor.startswith("cli:") and row.agency == "ACOC"
