"""Log in (cookie + bearer token), who am I, log out."""

from fastapi import APIRouter, HTTPException, Response, status

from cases.accounts import AccountError, AccountForbidden, authenticate, change_password, end_sessions
from console.api.deps import ConsoleDep, CurrentOfficer, SessionDep
from console.api.schemas import LoginRequest, LoginResponse, OfficerOut, PasswordChange
from console.context import ConsoleContext
from console.tokens import COOKIE_NAME

router = APIRouter(prefix="/auth", tags=["auth"])


def set_session_cookie(response: Response, console: ConsoleContext, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=console.tokens.max_age_seconds,
        httponly=True,
        samesite="strict",
        secure=console.settings.console.cookie_secure,
    )


# One answer for an unknown name, a wrong password and a locked account: a different
# answer would tell an attacker which usernames exist.
LOGIN_REFUSED = "wrong username or password, or the account is locked for a while"


@router.post("/login", responses={401: {}})
def login(body: LoginRequest, session: SessionDep, console: ConsoleDep, response: Response) -> LoginResponse:
    result = authenticate(session, username=body.username, password=body.password)
    session.commit()  # keep the failure count even though we answer with an error
    if result.officer is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, LOGIN_REFUSED)
    officer = result.officer
    token = console.tokens.issue(officer_id=officer.id, session_version=officer.session_version)
    set_session_cookie(response, console, token)
    return LoginResponse(token=token, officer=OfficerOut.of(officer))


@router.get("/me")
def me(officer: CurrentOfficer) -> OfficerOut:
    return OfficerOut.of(officer)


@router.post("/logout", status_code=204)
def logout(officer: CurrentOfficer, session: SessionDep, response: Response) -> None:
    end_sessions(session, officer=officer)
    response.delete_cookie(COOKIE_NAME)


@router.post("/password", responses={403: {}, 422: {}})
def password(
    body: PasswordChange, officer: CurrentOfficer, session: SessionDep, console: ConsoleDep, response: Response
) -> LoginResponse:
    """Change one's own password: every other session ends, this one gets a new token."""
    try:
        change_password(
            session,
            officer=officer,
            new_password=body.new_password,
            actor=officer.username,
            current_password=body.current_password,
        )
    except AccountForbidden as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from error
    except AccountError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    session.commit()
    token = console.tokens.issue(officer_id=officer.id, session_version=officer.session_version)
    set_session_cookie(response, console, token)
    return LoginResponse(token=token, officer=OfficerOut.of(officer))
