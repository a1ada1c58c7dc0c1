"""Each authenticated console request extends its session's idle limit (see ``console.tokens``)."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from console.tokens import COOKIE_NAME, REFRESH_HEADER


def install_session_refresh(app: FastAPI) -> None:
    @app.middleware("http")
    async def refresh_session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        token = getattr(request.state, "refreshed_token", None)
        if token is None or _sets_session_cookie(response):
            return response  # not authenticated, or the handler logged in, out or changed the password
        response.headers[REFRESH_HEADER] = token
        if request.cookies.get(COOKIE_NAME):
            console = request.app.state.console
            response.set_cookie(
                COOKIE_NAME,
                token,
                max_age=console.tokens.max_age_seconds,
                httponly=True,
                samesite="strict",
                secure=console.settings.console.cookie_secure,
            )
        return response


def _sets_session_cookie(response: Response) -> bool:
    prefix = f"{COOKIE_NAME}=".encode()
    return any(name.lower() == b"set-cookie" and value.startswith(prefix) for name, value in response.raw_headers)
