"""GeoReport v2 endpoints under /open311/v2/.

Requests expose no personal data: no LINE id, no free-text description (it may carry
names and phone numbers); confidential (corruption) tickets are never listed or shown.
Filing (POST) needs an API key from OPEN311_API_KEYS; without keys it is disabled.
"""

import hmac
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, status
from sqlalchemy import select

from cases.access import CONFIDENTIAL_AGENCY
from cases.models import Ticket
from cases.registry.models import Factory
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import CATEGORY_NAMES_TH, CONFIDENTIAL_CATEGORIES, Category
from console.api.deps import ConsoleDep, SessionDep

router = APIRouter(prefix="/open311/v2", tags=["open311"])

CLOSED_STATES = {"resolved", "closed", "rejected", "referred"}
PUBLIC_CATEGORIES = [c for c in Category if c not in CONFIDENTIAL_CATEGORIES]


def _service(category: Category) -> dict:
    return {
        "service_code": category.value,
        "service_name": CATEGORY_NAMES_TH[category],
        "description": CATEGORY_NAMES_TH[category],
        "metadata": False,
        "type": "realtime",
        "keywords": category.value.replace("_", " "),
        "group": "industry",
    }


def _request(ticket: Ticket, factory_numbers: dict[int, str]) -> dict:
    return {
        "service_request_id": ticket.tracking_number,
        "status": "closed" if ticket.state in CLOSED_STATES else "open",
        "service_code": ticket.category,
        "service_name": CATEGORY_NAMES_TH[Category(ticket.category)],
        "agency_responsible": ticket.agency,
        "requested_datetime": _iso(ticket.created_at),
        "updated_datetime": _iso(ticket.updated_at),
        "expected_datetime": _iso(ticket.resolve_due_at),
        "address": ticket.province,
        # Public registry data of the factory complained about (never the complainant's).
        "factory_registration_number": factory_numbers.get(ticket.factory_id) if ticket.factory_id else None,
    }


def _factory_numbers(session, tickets: list[Ticket]) -> dict[int, str]:
    ids = {t.factory_id for t in tickets if t.factory_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Factory.id, Factory.registration_number).where(Factory.id.in_(ids))).all())


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _public():
    return select(Ticket).where(Ticket.confidential.is_(False), Ticket.agency != CONFIDENTIAL_AGENCY)


@router.get("/services.json")
def services() -> list[dict]:
    return [_service(c) for c in PUBLIC_CATEGORIES]


@router.get("/requests.json")
def requests(
    session: SessionDep,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    status_: Annotated[str | None, Query(alias="status", pattern="^(open|closed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[dict]:
    query = _public()
    if service_request_id:
        ids = [i.strip().upper() for i in service_request_id.split(",") if i.strip()]
        query = query.where(Ticket.tracking_number.in_(ids))
    if service_code:
        query = query.where(Ticket.category.in_(service_code.split(",")))
    if start_date:
        query = query.where(Ticket.created_at >= start_date)
    if end_date:
        query = query.where(Ticket.created_at < end_date)
    if status_ == "closed":
        query = query.where(Ticket.state.in_(CLOSED_STATES))
    elif status_ == "open":
        query = query.where(Ticket.state.not_in(CLOSED_STATES))
    tickets = list(session.scalars(query.order_by(Ticket.created_at.desc()).limit(limit)))
    numbers = _factory_numbers(session, tickets)
    return [_request(t, numbers) for t in tickets]


@router.get("/requests/{request_id}.json")
def request(request_id: str, session: SessionDep) -> list[dict]:
    ticket = session.scalar(_public().where(Ticket.tracking_number == request_id.upper()))
    if ticket is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such request")
    return [_request(ticket, _factory_numbers(session, [ticket]))]


@router.post("/requests.json", status_code=201)
def file_request(
    session: SessionDep,
    console: ConsoleDep,
    api_key: Annotated[str, Form()],
    service_code: Annotated[str, Form()],
    description: Annotated[str, Form(min_length=5, max_length=4000)],
    province: Annotated[str | None, Form()] = None,
    address_string: Annotated[str | None, Form()] = None,
) -> list[dict]:
    keys = [k for k in console.settings.console.open311_api_keys.split(",") if k]
    if not any(hmac.compare_digest(api_key.encode(), k.encode()) for k in keys):  # bytes: any text
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid api_key")
    try:
        category = Category(service_code)
    except ValueError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "unknown service_code") from None
    if category in CONFIDENTIAL_CATEGORIES:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "file corruption reports with ACOC directly")
    if address_string:
        description = f"{description}\n[ที่อยู่] {address_string}"
    ticket = create_ticket(
        session,
        draft=TicketDraft(category=category, description=description, province=province),
        actor="open311",
    )
    session.commit()
    return [{"service_request_id": ticket.tracking_number, "service_notice": None, "account_id": None}]
