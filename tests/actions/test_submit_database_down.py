"""Submitting while the case database is unreachable loses nothing.

The database is made unreachable for real (DATABASE_URL pointing at a loopback port where
nothing listens), then reachable again; on SQLite and on PostgreSQL (``database_url``).
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.case_store import _session_factory, session_factory
from actions.submit_complaint import ActionSubmitComplaint
from cases.models import Ticket
from tests.actions.conftest import make_tracker
from settings import get_settings

CITIZEN = "U" + "e" * 32
PHONE = "+66812345678"


def closed_database_url() -> str:
    """A PostgreSQL URL on a loopback port where nothing listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"


def use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed


@pytest.fixture(autouse=True)
def _fresh_engines():
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed
    yield
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed


def confirmed_complaint() -> dict[str, Any]:
    return {
        slots.COMPLAINT_ID: "5b0e6f0c2a3d4e8f9a1b2c3d4e5f6a7b",
        slots.COMPLAINT_CATEGORY: "odor",
        slots.COMPLAINT_TEXT: "โรงงานหลอมพลาสติกส่งกลิ่นเหม็นไหม้ทุกคืนตั้งแต่สองทุ่ม",
        slots.NLU_INTENT: "complaint_odor",
        slots.NLU_CONFIDENCE: 0.93,
        slots.PROVINCE: "ระยอง",
        slots.SUBJECT_NAME: "บริษัท ตัวอย่างพลาสติก จำกัด",
        slots.SUBJECT_TYPE: "factory",
        slots.OCCURRED_TEXT: "ทุกคืน",
        slots.EVIDENCE: "skip",
        slots.PDPA_CONSENT: True,
        slots.CONSENT_AT: "2026-11-25T12:00:00+00:00",
        slots.ANONYMOUS: False,
        slots.CONTACT_PHONE: PHONE,
        slots.CONFIRM_COMPLAINT: True,
    }


def applied(values: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots after Rasa applies the action's events."""
    result = dict(values)
    for event in events:
        if event["event"] == "slot":
            result[event["name"]] = event["value"]
    return result


async def submit(values: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=values, sender_id=CITIZEN), {})
    return dispatcher.messages, events


async def test_database_down_keeps_the_complaint_and_asks_to_confirm_again(monkeypatch, caplog):
    use_database(monkeypatch, closed_database_url())
    values = confirmed_complaint()
    with caplog.at_level(logging.INFO, logger="actions.submit_complaint"):
        messages, events = await submit(values)

    # A polite "busy, your complaint is kept" (never the old "tell it again"), then the
    # summary again with its confirm/edit/cancel buttons (and its group-chat privacy marker).
    assert [m["response"] for m in messages] == [
        "utter_ticket_not_stored_kept",
        "utter_confirm_complaint",
        None,
    ]
    summary = messages[1]
    assert summary["description"] == values[slots.COMPLAINT_TEXT] and summary["place"]
    assert messages[2]["custom"] == {"idee_private_previous": True}
    # Only the answer to the confirmation is cleared; the form is active again, waiting for
    # that answer, and Rasa listens.
    slot_events = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slot_events == {
        slots.CONFIRM_COMPLAINT: None,
        slots.EDIT_FIELD: None,
        "requested_slot": slots.CONFIRM_COMPLAINT,
    }
    assert [(e["event"], e["name"]) for e in events if e["event"] in ("active_loop", "followup")] == [
        ("active_loop", "complaint_form"),
        ("followup", "action_listen"),
    ]
    kept = {k: v for k, v in applied(values, events).items() if k != "requested_slot"}
    assert {k: v for k, v in kept.items() if k not in (slots.CONFIRM_COMPLAINT, slots.EDIT_FIELD)} == {
        k: v for k, v in values.items() if k != slots.CONFIRM_COMPLAINT
    }
    # Logged without personal data or the SQL parameters.
    assert "ticket not stored" in caplog.text
    assert PHONE not in caplog.text and "0812345678" not in caplog.text and CITIZEN not in caplog.text


async def test_confirming_after_the_outage_files_the_complaint_exactly_once(monkeypatch, database_url):
    values = confirmed_complaint()
    use_database(monkeypatch, closed_database_url())
    _, events = await submit(values)
    kept = applied(values, events)
    assert kept[slots.CONFIRM_COMPLAINT] is None

    # The database is back; the citizen presses "confirm" (twice: a double tap, a redelivery).
    use_database(monkeypatch, database_url)
    kept[slots.CONFIRM_COMPLAINT] = True
    first, first_events = await submit(kept)
    again, _ = await submit(kept)

    assert first[0]["response"] == "utter_ticket_created"
    assert again[0]["tracking_number"] == first[0]["tracking_number"]
    with session_factory()() as session:
        tickets = session.scalars(select(Ticket)).all()
        assert len(tickets) == 1
        (ticket,) = tickets
        assert ticket.tracking_number == first[0]["tracking_number"]
        assert ticket.description == values[slots.COMPLAINT_TEXT]
        assert (ticket.agency, ticket.subject_name, ticket.occurred_text) == (
            "PIO-RYG",
            "บริษัท ตัวอย่างพลาสติก จำกัด",
            "ทุกคืน",
        )
        assert ticket.contact_phone == PHONE and ticket.anonymous is False
    # Filed: now the complaint's slots are cleared, ready for the next one.
    assert not any(e["event"] == "active_loop" for e in first_events)
    assert all(e["value"] is None for e in first_events if e["event"] == "slot" and e["name"] != slots.EVIDENCE_TICKET)


async def test_an_outage_between_two_attempts_never_makes_a_second_ticket(monkeypatch, database_url):
    """Filed, but the citizen did not see the answer and confirms again during an outage,
    then after it: still one ticket."""
    values = confirmed_complaint()
    use_database(monkeypatch, database_url)
    filed, _ = await submit(values)
    use_database(monkeypatch, closed_database_url())
    down, events = await submit(values)
    assert down[0]["response"] == "utter_ticket_not_stored_kept"
    use_database(monkeypatch, database_url)
    kept = applied(values, events)
    kept[slots.CONFIRM_COMPLAINT] = True
    again, _ = await submit(kept)
    assert again[0]["tracking_number"] == filed[0]["tracking_number"]
    with session_factory()() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1
