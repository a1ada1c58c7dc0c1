"""Log in and out of the web console (the same accounts, lockout and cookie as the API)."""

import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from cases.accounts import authenticate, end_sessions
from console.api.deps import ConsoleDep, SessionDep
from console.api.routes.auth import set_session_cookie
from console.pages.common import (
    PREFIX,
    CheckedAuthDep,
    redirect,
    render,
    safe_next,
)
from console.tokens import COOKIE_NAME

router = APIRouter()

# Login has no session yet: a double-submit cookie guards against login CSRF.
LOGIN_CSRF_COOKIE = "idee_login_csrf"
LOGIN_ERRORS = {
    # the same words for an unknown name, a wrong password and a locked account
    "invalid": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกระงับชั่วคราวเนื่องจากใส่รหัสผ่านผิดหลายครั้ง",
    "expired": "หน้าเข้าสู่ระบบหมดอายุ กรุณาลองอีกครั้ง",
}


def _login_page(request: Request, console, next_path: str, error: str | None, status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"csrf": token, "next": safe_next(next_path), "error": LOGIN_ERRORS.get(error or "")},
        status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=console.settings.console.cookie_secure,
        path=f"{PREFIX}/login",
    )
    return response


@router.get("/login")
def login_form(request: Request, console: ConsoleDep, next: str = PREFIX) -> Response:
    return _login_page(request, console, next, None)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    console: ConsoleDep,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form(PREFIX),
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, console, next, "expired", 400)
    result = authenticate(session, username=username, password=password)
    session.commit()  # keep the failure count
    if result.officer is None:
        return _login_page(request, console, next, "invalid", 401)
    officer = result.officer
    response = redirect(safe_next(next))
    set_session_cookie(
        response,
        console,
        console.tokens.issue(officer_id=officer.id, session_version=officer.session_version),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=f"{PREFIX}/login")
    return response


@router.post("/logout")
def logout(auth: CheckedAuthDep, session: SessionDep) -> Response:
    end_sessions(session, officer=auth.officer)  # same request session as the check
    response = redirect(f"{PREFIX}/login")
    response.delete_cookie(COOKIE_NAME)
    return response
