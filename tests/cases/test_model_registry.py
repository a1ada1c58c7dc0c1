"""The NLU model registry (migration 0010) on SQLite and PostgreSQL."""

from __future__ import annotations

from cases.db import make_engine, make_session_factory
from cases.model_registry import history, live_deployment, record_deployment, rollback_target, version_names
from cases.models import Ticket


def test_deployments_rollback_and_names(database_url):
    factory = make_session_factory(make_engine(database_url))
    with factory.begin() as session:
        assert live_deployment(session) is None and rollback_target(session) is None
        record_deployment(
            session,
            model_id="a" * 32,
            version="idee-20261120-0900-aaaaaaaa",
            model_file="/m/a.tar.gz",
            deployed_by="trainer",
            data_hash="aaaaaaaa",
            gate_verdict="accepted",
            macro_f1=0.81,
        )
        assert rollback_target(session) is None  # nothing earlier to go back to
        second = record_deployment(
            session,
            model_id="b" * 32,
            version="idee-20261125-1600-bbbbbbbb",
            model_file="/m/b.tar.gz",
            deployed_by="trainer",
        )
        assert second.previous_model_id == "a" * 32
        assert live_deployment(session).model_id == "b" * 32
        assert rollback_target(session).model_file == "/m/a.tar.gz"
        # a rollback is one more row; the model before it becomes the next rollback target
        record_deployment(
            session,
            model_id="a" * 32,
            version="idee-20261120-0900-aaaaaaaa",
            model_file="/m/a.tar.gz",
            deployed_by="trainer",
            note="rollback",
        )
        assert rollback_target(session).model_id == "b" * 32
        assert [row.note for row in history(session)] == ["rollback", None, None]
        assert version_names(session, ["a" * 32, "c" * 32, None]) == {"a" * 32: "idee-20261120-0900-aaaaaaaa"}


def test_a_ticket_keeps_its_nlu_model_version(database_url):
    from cases.repository import TicketDraft, create_ticket
    from cases.taxonomy import Category

    factory = make_session_factory(make_engine(database_url))
    with factory.begin() as session:
        ticket = create_ticket(
            session,
            draft=TicketDraft(
                category=Category.ODOR, description="เหม็นมาก", province="ระยอง", nlu_model_version="f" * 32
            ),
        )
        ticket_id = ticket.id
    with factory() as session:
        assert session.get(Ticket, ticket_id).nlu_model_version == "f" * 32
