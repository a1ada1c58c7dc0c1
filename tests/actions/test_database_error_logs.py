"""A database error in an action is logged by its class and the sender's pseudonym only.

psycopg's message (``DETAIL: Key (...)=(...)``) and a statement's parameters can carry a
phone number, a name or a LINE user id; neither the text nor the traceback may reach the log.
The action server's log masking (actions/__init__.py) hides phone numbers and LINE user ids
but not a name, so the name is the value that would otherwise get through.
"""

from __future__ import annotations

import logging

import psycopg.errors
import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import IntegrityError

from actions.feedback import ActionTicketFeedback
from cases.privacy import pseudonym
from tests.actions.conftest import make_tracker

CITIZEN = "U" + "e" * 32
PHONE = "0812345678"
NAME = "สมชาย ใจดี"


def failing_transaction(work):  # type: ignore[no-untyped-def]
    driver_error = psycopg.errors.UniqueViolation(
        'duplicate key value violates unique constraint "uq_example"\n'
        "DETAIL:  Key (contact_phone, subject_name, line_user_id)"
        f"=({PHONE}, {NAME}, {CITIZEN}) already exists."
    )
    raise IntegrityError(
        "INSERT INTO example (contact_phone, subject_name, line_user_id) VALUES (%(phone)s, %(name)s, %(user)s)",
        {"phone": PHONE, "name": NAME, "user": CITIZEN},
        driver_error,
    )


async def test_a_database_error_with_a_phone_number_never_reaches_the_log(monkeypatch, caplog):
    monkeypatch.setattr("actions.feedback.in_transaction", failing_transaction)
    tracker = make_tracker(
        sender_id=CITIZEN,
        entities=[
            {"entity": "tracking_number", "value": "IDEE-2569-000001"},
            {"entity": "solved", "value": "yes"},
        ],
    )
    dispatcher = CollectingDispatcher()
    with caplog.at_level(logging.DEBUG):
        await ActionTicketFeedback().run(dispatcher, tracker, {})

    assert [m["response"] for m in dispatcher.messages] == ["utter_feedback_unavailable"]
    assert "feedback not stored" in caplog.text
    assert "IntegrityError" in caplog.text and pseudonym(CITIZEN) in caplog.text
    assert PHONE not in caplog.text and NAME not in caplog.text and CITIZEN not in caplog.text
    assert "DETAIL" not in caplog.text and "INSERT" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


@pytest.mark.parametrize("sender_id", [None, CITIZEN])
def test_the_helper_logs_the_class_and_the_pseudonym_only(caplog, sender_id):
    from actions.case_store import log_database_error

    log = logging.getLogger("tests.database_error")
    try:
        failing_transaction(None)
    except IntegrityError as error:
        with caplog.at_level(logging.DEBUG, logger=log.name):
            log_database_error(log, "something not stored", error, sender_id)
    expected = "something not stored (IntegrityError)"
    if sender_id is not None:
        expected = f"something not stored for {pseudonym(sender_id)} (IntegrityError)"
    assert [r.getMessage() for r in caplog.records] == [expected]
    assert caplog.records[0].levelno == logging.ERROR and caplog.records[0].exc_info is None
