from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.case_store import _session_factory
from settings import get_settings


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = None,
    confidence: float = 0.9,
    entities: list[dict[str, Any]] | None = None,
    sender_id: str = "U" + "1" * 32,
) -> Tracker:
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence} if intent else {},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


@pytest.fixture
def case_database(monkeypatch, new_sqlite_database) -> str:
    """A migrated SQLite case database that the actions will use through DATABASE_URL."""
    url = new_sqlite_database("actions.db")
    monkeypatch.setenv("DATABASE_URL", url)
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed
    yield url
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed
