"""The console's map: the tickets of the list's filters, clustered, with their factories.

Served entirely by the app (Leaflet and its cluster plugin vendored from npm, country
outlines cut from an npm package): the map works with no internet. A ticket sits at the
citizen's LINE location, else at its linked factory; tickets with neither are counted but
not drawn. Same visibility rule and filters as the list (cases.ticket_queries.filtered).
"""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, select

from cases.models import Ticket
from cases.places import all_provinces
from cases.registry.models import Factory
from cases.taxonomy import CATEGORY_NAMES_TH, Category
from cases.ticket_queries import TicketFilters, filtered
from console.api.deps import SessionDep
from console.pages.common import PREFIX, SECURITY_HEADERS, STATE_LABELS, PageAuthDep, redirect, render

router = APIRouter()
MAX_POINTS = 20_000


def _choice(value: str | None, allowed) -> str | None:
    return value if value in allowed else None


def _filters(state, category, province, overdue, q) -> TicketFilters:
    """The list's filters; invalid values are ignored, never an error."""
    return TicketFilters(
        state=_choice(state, STATE_LABELS),
        category=_choice(category, {c.value for c in Category}),
        province=_choice(province, all_provinces()),
        overdue=True if overdue == "1" else None,
        q=(q or "").strip()[:200] or None,
    )


@router.get("/map")
def map_page(
    request: Request,
    auth: PageAuthDep,
    state: str | None = None,
    category: str | None = None,
    province: str | None = None,
    overdue: str | None = None,
    q: str | None = None,
) -> Response:
    if auth.viewer.role.value == "trainer":
        return redirect(f"{PREFIX}/trainer")
    return render(
        request,
        "map.html",
        {
            "auth": auth,
            "filters": _filters(state, category, province, overdue, q),
            "states": STATE_LABELS,
            "categories": {c.value: n for c, n in CATEGORY_NAMES_TH.items()},
            "provinces": sorted(all_provinces()),
        },
    )


@router.get("/map/data.json")
def map_data(
    auth: PageAuthDep,
    session: SessionDep,
    state: str | None = None,
    category: str | None = None,
    province: str | None = None,
    overdue: str | None = None,
    q: str | None = None,
) -> Response:
    """Points only: tracking number, category, state, place, factory; no personal data."""
    if auth.viewer.role.value == "trainer":
        return JSONResponse({"tickets": [], "factories": [], "unplaced": 0}, headers=SECURITY_HEADERS)
    now = datetime.now(timezone.utc)
    ids = filtered(auth.viewer, _filters(state, category, province, overdue, q), now).with_only_columns(Ticket.id)
    latitude = func.coalesce(Ticket.latitude, Factory.latitude)
    longitude = func.coalesce(Ticket.longitude, Factory.longitude)
    rows = session.execute(
        select(Ticket.tracking_number, Ticket.category, Ticket.state, latitude, longitude, Ticket.factory_id)
        .outerjoin(Factory, Factory.id == Ticket.factory_id)
        .where(Ticket.id.in_(ids.scalar_subquery()))
        .order_by(Ticket.created_at.desc())
        .limit(MAX_POINTS + 1)
    ).all()
    tickets: list = []
    unplaced = 0
    counts: dict = {}
    for number, category_code, state_code, lat, lon, factory_id in rows[:MAX_POINTS]:
        if factory_id is not None:
            counts[factory_id] = counts.get(factory_id, 0) + 1
        if lat is None or lon is None:
            unplaced += 1
            continue
        tickets.append(
            {
                "n": number,
                "c": CATEGORY_NAMES_TH.get(Category(category_code), category_code),
                "s": STATE_LABELS.get(state_code, state_code),
                "lat": lat,
                "lon": lon,
                "f": factory_id,
            }
        )
    factories = []
    if counts:
        for f in session.scalars(select(Factory).where(Factory.id.in_(list(counts)), Factory.latitude.is_not(None))):
            factories.append(
                {
                    "id": f.id,
                    "name": f.name,
                    "number": f.registration_number,
                    "lat": f.latitude,
                    "lon": f.longitude,
                    "count": counts[f.id],
                }
            )
    return JSONResponse(
        {"tickets": tickets, "factories": factories, "unplaced": unplaced, "truncated": len(rows) > MAX_POINTS},
        headers=SECURITY_HEADERS,
    )
