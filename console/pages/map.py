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
from sqlalchemy import select

from cases.models import Ticket
from cases.registry.models import Factory
from cases.taxonomy import CATEGORY_NAMES_TH, Category
from cases.ticket_queries import filtered
from console.api.deps import SessionDep
from console.pages.common import (
    PREFIX,
    SECURITY_HEADERS,
    STATE_LABELS,
    PageAuthDep,
    filter_choices,
    list_filters,
    redirect,
    render,
)

router = APIRouter()
MAX_POINTS = 20_000


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
            "filters": list_filters(state, category, province, overdue, q),
            **filter_choices(),
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
    ids = filtered(auth.viewer, list_filters(state, category, province, overdue, q), now).with_only_columns(Ticket.id)
    # One query: each ticket with its factory's place (where an unplaced ticket is drawn) and
    # what the factory's marker shows.
    rows = session.execute(
        select(
            Ticket.tracking_number,
            Ticket.category,
            Ticket.state,
            Ticket.latitude,
            Ticket.longitude,
            Factory.id,
            Factory.name,
            Factory.registration_number,
            Factory.latitude,
            Factory.longitude,
        )
        .outerjoin(Factory, Factory.id == Ticket.factory_id)
        .where(Ticket.id.in_(ids.scalar_subquery()))
        .order_by(Ticket.created_at.desc())
        .limit(MAX_POINTS + 1)
    ).all()
    tickets: list = []
    unplaced = 0
    factories: dict[int, dict] = {}
    for number, category_code, state_code, lat, lon, factory_id, name, registration, f_lat, f_lon in rows[:MAX_POINTS]:
        if factory_id is not None and f_lat is not None and f_lon is not None:
            marker = factories.setdefault(
                factory_id,
                {"id": factory_id, "name": name, "number": registration, "lat": f_lat, "lon": f_lon, "count": 0},
            )
            marker["count"] += 1
        lat, lon = (lat, lon) if lat is not None and lon is not None else (f_lat, f_lon)
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
    return JSONResponse(
        {
            "tickets": tickets,
            "factories": list(factories.values()),
            "unplaced": unplaced,
            "truncated": len(rows) > MAX_POINTS,
        },
        headers=SECURITY_HEADERS,
    )
