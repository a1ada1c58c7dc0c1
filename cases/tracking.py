"""Tracking numbers: ``IDEE-<Buddhist-era year>-<6-digit sequence>``."""

from __future__ import annotations

import re
from cases.thai_format import buddhist_year

__all__ = ["buddhist_year", "find_tracking_number", "format_tracking_number"]

TRACKING_NUMBER_RE = re.compile(r"IDEE-(\d{4})-(\d{6})", re.IGNORECASE)


def format_tracking_number(be_year: int, sequence: int) -> str:
    if not 0 < sequence <= 999_999:
        raise ValueError(f"tracking sequence out of range: {sequence}")
    return f"IDEE-{be_year}-{sequence:06d}"


def find_tracking_number(text: str | None) -> str | None:
    """The first tracking number in free text, upper-cased; tolerant of spaces around dashes."""
    if not text:
        return None
    compact = re.sub(r"\s*-\s*", "-", text)
    match = TRACKING_NUMBER_RE.search(compact)
    return f"IDEE-{match.group(1)}-{match.group(2)}" if match else None
