"""Message → agency through the real routing code (``cases.routing``)."""

from __future__ import annotations

from cases.routing import route_agency
from cases.taxonomy import Category

from evaluation.metrics import COMPLAINT_PREFIX, OUT_OF_SCOPE

REFERRAL = "REFERRAL"  # out_of_scope: no ticket, the citizen is told where to go


def agency_of(intent: str | None, province: str | None, industrial_estate: str | None) -> str | None:
    """The agency a message ends up with: a complaint's agency, a referral, or None."""
    if intent == OUT_OF_SCOPE:
        return REFERRAL
    if not intent or not intent.startswith(COMPLAINT_PREFIX):
        return None
    try:
        category = Category(intent[len(COMPLAINT_PREFIX):])
    except ValueError:
        return None
    return route_agency(category, province, industrial_estate, None)
