"""Values shown inside the domain's responses: names, places and Thai dates (data, not wording)."""

from __future__ import annotations

from datetime import datetime


from cases import thai_format
from cases.agencies import get_agency
from cases.domain_texts import Wording
from typing import Any, Mapping

import phonenumbers

from cases.taxonomy import CATEGORY_NAMES_TH, STATE_NAMES_TH, Category, SubjectType, TicketState


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


# The ministry's names of the subject kinds (taxonomy.md), shown in the summary.
SUBJECT_TYPE_NAMES_TH: dict[SubjectType, str] = {
    SubjectType.FACTORY: "โรงงานอุตสาหกรรม",
    SubjectType.SME: "SMEs / ผู้ประกอบการ",
    SubjectType.MINE: "เหมืองแร่ / โรงโม่ / บ่อดินบ่อทราย",
    SubjectType.COMMUNITY_ENTERPRISE: "วิสาหกิจชุมชน",
    SubjectType.OFFICIAL: "เจ้าหน้าที่รัฐ",
    SubjectType.UNKNOWN: "-",
}
NOT_GIVEN = "-"


def place_summary(
    province: str | None,
    industrial_estate: str | None,
    address: str | None = None,
    *,
    detail: str | None = None,
) -> str | None:
    """``อ.บางพลี จังหวัดสมุทรปราการ (นิคมอุตสาหกรรมบางพลี)``, or None when nothing is known.
    Bangkok is named alone: "จังหวัดกรุงเทพมหานคร" is not said in Thai."""
    parts = []
    if detail:
        parts.append(detail)
    if province:
        parts.append(province if province == BANGKOK else f"จังหวัด{province}")
    if industrial_estate and not (detail and industrial_estate in detail):
        parts.append(f"({industrial_estate})" if parts else industrial_estate)
    if address:
        parts.append(f"({address})" if parts else address)
    return " ".join(parts) or None


BANGKOK = "กรุงเทพมหานคร"


def subject_summary(name: str | None, subject_type: str | None) -> str:
    """``บริษัท เอ (โรงงานอุตสาหกรรม)``; ``-`` when neither is known."""
    try:
        kind = SUBJECT_TYPE_NAMES_TH[SubjectType(subject_type)]
    except ValueError:
        kind = NOT_GIVEN
    name = None if name in (None, "", NOT_GIVEN) else name
    if name and kind != NOT_GIVEN:
        return f"{name} ({kind})"
    return name or kind


def phone_for_display(e164: str) -> str:
    """``+66812345678`` as a Thai reads it: ``081 234 5678``."""
    try:
        number = phonenumbers.parse(e164, "TH")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def contact_summary(anonymous: Any, phone: str | None, *, anonymous_label: str) -> str:
    if anonymous is True or not phone or phone == NOT_GIVEN:
        return anonymous_label
    return phone_for_display(phone)


def response_text(domain: Mapping[str, Any], name: str) -> str:
    """The first text of a domain response (wording stays in the domain); "-" when absent."""
    return Wording.of_domain(domain).text(name, required=False) or NOT_GIVEN


def thai_datetime(moment: datetime) -> str:
    """``25 พ.ย. 2569 19:51 น.`` in Bangkok time (naive values are taken as UTC): the time as a
    citizen reads it, with น. (นาฬิกา)."""
    return f"{thai_format.thai_datetime(moment)} น."
