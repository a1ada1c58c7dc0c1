"""A case's complainants and evidence photos, for officers who may see the ticket.

The photo bytes are served only here, after the same check as the ticket itself
(``visible_ticket``: own agency, ACOC only for corruption), and only for photos of that
case's complaints the officer may see; a guessed id of anyone else's photo is a 404.
"""

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from cases.attachments import attachment_content
from cases.ticket_queries import visible_ticket
from console.api.deps import SessionDep, ViewerDep
from console.evidence import case_evidence, visible_case_tickets

router = APIRouter(prefix="/tickets", tags=["evidence"])


class ComplaintOut(BaseModel):
    """One complainant's complaint of the case (what officers need; no LINE user id)."""

    tracking_number: str
    created_at: str
    description: str
    anonymous: bool
    contact_phone: str | None
    is_case: bool


class PhotoOut(BaseModel):
    id: int
    tracking_number: str
    content_type: str
    size_bytes: int
    sha256: str
    url: str


class CaseEvidenceOut(BaseModel):
    case_tracking_number: str | None  # None: joined to a case this officer may not see
    complainants: int
    complaints: list[ComplaintOut]
    photos: list[PhotoOut]


def photo_url(tracking_number: str, photo_id: int) -> str:
    return f"/api/tickets/{tracking_number}/photos/{photo_id}"


@router.get("/{tracking_number}/evidence")
def evidence(tracking_number: str, viewer: ViewerDep, session: SessionDep) -> CaseEvidenceOut:
    ticket = visible_ticket(session, viewer=viewer, tracking_number=tracking_number)
    if ticket is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such ticket")
    found = case_evidence(session, viewer=viewer, ticket=ticket)
    return CaseEvidenceOut(
        case_tracking_number=found.case.tracking_number if found.case_visible else None,
        complainants=found.complainants,
        complaints=[
            ComplaintOut(
                tracking_number=t.tracking_number,
                created_at=t.created_at.isoformat(),
                description=t.description,
                anonymous=t.anonymous,
                contact_phone=None if t.anonymous else t.contact_phone,
                is_case=t.id == found.case.id,
            )
            for t in found.complaints
        ],
        photos=[
            PhotoOut(
                id=p.id,
                tracking_number=found.tracking_of[p.ticket_id],  # type: ignore[index]
                content_type=p.content_type,
                size_bytes=p.size_bytes,
                sha256=p.sha256,
                url=photo_url(ticket.tracking_number, p.id),
            )
            for p in found.photos
        ],
    )


@router.get("/{tracking_number}/photos/{photo_id}")
async def photo(tracking_number: str, photo_id: int, viewer: ViewerDep, session: SessionDep) -> Response:
    def load() -> tuple[str, bytes] | None:
        ticket = visible_ticket(session, viewer=viewer, tracking_number=tracking_number)
        if ticket is None:
            return None
        _, complaints, _ = visible_case_tickets(session, viewer, ticket)
        return attachment_content(session, attachment_id=photo_id, ticket_ids=[t.id for t in complaints])

    found = await run_in_threadpool(load)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such photo")
    content_type, content = found
    return Response(
        content=content,
        media_type=content_type,
        headers={
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'inline; filename="evidence-{photo_id}"',
        },
    )
