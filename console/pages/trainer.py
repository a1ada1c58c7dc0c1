"""Trainers' pages under /console/trainer: the review queue, one item, export, model figures.

Only trainers and administrators (``Viewer.can_train``) see them; the queue holds masked
text only, and a trainer sees no ticket (cases/access.py).
"""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from cases.models import ReviewItem
from cases.review_queue import (
    SOURCES,
    STATUSES,
    TRAINABLE_ENTITIES,
    TRAINABLE_INTENTS,
    ReviewFilters,
    accept,
    counts_by_status,
    discard,
    list_items,
)
from console.api.deps import SessionDep
from console.model_report import report_history, trend
from console.pages.common import PREFIX, CheckedAuthDep, PageAuth, PageAuthDep, redirect, render
from cases.review_export import export_reviewed

router = APIRouter()
BASE = f"{PREFIX}/trainer"
PAGE_SIZE = 30
ENTITY_ROWS = 4  # empty span rows offered on an item page

SOURCE_LABELS = {
    "low_confidence": "ความมั่นใจต่ำ",
    "fallback": "ไม่เข้าใจ (fallback)",
    "citizen_choice": "ผู้ร้องเลือกประเภท",
    "citizen_corrected": "ผู้ร้องแก้ประเภท",
    "officer_reroute": "เจ้าหน้าที่ส่งต่อ",
    "officer_recategorise": "เจ้าหน้าที่เปลี่ยนประเภท",
}
STATUS_LABELS = {"pending": "รอตรวจ", "accepted": "ยอมรับแล้ว", "discarded": "ทิ้งแล้ว"}
ENTITY_LABELS = {
    "province": "จังหวัด",
    "district": "อำเภอ/เขต",
    "industrial_estate": "นิคมอุตสาหกรรม",
    "tracking_number": "เลขที่เรื่อง",
    "date": "วันเวลา",
}
NOTICES = {"accepted": "บันทึกและยอมรับแล้ว", "discarded": "ทิ้งรายการแล้ว"}
# The model's label is only a guess for these: no label is preselected (one click away from a
# wrong training example); the trainer picks one, helped by the model's top three guesses.
UNCONFIRMED_SOURCES = frozenset({"fallback", "low_confidence"})
CHOOSE_LABEL = "เลือกป้ายกำกับก่อนบันทึก (รายการนี้โมเดลไม่แน่ใจ)"
GUESSES = 3
GUESS_TIMEOUT_SECONDS = 2.0


def preselected(item: ReviewItem) -> str | None:
    """The label the form offers: a correction, or a confident prediction; None for a
    fallback or low-confidence item nobody has labelled yet."""
    if item.corrected_intent:
        return item.corrected_intent
    if item.source in UNCONFIRMED_SOURCES:
        return None
    return item.predicted_intent if item.predicted_intent in TRAINABLE_INTENTS else None


def top_guesses(rasa_url: str, texts: dict[int, str], n: int = GUESSES) -> dict[int, list[tuple[str, float]]]:
    """The live model's top ``n`` trainable intents per item (POST /model/parse on the masked
    text). Rasa unreachable: no guesses, the page still works."""
    url = f"{rasa_url.split(',')[0].strip().rstrip('/')}/model/parse"
    found: dict[int, list[tuple[str, float]]] = {}
    try:
        with httpx.Client(timeout=GUESS_TIMEOUT_SECONDS) as client:
            for item_id, text in texts.items():
                response = client.post(url, json={"text": text})
                response.raise_for_status()
                ranking = response.json().get("intent_ranking") or []
                found[item_id] = [
                    (r["name"], float(r.get("confidence") or 0.0))
                    for r in ranking
                    if r.get("name") in TRAINABLE_INTENTS
                ][:n]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        pass
    return found


def _guesses_for(request: Request, items: list[ReviewItem]) -> dict[int, list[tuple[str, float]]]:
    wanted = {i.id: i.text for i in items if i.source in UNCONFIRMED_SOURCES and i.status == "pending"}
    if not wanted:
        return {}
    return top_guesses(request.app.state.console.settings.rasa.url, wanted)


def _forbidden(request: Request, auth: PageAuth) -> Response:
    return render(request, "trainer_forbidden.html", {"auth": auth}, 403)


