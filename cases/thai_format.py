"""Thai dates for citizens and officers, through PyThaiNLP's ``thai_strftime``: Bangkok time,
Thai month abbreviations, Buddhist-era years (``4 มี.ค. 2569 10:00``). The one place where
a date becomes Thai text: the actions' answers and the console's pages both call it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543
NOT_GIVEN = "-"


def bangkok_time(moment: datetime) -> datetime:
    """``moment`` in Bangkok time; naive values are taken as UTC (how the database keeps them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BANGKOK)


def buddhist_year(moment: date) -> int:
    """The Buddhist-era year of ``moment``'s own calendar year (2026 → 2569)."""
    return moment.year + BUDDHIST_ERA_OFFSET


def thai_date(moment: datetime | None) -> str:
    """``4 มี.ค. 2569`` (Bangkok time); ``-`` for no date."""
    return thai_strftime(bangkok_time(moment), "%-d %b %Y") if moment else NOT_GIVEN


def thai_datetime(moment: datetime | None) -> str:
    """``4 มี.ค. 2569 10:00`` (Bangkok time); ``-`` for no date."""
    return thai_strftime(bangkok_time(moment), "%-d %b %Y %H:%M") if moment else NOT_GIVEN


def thai_month(month: date) -> str:
    """``มี.ค. 69``: a month in a table's header (its own calendar month, no time zone)."""
    return thai_strftime(datetime(month.year, month.month, 1, tzinfo=BANGKOK), "%b %y")
