"""Message → agency through the real routing code (``cases.routing``)."""

from __future__ import annotations

from cases.places import (
    find_industrial_estate,
    find_province,
    industrial_estate_or_none,
    normalise_province,
)
from cases.routing import route_agency
from cases.taxonomy import Category

from evaluation.metrics import COMPLAINT_PREFIX, OUT_OF_SCOPE

REFERRAL = "REFERRAL"  # out_of_scope: no ticket, the citizen is told where to go


def agency_of(intent: str | None, province: str | None, industrial_estate: str | None) -> str | None:
    """The agency a message ends up with from the NLU's entities alone: a complaint's
    agency, a referral, or None (no ticket)."""
    if intent == OUT_OF_SCOPE:
        return REFERRAL
    if not intent or not intent.startswith(COMPLAINT_PREFIX):
        return None
    try:
        category = Category(intent[len(COMPLAINT_PREFIX) :])
    except ValueError:
        return None
    return route_agency(category, province, industrial_estate, None)


def agency_of_deployed(
    intent: str | None, province: str | None, industrial_estate: str | None, text: str
) -> str | None:
    """The agency as the deployed intake action resolves the place of a first message
    (actions/complaint_intake.py): the NLU's province, else a province named anywhere in
    the text (``cases.places.find_province``, which also knows towns such as ศรีราชา);
    the NLU's estate, else ``find_industrial_estate`` on the text. The subject type is
    left out (its inference lives in the action server's environment)."""
    return agency_of(
        intent,
        normalise_province(province) or find_province(text),
        industrial_estate_or_none(industrial_estate) or find_industrial_estate(text),
    )
