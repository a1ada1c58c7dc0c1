"""Agency look-up, including one Provincial Industry Office per province."""

from __future__ import annotations

from cases.places import all_provinces
from cases.taxonomy import CENTRAL_AGENCIES, Agency

PIO_PREFIX = "PIO-"


def provincial_office(abbr_en: str) -> Agency | None:
    for p in all_provinces().values():
        if p.abbr_en == abbr_en:
            return Agency(
                f"{PIO_PREFIX}{abbr_en}",
                f"{p.name_en} Provincial Industry Office",
                f"สำนักงานอุตสาหกรรมจังหวัด{p.name_th} (สอจ.{p.abbr_th})",
            )
    return None


def get_agency(code: str) -> Agency | None:
    if code.startswith(PIO_PREFIX):
        return provincial_office(code[len(PIO_PREFIX) :])
    return CENTRAL_AGENCIES.get(code)


def all_agencies() -> list[Agency]:
    offices = [provincial_office(p.abbr_en) for p in all_provinces().values()]
    return list(CENTRAL_AGENCIES.values()) + [o for o in offices if o is not None]
