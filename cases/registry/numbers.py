"""Factory registration numbers (เลขทะเบียนโรงงาน) in both forms the DIW uses.

* the old form ``3-105-1/50ชบ``: licence class (1-3), category number (ลำดับประเภท, maybe
  with a sub-item in brackets), running number, slash, two-digit Buddhist-era year and the
  province's abbreviation; the ``จ`` / ``ข`` prefix some lists carry is kept;
* the 14-digit number (``10200100125431``), written with or without dashes and spaces.

Thai digits are accepted and stored as Arabic digits; the canonical form has no spaces.
"""

from __future__ import annotations

import re

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

_OLD = re.compile(
    r"^(?P<prefix>[จข]\.?)?(?P<cls>[1-3])-(?P<cat>\d{1,3}(?:\(\d{1,2}\))?)-(?P<run>\d{1,6})"
    r"/(?P<year>\d{2,4})(?P<prov>[ก-ฮ]{1,3}\.?)?$"
)
_DIGITS_ONLY = re.compile(r"^\d{14}$")


class RegistrationNumberError(ValueError):
    """The text is not a registration number in either form; the message says why (English)."""


def canonical_registration_number(value: str | None) -> str:
    """The canonical form of a registration number, or RegistrationNumberError."""
    text = (value or "").translate(THAI_DIGITS).strip()
    if not text:
        raise RegistrationNumberError("registration number is empty")
    compact = re.sub(r"\s+", "", text)
    digits = re.sub(r"[-\s.]", "", compact)
    if digits.isdigit():
        if _DIGITS_ONLY.match(digits):
            return digits
        raise RegistrationNumberError(f"a numeric registration number has 14 digits, not {len(digits)}")
    match = _OLD.match(compact)
    if match is None:
        raise RegistrationNumberError("registration number is neither 14 digits nor the old form like 3-105-1/50ชบ")
    prefix = (match["prefix"] or "").rstrip(".")
    province = (match["prov"] or "").rstrip(".")
    return f"{prefix}{match['cls']}-{match['cat']}-{int(match['run'])}/{match['year']}{province}"
