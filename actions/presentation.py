"""Values shown inside the domain's responses: names, places and Thai dates (data, not wording)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

from cases.agencies import get_agency
from cases.taxonomy import CATEGORY_NAMES_TH, STATE_NAMES_TH, Category, TicketState

BANGKOK_TZ = ZoneInfo("Asia/Bangkok")


def category_name(category: str | None) -> str:
    try:
        return CATEGORY_NAMES_TH[Category(category)]
    except ValueError:
        return CATEGORY_NAMES_TH[Category.OTHER]


def agency_name(code: str) -> str:
    agency = get_agency(code)
    return agency.name_th if agency else code


def state_name(state: str) -> str:
    try:
        return STATE_NAMES_TH[TicketState(state)]
    except ValueError:
        return state


def place_summary(province: str | None, industrial_estate: str | None) -> str | None:
    """``จังหวัดระยอง (นิคมอุตสาหกรรมมาบตาพุด)``, or None when nothing is known."""
    parts = []
    if province:
        parts.append(f"จังหวัด{province}")
    if industrial_estate:
        parts.append(f"({industrial_estate})" if parts else industrial_estate)
    return " ".join(parts) or None


def thai_datetime(moment: datetime) -> str:
    """``25 พ.ย. 2569 19:51 น.`` in Bangkok time (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return thai_strftime(moment.astimezone(BANGKOK_TZ), "%-d %b %Y %H:%M น.")
