"""Typed dependencies of the console API (session, current officer, LINE client)."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from cases.access import Viewer
from cases.accounts import get_officer
from cases.models import Officer
from console.context import ConsoleContext
from console.tokens import COOKIE_NAME
from gateway.line_client import LineClient


def get_console(request: Request) -> ConsoleContext:
    return request.app.state.console


ConsoleDep = Annotated[ConsoleContext, Depends(get_console)]


def get_db(console: ConsoleDep) -> Iterator[Session]:
    """One session per request; committed at the end unless the handler failed."""
    with console.sessions() as session:
        yield session
        session.commit()


SessionDep = Annotated[Session, Depends(get_db)]


def request_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE_NAME)


def officer_from_request(request: Request, session: Session, console: ConsoleContext) -> Officer | None:
    token = request_token(request)
    claims = console.tokens.read(token) if token else None
    if claims is None:
        return None
    officer = get_officer(session, officer_id=claims.officer_id)
    if officer is None or not officer.active or officer.session_version != claims.session_version:
        return None
    # the session is in use: ``install_session_refresh`` hands the client the re-signed token
    request.state.session_id = claims.session_id
    request.state.refreshed_token = console.tokens.refresh(claims)
    return officer


def get_current_officer(request: Request, session: SessionDep, console: ConsoleDep) -> Officer:
    officer = officer_from_request(request, session, console)
    if officer is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not logged in", headers={"WWW-Authenticate": "Bearer"})
    return officer


CurrentOfficer = Annotated[Officer, Depends(get_current_officer)]


def get_viewer(officer: CurrentOfficer) -> Viewer:
    return Viewer.of(officer)


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def get_router_viewer(viewer: ViewerDep) -> Viewer:
    if not viewer.can_route:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "supervisors and administrators only")
    return viewer


RoutingViewer = Annotated[Viewer, Depends(get_router_viewer)]


def get_admin_viewer(viewer: ViewerDep) -> Viewer:
    if not viewer.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "administrators only")
    return viewer


AdminViewer = Annotated[Viewer, Depends(get_admin_viewer)]


def get_line(request: Request) -> LineClient:
    return request.app.state.line_gateway.line


LineDep = Annotated[LineClient, Depends(get_line)]
