"""Service levels of the taxonomy, as pure functions.

Acknowledge within 1 business day, resolve within 15 business days; an ``urgent``
ticket needs a first action within 24 hours. Business days skip Saturdays, Sundays
and Thai public holidays (the ``holidays`` package), counted on the Bangkok calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from cases.taxonomy import Priority, TicketState

BANGKOK = ZoneInfo("Asia/Bangkok")
ACKNOWLEDGE_BUSINESS_DAYS = 1
RESOLVE_BUSINESS_DAYS = 15
URGENT_FIRST_ACTION = timedelta(hours=24)

# Waiting for a first action by the agency.
AWAITING_ACTION_STATES: frozenset[str] = frozenset({TicketState.NEW.value, TicketState.REOPENED.value})
# Not finished yet: the resolve due date still counts.
OPEN_STATES: frozenset[str] = frozenset(
    {
        TicketState.NEW.value,
        TicketState.ACKNOWLEDGED.value,
        TicketState.IN_PROGRESS.value,
        TicketState.REOPENED.value,
    }
)


@dataclass(frozen=True)
class DueDates:
    acknowledge_by: datetime
    resolve_by: datetime


@lru_cache(maxsize=1)
def _thai_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("TH")


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _thai_holidays()


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` business days, same Bangkok time of day."""
    local = start.astimezone(BANGKOK)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return datetime.combine(day, local.timetz()).astimezone(start.tzinfo or BANGKOK)


def due_dates(created_at: datetime, priority: str | Priority) -> DueDates:
    """When the first action and the resolution are due for a ticket created then."""
    if str(getattr(priority, "value", priority)) == Priority.URGENT.value:
        acknowledge_by = created_at + URGENT_FIRST_ACTION
    else:
        acknowledge_by = add_business_days(created_at, ACKNOWLEDGE_BUSINESS_DAYS)
    return DueDates(acknowledge_by, add_business_days(created_at, RESOLVE_BUSINESS_DAYS))


def is_overdue(*, state: str, ack_due_at: datetime | None, resolve_due_at: datetime | None, now: datetime) -> bool:
    """Late for its first action, or still open after its resolve due date."""
    if state in AWAITING_ACTION_STATES and ack_due_at is not None and now > ack_due_at:
        return True
    return state in OPEN_STATES and resolve_due_at is not None and now > resolve_due_at
