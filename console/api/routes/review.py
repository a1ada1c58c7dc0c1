"""Trainers' review queue API under /api/review (trainers and administrators only).

Items hold masked text only (cases/review_queue.py); no ticket data is returned beyond
the id of the ticket an item came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cases.access import Viewer
from cases.models import ReviewItem
from cases.review_queue import SOURCES, STATUSES, ReviewFilters, accept, discard, list_items
from console.api.deps import SessionDep, ViewerDep
from cases.review_export import export_reviewed

router = APIRouter(prefix="/review", tags=["review"])


def get_trainer_viewer(viewer: ViewerDep) -> Viewer:
    if not viewer.can_train:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "trainers and administrators only")
    return viewer


TrainerViewer = Annotated[Viewer, Depends(get_trainer_viewer)]


class EntitySpan(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    entity: str
    value: str | None = None


class ReviewItemOut(BaseModel):
    id: int
    text: str
    source: str
    predicted_intent: str | None
    confidence: float | None
    corrected_intent: str | None
    label: str | None
    entities: list[EntitySpan]
    status: str
    occurrences: int
    ticket_id: int | None
    reviewed_by: str | None
    created_at: datetime
    exported_at: datetime | None

    @classmethod
    def of(cls, item: ReviewItem) -> ReviewItemOut:
        return cls(
            id=item.id,
            text=item.text,
            source=item.source,
            predicted_intent=item.predicted_intent,
            confidence=item.confidence,
            corrected_intent=item.corrected_intent,
            label=item.label,
            entities=[EntitySpan(**e) for e in item.entities or []],
            status=item.status,
            occurrences=item.occurrences,
            ticket_id=item.ticket_id,
            reviewed_by=item.reviewed_by,
            created_at=item.created_at,
            exported_at=item.exported_at,
        )


class ReviewPage(BaseModel):
    items: list[ReviewItemOut]
    total: int


class Decision(BaseModel):
    intent: str | None = None  # a new label relabels the item
    entities: list[EntitySpan] | None = None  # replaces the spans when given


class ExportOut(BaseModel):
    ok: bool
    added: int
    files: dict[str, int]
    duplicates: int
    conflicts: list[dict]
    heldout_item_ids: list[int]
    summary: str


@router.get("")
def queue(
    viewer: TrainerViewer,
    session: SessionDep,
    source: str | None = None,
    intent: str | None = None,
    status_: Annotated[str | None, Query(alias="status")] = "pending",
    page: int = 1,
) -> ReviewPage:
    filters = ReviewFilters(
        source=source if source in SOURCES else None,
        intent=(intent or "").strip() or None,
        status=status_ if status_ in STATUSES else None,
        page=max(1, min(page, 10_000)),
    )
    items, total = list_items(session, filters=filters)
    return ReviewPage(items=[ReviewItemOut.of(i) for i in items], total=total)


@router.post("/{item_id}/accept")
def accept_item(item_id: int, body: Decision, viewer: TrainerViewer, session: SessionDep) -> ReviewItemOut:
    entities = [e.model_dump() for e in body.entities] if body.entities is not None else None
    error = accept(session, item_id=item_id, reviewer=viewer.username, intent=body.intent, entities=entities)
    _raise(error)
    return ReviewItemOut.of(session.get_one(ReviewItem, item_id))


@router.post("/{item_id}/discard")
def discard_item(item_id: int, viewer: TrainerViewer, session: SessionDep) -> ReviewItemOut:
    _raise(discard(session, item_id=item_id, reviewer=viewer.username))
    return ReviewItemOut.of(session.get_one(ReviewItem, item_id))


@router.post("/export")
async def export(request: Request, viewer: TrainerViewer, session: SessionDep) -> ExportOut:
    """Write accepted items into the training data (training/export.py); conflicts listed."""
    settings = request.app.state.console.settings.trainer
    result = await run_in_threadpool(export_reviewed, session, data_dir=settings.data_dir, heldout=settings.heldout)
    return ExportOut(
        ok=result.ok,
        added=sum(result.written.values()),
        files=result.written,
        duplicates=result.duplicates,
        conflicts=[
            {"item_id": c.item_id, "text": c.text, "intent": c.intent, "other_intent": c.other_intent, "where": c.where}
            for c in result.conflicts
        ],
        heldout_item_ids=result.heldout,
        summary=result.summary(),
    )


def _raise(error: str | None) -> None:
    if error is None:
        return
    if error == "no such item":
        raise HTTPException(status.HTTP_404_NOT_FOUND, error)
    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error)
