"""The routing rule of the taxonomy as pure functions: category + place → agency."""

from __future__ import annotations

from dataclasses import dataclass

from cases.places import BANGKOK, normalise_province, province_abbr_en
from cases.taxonomy import (
    CONFIDENTIAL_CATEGORIES,
    FACTORY_CATEGORIES,
    FIXED_AGENCY,
    URGENT_CATEGORIES,
    Category,
    Priority,
    SubjectType,
)


@dataclass(frozen=True)
class Route:
    agency: str
    priority: Priority
    confidential: bool


def route_agency(
    category: Category,
    province: str | None = None,
    industrial_estate: str | None = None,
    subject_type: SubjectType | None = None,
) -> str:
    """The agency code a complaint goes to, following the factory supervision rule."""
    if category in FACTORY_CATEGORIES:
        if subject_type is SubjectType.MINE:
            return "DPIM"
        if industrial_estate:
            return "IEAT"
        official = normalise_province(province)
        if official == BANGKOK:
            return "DIW"
        if official:
            return f"PIO-{province_abbr_en(official)}"
        return "OPS"
    return FIXED_AGENCY[category]


def route(
    category: Category,
    province: str | None = None,
    industrial_estate: str | None = None,
    subject_type: SubjectType | None = None,
) -> Route:
    return Route(
        agency=route_agency(category, province, industrial_estate, subject_type),
        priority=Priority.URGENT if category in URGENT_CATEGORIES else Priority.NORMAL,
        confidential=category in CONFIDENTIAL_CATEGORIES,
    )
