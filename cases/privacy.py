"""Pseudonyms and masks so personal data never reaches a log line in clear text."""

from __future__ import annotations

import hashlib
import re


def pseudonym(value: str | None, salt: str = "i-dee") -> str:
    """A short stable pseudonym for a LINE user id (or any identifier) in logs."""
    if not value:
        return "-"
    return "u:" + hashlib.sha256((salt + value).encode()).hexdigest()[:10]


_PHONE = re.compile(r"(?:\+66|0)[\s-]?\d(?:[\s-]?\d){7,8}")
_NATIONAL_ID = re.compile(r"\b\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d\b")


def mask_personal_data(text: str) -> str:
    """Replace phone numbers and national ID numbers in free text."""
    text = _NATIONAL_ID.sub("[national-id]", text)
    return _PHONE.sub("[phone]", text)
