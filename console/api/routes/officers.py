"""Accounts: supervisors list their agency's officers (to assign); administrators create,
deactivate and reset accounts they may manage (ACOC and administrator accounts only an
ACOC administrator); every change is audited (``cases.accounts.audit``)."""

from fastapi import APIRouter, HTTPException, status

from cases.accounts import (
    AccountError,
    Role,
    account_events,
    change_password,
    create_officer,
    get_officer,
    list_officers,
    may_manage,
    set_active,
)
from cases.models import Officer
from console.api.deps import AdminViewer, RoutingViewer, SessionDep
from console.api.schemas import AccountEventOut, OfficerCreate, OfficerOut, PasswordReset

router = APIRouter(prefix="/officers", tags=["officers"])

FORBIDDEN = "only an ACOC administrator manages ACOC and administrator accounts"


@router.get("")
def officers(viewer: RoutingViewer, session: SessionDep, agency: str | None = None) -> list[OfficerOut]:
    scope = agency if viewer.is_admin else viewer.agency
    return [OfficerOut.of(o) for o in list_officers(session, agency=scope)]


@router.post("", status_code=201, responses={403: {}, 422: {}})
def create(body: OfficerCreate, viewer: AdminViewer, session: SessionDep) -> OfficerOut:
    try:
        role = Role(body.role)
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    if not may_manage(actor_agency=viewer.agency, actor_role=viewer.role, agency=body.agency, role=role):
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)
    try:
        officer = create_officer(
            session,
            username=body.username,
            password=body.password,
            agency=body.agency,
            role=role,
            display_name=body.display_name,
            actor=viewer.username,
        )
    except AccountError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return OfficerOut.of(officer)


def _manageable(session, viewer, officer_id: int) -> Officer:
    officer = get_officer(session, officer_id=officer_id) if 0 < officer_id < 2**31 else None
    if officer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such account")
    if not may_manage(actor_agency=viewer.agency, actor_role=viewer.role, agency=officer.agency, role=officer.role):
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)
    return officer


@router.post("/{officer_id}/deactivate", responses={403: {}, 404: {}, 409: {}})
def deactivate(officer_id: int, viewer: AdminViewer, session: SessionDep) -> OfficerOut:
    officer = _manageable(session, viewer, officer_id)
    if officer.id == viewer.officer_id:
        raise HTTPException(status.HTTP_409_CONFLICT, "an administrator cannot deactivate their own account")
    set_active(session, officer=officer, active=False, actor=viewer.username)
    return OfficerOut.of(officer)


@router.post("/{officer_id}/activate", responses={403: {}, 404: {}})
def activate(officer_id: int, viewer: AdminViewer, session: SessionDep) -> OfficerOut:
    officer = _manageable(session, viewer, officer_id)
    set_active(session, officer=officer, active=True, actor=viewer.username)
    return OfficerOut.of(officer)


@router.post("/{officer_id}/password", responses={403: {}, 404: {}, 422: {}})
def reset_password(officer_id: int, body: PasswordReset, viewer: AdminViewer, session: SessionDep) -> OfficerOut:
    officer = _manageable(session, viewer, officer_id)
    try:
        change_password(session, officer=officer, new_password=body.password, actor=viewer.username)
    except AccountError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return OfficerOut.of(officer)


@router.get("/audit")
def audit_log(viewer: AdminViewer, session: SessionDep) -> list[AccountEventOut]:
    return [AccountEventOut.of(e) for e in account_events(session)]