@router.get("/trainer")
def queue_page(
    request: Request,
    auth: PageAuthDep,
    session: SessionDep,
    source: str | None = None,
    intent: str | None = None,
    status: str | None = "pending",
    page: int = 1,
    msg: str | None = None,
    error: str | None = None,
) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    filters = ReviewFilters(
        source=source if source in SOURCES else None,
        intent=intent if intent in TRAINABLE_INTENTS or intent == "nlu_fallback" else None,
        status=status if status in STATUSES else None,
        page=max(1, min(page, 10_000)),
        page_size=PAGE_SIZE,
    )
    items, total = list_items(session, filters=filters)
    return render(
        request,
        "trainer_queue.html",
        {
            "auth": auth,
            "items": items,
            "total": total,
            "filters": filters,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "counts": counts_by_status(session),
            "sources": SOURCE_LABELS,
            "statuses": STATUS_LABELS,
            "intents": TRAINABLE_INTENTS,
            "query": {k: v for k, v in request.query_params.items() if k not in ("page", "msg", "error") and v},
            "notice": NOTICES.get(msg or ""),
            "error": error,
            "preselected": {i.id: preselected(i) for i in items},
            "guesses": _guesses_for(request, items),
        },
    )


@router.get("/trainer/items/{item_id}")
def item_page(
    request: Request, item_id: int, auth: PageAuthDep, session: SessionDep, error: str | None = None
) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    item = session.get(ReviewItem, item_id)
    if item is None:
        return render(request, "not_found.html", {"auth": auth}, 404)
    spans = list(item.entities or []) + [{"start": "", "end": "", "entity": "", "value": ""}] * ENTITY_ROWS
    return render(
        request,
        "trainer_item.html",
        {
            "auth": auth,
            "item": item,
            "spans": spans,
            "intents": TRAINABLE_INTENTS,
            "entities": {e: ENTITY_LABELS.get(e, e) for e in TRAINABLE_ENTITIES},
            "sources": SOURCE_LABELS,
            "statuses": STATUS_LABELS,
            "error": error,
            "positions": list(enumerate(item.text)),
            "preselected": preselected(item),
            "guesses": _guesses_for(request, [item]).get(item.id, []),
        },
    )


def spans_from_form(text: str, starts: list[str], ends: list[str], names: list[str], values: list[str]) -> list[dict]:
    """The span rows of the item form: start/end, or only the words (first occurrence)."""
    spans: list[dict] = []
    for start, end, name, value in zip(starts, ends, names, values + [""] * len(starts)):
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if start.strip() and end.strip():
            try:
                spans.append({"start": int(start), "end": int(end), "entity": name})
            except ValueError:
                spans.append({"start": -1, "end": -1, "entity": name})  # refused by the check
        elif value and value in text:
            at = text.index(value)
            spans.append({"start": at, "end": at + len(value), "entity": name})
        else:
            spans.append({"start": -1, "end": -1, "entity": name})
    return spans


@router.post("/trainer/items/{item_id}/accept")
async def accept_page(
    request: Request,
    item_id: int,
    auth: CheckedAuthDep,
    session: SessionDep,
    intent: str = Form(""),
) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    item = session.get(ReviewItem, item_id)
    if item is None:
        return render(request, "not_found.html", {"auth": auth}, 404)
    if not intent.strip() and preselected(item) is None:
        return redirect(f"{BASE}/items/{item_id}?error={_quote(CHOOSE_LABEL)}")
    form = await request.form()
    entities = None
    if form.get("spans") == "1":  # the item page's span form, not the queue's quick accept
        entities = spans_from_form(
            item.text,
            [str(v) for v in form.getlist("start")],
            [str(v) for v in form.getlist("end")],
            [str(v) for v in form.getlist("entity")],
            [str(v) for v in form.getlist("value")],
        )
    error = accept(
        session, item_id=item_id, reviewer=auth.viewer.username, intent=intent.strip() or None, entities=entities
    )
    if error:
        session.rollback()
        return redirect(f"{BASE}/items/{item_id}?error={_quote(error)}")
    return redirect(f"{BASE}?msg=accepted")


@router.post("/trainer/items/{item_id}/discard")
def discard_page(request: Request, item_id: int, auth: CheckedAuthDep, session: SessionDep) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    if discard(session, item_id=item_id, reviewer=auth.viewer.username):
        return render(request, "not_found.html", {"auth": auth}, 404)
    return redirect(f"{BASE}?msg=discarded")


@router.post("/trainer/export")
async def export_page(request: Request, auth: CheckedAuthDep, session: SessionDep) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    settings = request.app.state.console.settings.trainer
    result = await run_in_threadpool(export_reviewed, session, data_dir=settings.data_dir, heldout=settings.heldout)
    return render(request, "trainer_export.html", {"auth": auth, "result": result}, 200 if result.ok else 409)


@router.get("/trainer/model")
async def model_page(request: Request, auth: PageAuthDep) -> Response:
    if not auth.viewer.can_train:
        return _forbidden(request, auth)
    reports = await run_in_threadpool(report_history, request.app.state.console.settings.trainer.report)
    current = reports[-1] if reports else None
    return render(
        request,
        "trainer_model.html",
        {
            "auth": auth,
            "report": current,
            "trend": trend(reports),
            "report_path": request.app.state.console.settings.trainer.report.name,
        },
    )


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:200], safe="")
