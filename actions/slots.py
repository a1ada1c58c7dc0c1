"""Slot names the domain declares and the actions read or write."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

COMPLAINT_CATEGORY = "complaint_category"
COMPLAINT_ID = "complaint_id"  # one id per complaint conversation: the submission key
COMPLAINT_TEXT = "complaint_text"
NLU_INTENT = "nlu_intent"
NLU_CONFIDENCE = "nlu_confidence"
PROVINCE = "province"
INDUSTRIAL_ESTATE = "industrial_estate"
CONFIRM_COMPLAINT = "confirm_complaint"
TRACKING_NUMBER = "tracking_number"

# The intake form: asked only when missing.
DESCRIPTION_DETAIL = "description_detail"
SUBJECT_NAME = "subject_name"
SUBJECT_TYPE = "subject_type"
OCCURRED_TEXT = "occurred_text"
ANONYMOUS = "anonymous"
PDPA_CONSENT = "pdpa_consent"
CONSENT_AT = "consent_at"
CONTACT_PHONE = "contact_phone"
LATITUDE = "latitude"
LONGITUDE = "longitude"
ADDRESS = "address"
EDIT_REQUESTED = "edit_requested"
EDIT_FIELD = "edit_field"
# The category the citizen picked after "แก้ไข" → "ประเภทเรื่อง" (actions/category_correction.py).
CORRECTED_CATEGORY = "corrected_category"
# Evidence photos (actions/evidence.py): asked once; the ticket later photos are added to.
EVIDENCE = "evidence"
EVIDENCE_TICKET = "evidence_ticket"

# Marks a province the citizen could not give (the ticket then goes to OPS for triage).
UNKNOWN_PROVINCE = "unknown"
# Marks an optional answer the citizen skipped ("ไม่ทราบ"): the slot is filled, nothing is stored.
NOT_GIVEN = "-"
# Value of confirm_complaint when the citizen pressed "แก้ไข".
EDIT = "edit"

LOCATION_SLOTS = (LATITUDE, LONGITUDE, ADDRESS)

COMPLAINT_SLOTS = (
    COMPLAINT_ID,
    COMPLAINT_CATEGORY,
    COMPLAINT_TEXT,
    NLU_INTENT,
    NLU_CONFIDENCE,
    PROVINCE,
    INDUSTRIAL_ESTATE,
    CONFIRM_COMPLAINT,
    DESCRIPTION_DETAIL,
    SUBJECT_NAME,
    SUBJECT_TYPE,
    OCCURRED_TEXT,
    ANONYMOUS,
    PDPA_CONSENT,
    CONSENT_AT,
    CONTACT_PHONE,
    *LOCATION_SLOTS,
    EDIT_REQUESTED,
    EDIT_FIELD,
    CORRECTED_CATEGORY,
    EVIDENCE,
)


def reset_complaint() -> list[dict[str, Any]]:
    """Events that clear everything one complaint gathered, ready for the next one."""
    return [SlotSet(name, None) for name in COMPLAINT_SLOTS]
