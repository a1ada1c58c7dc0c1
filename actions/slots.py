"""Slot names the domain declares and the actions read or write."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

COMPLAINT_CATEGORY = "complaint_category"
COMPLAINT_TEXT = "complaint_text"
NLU_INTENT = "nlu_intent"
NLU_CONFIDENCE = "nlu_confidence"
PROVINCE = "province"
INDUSTRIAL_ESTATE = "industrial_estate"
CONFIRM_COMPLAINT = "confirm_complaint"
TRACKING_NUMBER = "tracking_number"

# Marks a province the citizen could not give (the ticket then goes to OPS for triage).
UNKNOWN_PROVINCE = "unknown"

COMPLAINT_SLOTS = (
    COMPLAINT_CATEGORY,
    COMPLAINT_TEXT,
    NLU_INTENT,
    NLU_CONFIDENCE,
    PROVINCE,
    INDUSTRIAL_ESTATE,
    CONFIRM_COMPLAINT,
)


def reset_complaint() -> list[dict[str, Any]]:
    """Events that clear everything one complaint gathered, ready for the next one."""
    return [SlotSet(name, None) for name in COMPLAINT_SLOTS]
