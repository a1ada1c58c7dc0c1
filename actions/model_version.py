"""Which NLU model understood the conversation: Rasa 3.6 puts the loaded model's
``model_id`` into the metadata of every event it logs; the hot swap registry names it."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def model_id_of(tracker: Tracker) -> Optional[str]:
    """The model_id on the latest user message, or None (e.g. a tracker built in a test)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            model_id = (event.get("metadata") or {}).get("model_id")
            return str(model_id)[:64] if model_id else None
    return None
