"""What every console page shares: templates, the logged-in officer, CSRF, Thai labels.

Pages authenticate with the API's session cookie and the API's own check
(``officer_from_request``), so a page can never show more than the API would.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from cases.access import Viewer
from cases.agencies import get_agency
from cases.models import Officer
from cases.places import all_provinces
from cases.thai_format import thai_date, thai_datetime, thai_month
from cases.taxonomy import CATEGORY_NAMES_TH, Category
from cases.ticket_queries import TicketFilters
from console.api.deps import ConsoleDep, SessionDep, officer_from_request
from console.tokens import COOKIE_NAME
from console.nlu_model import live_nlu_model

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
TEMPLATES.env.globals["live_nlu_model"] = live_nlu_model  # footer: the NLU model in use
PREFIX = "/console"
LOGIN_PATH = f"{PREFIX}/login"
CSRF_FIELD = "csrf_token"

# Short state names for officers (the citizen-facing ones live in cases.taxonomy).
STATE_LABELS = {
    "new": "ใหม่",
    "acknowledged": "รับทราบแล้ว",
    "in_progress": "กำลังดำเนินการ",
    "resolved": "แก้ไขแล้ว",
    "closed": "ปิดเรื่อง",
    "referred": "ส่งต่อหน่วยงานอื่น",
    "rejected": "ไม่รับเรื่อง",
    "reopened": "เปิดเรื่องใหม่",
}
ROLE_LABELS = {"officer": "เจ้าหน้าที่", "supervisor": "หัวหน้างาน", "admin": "ผู้ดูแลระบบ", "trainer": "ผู้ฝึกสอนโมเดล"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def list_filters(
    state: str | None,
    category: str | None,
    province: str | None,
    overdue: str | None,
    q: str | None,
    page: int = 1,
    page_size: int = 50,
) -> TicketFilters:
    """The ticket list's filters as the list and the map take them from the query string;
    an invalid value is ignored, never an error page."""
    return TicketFilters(
        state=state if state in STATE_LABELS else None,
        category=category if category in {c.value for c in Category} else None,
        province=province if province in all_provinces() else None,
        overdue=True if overdue == "1" else None,
        q=(q or "").strip()[:200] or None,
        page=page,
        page_size=page_size,
    )


def filter_choices() -> dict[str, Any]:
    """What the filter form (templates/_filters.html) offers."""
    return {
        "states": STATE_LABELS,
        "categories": {c.value: n for c, n in CATEGORY_NAMES_TH.items()},
        "provinces": sorted(all_provinces()),
    }


def csrf_for(session_id: str) -> str:
    """Bound to the session (not to its token, which is re-signed on each request): only a
    page served to this session knows it."""
    return hmac.new(session_id.encode(), b"idee-console-csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PageAuth:
    officer: Officer
    viewer: Viewer
    csrf: str


def page_auth(request: Request, session: SessionDep, console: ConsoleDep) -> PageAuth:
    officer = officer_from_request(request, session, console)
    token = request.cookies.get(COOKIE_NAME)
    if officer is None or not token:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return PageAuth(officer, Viewer.of(officer), csrf_for(request.state.session_id))


PageAuthDep = Annotated[PageAuth, Depends(page_auth)]


async def checked_auth(request: Request, auth: PageAuthDep) -> PageAuth:
    """For form posts: the hidden CSRF field must match this session's token."""
    form = await request.form()
    sent = str(form.get(CSRF_FIELD) or "")
    if not hmac.compare_digest(sent, auth.csrf):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "CSRF token missing or wrong")
    return auth


CheckedAuthDep = Annotated[PageAuth, Depends(checked_auth)]


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=status.HTTP_303_SEE_OTHER)


def login_redirect(request: Request, exc: LoginRequired) -> RedirectResponse:
    return redirect(f"{LOGIN_PATH}?next={quote(exc.next_path, safe='')}")


def safe_next(path: str | None) -> str:
    """Only paths inside the console: never an open redirect."""
    if path and path.startswith(PREFIX) and not path.startswith("//") and "\\" not in path:
        return path
    return PREFIX


def category_label(code: str | None) -> str:
    try:
        return CATEGORY_NAMES_TH[Category(code)]
    except ValueError:
        return code or "-"


def agency_label(code: str | None) -> str:
    agency = get_agency(code) if code else None
    return agency.name_th if agency else (code or "-")


TEMPLATES.env.filters.update(
    thai_dt=thai_datetime,
    thai_date=thai_date,
    thai_month=thai_month,
    state_label=lambda s: STATE_LABELS.get(s or "", s or "-"),
    category_label=category_label,
    agency_label=agency_label,
    role_label=lambda r: ROLE_LABELS.get(r, r),
)
TEMPLATES.env.globals.update(PREFIX=PREFIX, CSRF_FIELD=CSRF_FIELD)
