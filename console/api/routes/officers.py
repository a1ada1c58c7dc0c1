"""Accounts: supervisors list their agency's officers (to assign); admins create accounts."""

from fastapi import APIRouter, HTTPException, status

from cases.accounts import AccountError, Role, create_officer, list_officers
from console.api.deps import AdminViewer, RoutingViewer, SessionDep
from console.api.schemas import OfficerCreate, OfficerOut

router = APIRouter(prefix="/officers", tags=["officers"])


@router.get("")
def officers(viewer: RoutingViewer, session: SessionDep, agency: str | None = None) -> list[OfficerOut]:
    scope = agency if viewer.is_admin else viewer.agency
    return [OfficerOut.of(o) for o in list_officers(session, agency=scope)]


@router.post("", status_code=201)
def create(body: OfficerCreate, viewer: AdminViewer, session: SessionDep) -> OfficerOut:
    try:
        role = Role(body.role)
        officer = create_officer(
            session,
            username=body.username,
            password=body.password,
            agency=body.agency,
            role=role,
            display_name=body.display_name,
        )
    except (AccountError, ValueError) as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return OfficerOut.of(officer)
