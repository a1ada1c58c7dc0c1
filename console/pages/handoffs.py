"""Conversations handed to officers: the waiting list and one conversation (reply, hand back).

The forms call the API's own handlers, so the pages follow the same access rules.
"""

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cases.handoff import CENTRAL_DESK_AGENCY, list_handoffs, officer_names, visible_handoff
from console.api.deps import ConsoleDep, LineDep, SessionDep
from console.api.routes import handoffs as api
from console.pages.common import PREFIX, CheckedAuthDep, PageAuthDep, redirect, render

router = APIRouter()

NOTICES = {
    "sent": "ส่งข้อความถึงผู้ร้องทาง LINE แล้ว",
    "saved": "บันทึกข้อความแล้ว (ส่งทาง LINE ไม่สำเร็จ)",
    "back": "ส่งการสนทนากลับให้ไอ-ดีแล้ว",
}
ERRORS = {
    404: "ไม่พบการสนทนานี้ หรือท่านไม่มีสิทธิ์เข้าถึง",
    409: "การสนทนานี้สิ้นสุดแล้ว",
    422: "ข้อความว่างหรือยาวเกินไป",
}
CLOSE_REASONS = {"officer": "เจ้าหน้าที่ส่งกลับให้ไอ-ดี", "timeout": "หมดเวลา", "citizen": "ผู้ร้องขอกลับไปคุยกับไอ-ดี"}


@router.get("/handoffs")
def handoff_list(request: Request, auth: PageAuthDep, session: SessionDep) -> Response:
    items = list_handoffs(session, viewer=auth.viewer)
    return render(request, "handoffs.html", {"auth": auth, "items": items, "central_desk": CENTRAL_DESK_AGENCY})


@router.get("/handoffs/{handoff_id}")
def handoff_page(
    request: Request,
    handoff_id: int,
    auth: PageAuthDep,
    session: SessionDep,
    msg: str | None = None,
    error: int | None = None,
) -> Response:
    handoff = visible_handoff(session, viewer=auth.viewer, handoff_id=handoff_id)
    if handoff is None:
        return render(request, "not_found.html", {"auth": auth}, 404)
    names = officer_names(session, {m.officer_id for m in handoff.messages if m.officer_id})
    return render(
        request,
        "handoff.html",
        {
            "auth": auth,
            "h": handoff,
            "names": names,
            "central_desk": CENTRAL_DESK_AGENCY,
            "notice": NOTICES.get(msg or ""),
            "error": ERRORS.get(error or 0),
            "close_reason": CLOSE_REASONS.get(handoff.closed_reason or ""),
        },
    )


def _back(handoff_id: int, *, msg: str | None = None, error: int | None = None) -> Response:
    suffix = f"?msg={msg}" if msg else f"?error={error}" if error else ""
    return redirect(f"{PREFIX}/handoffs/{handoff_id}{suffix}")


async def _act(handoff_id: int, action) -> Response:
    try:
        return _back(handoff_id, msg=await action())
    except HTTPException as exc:
        return _back(handoff_id, error=exc.status_code if exc.status_code in ERRORS else 422)
    except ValidationError:
        return _back(handoff_id, error=422)


@router.post("/handoffs/{handoff_id}/reply")
async def reply(
    handoff_id: int,
    auth: CheckedAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
    text: str = Form(""),
) -> Response:
    async def action() -> str:
        body = api.HandoffReply(text=text.strip())
        result = await api.reply(handoff_id, body, auth.viewer, session, console, line)
        return "sent" if result.notified else "saved"

    return await _act(handoff_id, action)


@router.post("/handoffs/{handoff_id}/close")
async def hand_back(
    handoff_id: int,
    auth: CheckedAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    line: LineDep,
) -> Response:
    async def action() -> str:
        await api.hand_back(handoff_id, auth.viewer, session, console, line)
        return "back"

    return await _act(handoff_id, action)
