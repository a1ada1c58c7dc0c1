"""Factory pages: a registered factory with its complaints, and a ticket's factory link.

What a page shows about a factory's complaints follows the viewer's access rules
(cases.registry.links queries through ``visible_clause``); the registry itself (name,
number, address, licence) is public data every officer may read.
"""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from cases.access import Viewer
from cases.models import Ticket
from cases.registry.cache import shared_index
from cases.registry.importer import LICENCE_LABELS_TH
from cases.registry.links import (
    REPEAT_DAYS,
    REPEAT_MIN,
    categories_over_time,
    factory_tickets,
    is_repeat_offender,
    recent_complaints,
)
from cases.registry.models import Factory
from console.api.deps import SessionDep
from console.api.routes import tickets as api
from console.pages.common import PREFIX, TEMPLATES, CheckedAuthDep, PageAuthDep, redirect, render

router = APIRouter()
CANDIDATES = 3
SEARCH_RESULTS = 5

TEMPLATES.env.filters["licence_label"] = lambda code: LICENCE_LABELS_TH.get(code or "unknown", code or "-")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def ticket_factory_context(session, viewer: Viewer, ticket: Ticket, query: str | None) -> dict:
    """What the ticket page shows about the factory: the linked one (with the repeat-offender
    flag), the registry's best candidates for this complaint, and an officer's search."""
    factory = session.get(Factory, ticket.factory_id) if ticket.factory_id else None
    recent = recent_complaints(session, viewer=viewer, factory_id=factory.id, now=_now()) if factory else 0
    index = shared_index(session)
    candidates = []
    if len(index):
        candidates = index.match(
            text=ticket.subject_name or ticket.description,
            latitude=ticket.latitude,
            longitude=ticket.longitude,
            province=ticket.province,
            limit=CANDIDATES,
        )
    search = (query or "").strip()[:100]
    found = index.match(text=search, limit=SEARCH_RESULTS) if search and len(index) else []
    return {
        "factory": factory,
        "factory_recent": recent,
        "repeat_offender": is_repeat_offender(recent),
        "repeat_days": REPEAT_DAYS,
        "repeat_min": REPEAT_MIN,
        "factory_candidates": [c for c in candidates if not factory or c.factory.id != factory.id],
        "factory_query": search,
        "factory_found": found,
    }


@router.get("/factories/{factory_id}")
def factory_page(request: Request, factory_id: int, auth: PageAuthDep, session: SessionDep) -> Response:
    if auth.viewer.role.value == "trainer":
        return redirect(f"{PREFIX}/trainer")
    factory = session.get(Factory, factory_id)
    if factory is None:
        return render(request, "not_found.html", {"auth": auth}, 404)
    now = _now()
    tickets = factory_tickets(session, viewer=auth.viewer, factory_id=factory.id)
    recent = recent_complaints(session, viewer=auth.viewer, factory_id=factory.id, now=now)
    monthly = categories_over_time(tickets, now=now)
    return render(
        request,
        "factory.html",
        {
            "auth": auth,
            "f": factory,
            "tickets": tickets,
            "recent": recent,
            "repeat_offender": is_repeat_offender(recent),
            "repeat_days": REPEAT_DAYS,
            "monthly": monthly,
        },
    )


@router.post("/tickets/{tracking_number}/factory")
async def link_ticket_factory(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    registration_number: str = Form(""),
) -> Response:
    from console.pages.tickets import _act

    async def action() -> str:
        body = api.FactoryLink(registration_number=registration_number.strip()[:40] or None)
        await run_in_threadpool(api.link_factory_, tracking_number, body, auth.viewer, session)
        return "factory"

    return await _act(tracking_number, action)
