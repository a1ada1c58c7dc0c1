"""Ticket list and ticket page; the actions call the API's own handlers (same rules)."""

from datetime import datetime, timezone

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from cases.accounts import list_officers
from cases.feedback import feedback_for_ticket
from cases.agencies import all_agencies
from cases.service_levels import is_overdue
from cases.taxonomy import CATEGORY_NAMES_TH
from cases.duplicate_links import complainant_counts
from cases.ticket_queries import list_tickets, visible_ticket
from cases.workflow import allowed_next, may_recategorise
from console.api.deps import ConsoleDep, LineDep, SessionDep, get_router_viewer
from console.api.routes import tickets as api
from console.api.schemas import Assignment, Recategorise, Reply, Reroute, StateChange
from console.evidence import case_evidence
from cases.registry.links import repeat_offenders
from console.pages.factories import ticket_factory_context
from console.pages.common import (
    PREFIX,
    CheckedAuthDep,
    PageAuthDep,
    filter_choices,
    list_filters,
    redirect,
    render,
)
from console.transcript import fetch_transcript

router = APIRouter()

PAGE_SIZE = 25
NOTICES = {
    "state": "เปลี่ยนสถานะแล้ว",
    "state_notified": "เปลี่ยนสถานะแล้ว และแจ้งผู้ร้องทาง LINE แล้ว",
    "reply": "บันทึกคำตอบแล้ว",
    "reply_notified": "ส่งคำตอบถึงผู้ร้องทาง LINE แล้ว",
    "assign": "มอบหมายเจ้าหน้าที่แล้ว",
    "reroute": "ส่งต่อหน่วยงานแล้ว",
    "recategorise": "เปลี่ยนประเภทเรื่องแล้ว และส่งถึงหน่วยงานตามประเภทใหม่",
    "factory": "บันทึกโรงงานที่ถูกร้องเรียนแล้ว",
}
ERRORS = {
    403: "ท่านไม่มีสิทธิ์ทำรายการนี้",
    404: "ไม่พบเรื่องนี้ หรือท่านไม่มีสิทธิ์เข้าถึง",
    409: "เปลี่ยนเป็นสถานะนี้ไม่ได้ (หรือต้องระบุเหตุผลในบันทึก)",
    422: "ข้อมูลไม่ครบหรือไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


@router.get("")
def ticket_list(
    request: Request,
    auth: PageAuthDep,
    session: SessionDep,
    state: str | None = None,
    category: str | None = None,
    province: str | None = None,
    overdue: str | None = None,
    q: str | None = None,
    page: int = 1,
    msg: str | None = None,
) -> Response:
    """Invalid filter values are ignored, never an error page."""
    if auth.viewer.role.value == "trainer":  # trainers see no ticket: their start is the queue
        return redirect(f"{PREFIX}/trainer")
    filters = list_filters(state, category, province, overdue, q, page=max(1, min(page, 10_000)), page_size=PAGE_SIZE)
    now = _now()
    result = list_tickets(session, viewer=auth.viewer, filters=filters, now=now)
    rows = [(t, _overdue(t, now)) for t in result.items]
    return render(
        request,
        "list.html",
        {
            "auth": auth,
            "rows": rows,
            "filters": filters,
            "total": result.total,
            "total_exact": result.total_exact,
            "pages": max(1, -(-result.total // PAGE_SIZE)),
            "page_size": PAGE_SIZE,
            **filter_choices(),
            "query": {k: v for k, v in request.query_params.items() if k not in ("page", "msg") and v},
            "notice": NOTICES.get(msg or ""),
            "complainants": complainant_counts(session, case_ids=[t.id for t in result.items]),
            "repeat_factories": repeat_offenders(
                session, viewer=auth.viewer, factory_ids={t.factory_id for t in result.items if t.factory_id}, now=now
            ),
        },
    )


def _overdue(ticket, now: datetime) -> bool:
    def aware(m):
        return m if m is None or m.tzinfo else m.replace(tzinfo=timezone.utc)

    return is_overdue(
        state=ticket.state, ack_due_at=aware(ticket.ack_due_at), resolve_due_at=aware(ticket.resolve_due_at), now=now
    )


@router.get("/tickets/{tracking_number}")
async def ticket_page(
    request: Request,
    tracking_number: str,
    auth: PageAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    msg: str | None = None,
    error: int | None = None,
    factory_q: str | None = None,
) -> Response:
    ticket = visible_ticket(session, viewer=auth.viewer, tracking_number=tracking_number)
    if ticket is None:
        return render(request, "not_found.html", {"auth": auth}, 404)
    transcript = None
    if ticket.line_user_id:
        transcript = await fetch_transcript(
            console.settings.rasa.url,
            ticket.line_user_id,
            tracking_number=ticket.tracking_number,
            anonymous=ticket.anonymous,
            timeout=console.settings.console.transcript_timeout_seconds,
            token=console.settings.rasa.auth_token,
        )
    can_route = auth.viewer.can_route
    return render(
        request,
        "ticket.html",
        {
            "auth": auth,
            "t": ticket,
            "overdue": _overdue(ticket, _now()),
            "lat": getattr(ticket, "latitude", None),
            "lon": getattr(ticket, "longitude", None),
            "address": getattr(ticket, "address", None),
            "next_states": [s.value for s in allowed_next(ticket.state)],
            "transcript": transcript,
            "notice": NOTICES.get(msg or ""),
            "error": ERRORS.get(error or 0),
            "can_route": can_route,
            "evidence": case_evidence(session, viewer=auth.viewer, ticket=ticket),  # complainants, photos
            "feedback": feedback_for_ticket(session, ticket_id=ticket.id),  # the citizen's answers
            "officers": list_officers(session, agency=ticket.agency) if can_route else [],
            "agencies": [a for a in all_agencies() if a.code != ticket.agency] if can_route else [],
            "categories": _new_categories(ticket, auth.viewer.agency) if can_route else {},
            **await run_in_threadpool(ticket_factory_context, session, auth.viewer, ticket, factory_q),
        },
    )


def _new_categories(ticket, agency: str) -> dict[str, str]:
    """The categories this viewer may give the ticket (corruption only for ACOC)."""
    return {
        c.value: name
        for c, name in CATEGORY_NAMES_TH.items()
        if c.value != ticket.category and may_recategorise(ticket, c, agency)
    }


def _back(tracking_number: str, *, msg: str | None = None, error: int | None = None) -> Response:
    suffix = f"?msg={msg}" if msg else f"?error={error}" if error else ""
    return redirect(f"{PREFIX}/tickets/{tracking_number}{suffix}")


async def _act(tracking_number: str, action) -> Response:
    """Run an API handler; its HTTP errors become a Thai message on the ticket page."""
    try:
        return _back(tracking_number, msg=await action())
    except HTTPException as exc:
        if exc.status_code == 404:
            return _back(tracking_number, error=404)
        return _back(tracking_number, error=exc.status_code if exc.status_code in ERRORS else 422)
    except ValidationError:
        return _back(tracking_number, error=422)


@router.post("/tickets/{tracking_number}/state")
async def change_state(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
    state: str = Form(""),
    note: str = Form(""),
    notify: str = Form(""),
) -> Response:
    async def action() -> str:
        body = StateChange(state=state, note=note.strip() or None, notify=notify == "1")
        result = await api.change_state(tracking_number, body, auth.viewer, session, console, line)
        return "state_notified" if result.notified else "state"

    return await _act(tracking_number, action)


@router.post("/tickets/{tracking_number}/reply")
async def reply(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
    text: str = Form(""),
) -> Response:
    async def action() -> str:
        result = await api.reply(tracking_number, Reply(text=text.strip()), auth.viewer, session, console, line)
        return "reply_notified" if result.notified else "reply"

    return await _act(tracking_number, action)


@router.post("/tickets/{tracking_number}/assign")
async def assign(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    officer_id: int = Form(0),
) -> Response:
    async def action() -> str:
        body, viewer = Assignment(officer_id=officer_id), get_router_viewer(auth.viewer)
        await run_in_threadpool(api.assign_, tracking_number, body, viewer, session)
        return "assign"

    return await _act(tracking_number, action)


@router.post("/tickets/{tracking_number}/reroute")
async def reroute(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    agency: str = Form(""),
    reason: str = Form(""),
) -> Response:
    async def action() -> str:
        body, viewer = Reroute(agency=agency, reason=reason.strip()), get_router_viewer(auth.viewer)
        await run_in_threadpool(api.reroute_, tracking_number, body, viewer, session)
        return "reroute"

    response = await _act(tracking_number, action)
    if response.headers["location"].endswith("msg=reroute"):  # no longer ours to see, maybe
        return redirect(f"{PREFIX}?msg=reroute")
    return response


@router.post("/tickets/{tracking_number}/recategorise")
async def recategorise(
    tracking_number: str,
    auth: CheckedAuthDep,
    session: SessionDep,
    category: str = Form(""),
    reason: str = Form(""),
) -> Response:
    async def action() -> str:
        body, viewer = Recategorise(category=category, reason=reason.strip()), get_router_viewer(auth.viewer)
        await run_in_threadpool(api.recategorise_, tracking_number, body, viewer, session)
        return "recategorise"

    response = await _act(tracking_number, action)
    if not response.headers["location"].endswith("msg=recategorise"):
        return response
    still_ours = await run_in_threadpool(visible_ticket, session, viewer=auth.viewer, tracking_number=tracking_number)
    return response if still_ours else redirect(f"{PREFIX}?msg=recategorise")  # routed elsewhere
