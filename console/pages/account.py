"""The officer's own account (password change) and, for administrators, the accounts
they may manage (deactivate / re-enable); the same rules and audit as the API."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from cases.accounts import (
    AccountError,
    AccountForbidden,
    change_password,
    get_officer,
    may_manage,
    set_active,
)
from cases.models import Officer
from console.api.deps import ConsoleDep, SessionDep
from console.api.routes.auth import set_session_cookie
from console.pages.common import PREFIX, CheckedAuthDep, PageAuthDep, redirect, render
from sqlalchemy import select

router = APIRouter()

NOTICES = {
    "password": "เปลี่ยนรหัสผ่านแล้ว",
    "deactivated": "ระงับบัญชีแล้ว",
    "activated": "เปิดใช้บัญชีแล้ว",
}
ERRORS = {
    "wrong": "รหัสผ่านปัจจุบันไม่ถูกต้อง",
    "short": "รหัสผ่านใหม่ต้องยาวอย่างน้อย 10 ตัวอักษร",
    "forbidden": "บัญชีนี้จัดการได้เฉพาะผู้ดูแลระบบของศูนย์ต่อต้านการทุจริต",
}


def _manageable(session, viewer) -> list[Officer]:
    if not viewer.is_admin:
        return []
    everyone = session.scalars(select(Officer).order_by(Officer.agency, Officer.username))
    return [
        o
        for o in everyone
        if o.id != viewer.officer_id
        and may_manage(actor_agency=viewer.agency, actor_role=viewer.role, agency=o.agency, role=o.role)
    ]


@router.get("/account")
def account_page(
    request: Request, auth: PageAuthDep, session: SessionDep, msg: str | None = None, error: str | None = None
) -> Response:
    return render(
        request,
        "account.html",
        {
            "auth": auth,
            "accounts": _manageable(session, auth.viewer),
            "notice": NOTICES.get(msg or ""),
            "error": ERRORS.get(error or ""),
        },
    )


@router.post("/account/password")
def password(
    auth: CheckedAuthDep,
    session: SessionDep,
    console: ConsoleDep,
    current_password: str = Form(""),
    new_password: str = Form(""),
) -> Response:
    try:
        change_password(
            session,
            officer=auth.officer,
            new_password=new_password,
            actor=auth.officer.username,
            current_password=current_password,
        )
    except AccountForbidden:
        return redirect(f"{PREFIX}/account?error=wrong")
    except AccountError:
        return redirect(f"{PREFIX}/account?error=short")
    session.commit()
    response = redirect(f"{PREFIX}/account?msg=password")
    set_session_cookie(
        response,
        console,
        console.tokens.issue(officer_id=auth.officer.id, session_version=auth.officer.session_version),
    )
    return response


@router.post("/account/{officer_id}/active")
def set_account_active(officer_id: int, auth: CheckedAuthDep, session: SessionDep, active: str = Form("")) -> Response:
    target = get_officer(session, officer_id=officer_id) if 0 < officer_id < 2**31 else None
    viewer = auth.viewer
    if (
        target is None
        or target.id == viewer.officer_id
        or not may_manage(actor_agency=viewer.agency, actor_role=viewer.role, agency=target.agency, role=target.role)
    ):
        return redirect(f"{PREFIX}/account?error=forbidden")
    enable = active == "1"
    set_active(session, officer=target, active=enable, actor=viewer.username)
    return redirect(f"{PREFIX}/account?msg={'activated' if enable else 'deactivated'}")
