"""Signed session tokens (itsdangerous) with an idle and an absolute limit; logout bumps the officer's version.

A token carries its session id and login time; its signature's timestamp is the session's
last use. Each authenticated request gets the same session re-signed now (``refresh``), so a
session unused for ``idle_seconds`` is refused while one in use lives up to ``max_age_seconds``.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

COOKIE_NAME = "idee_console"
# Where a bearer client finds its refreshed token (a browser gets the cookie re-set).
REFRESH_HEADER = "X-Session-Token"


@dataclass(frozen=True)
class TokenClaims:
    officer_id: int
    session_version: int
    session_id: str
    login_at: int


class SessionTokens:
    def __init__(
        self, secret_key: str, max_age_seconds: int, idle_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        class ClockSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self._serializer = URLSafeTimedSerializer(secret_key, salt="idee-console-session", signer=ClockSigner)
        self._clock = clock
        self.max_age_seconds = max_age_seconds
        self.idle_seconds = idle_seconds

    def issue(self, *, officer_id: int, session_version: int) -> str:
        return self._dump(TokenClaims(officer_id, session_version, secrets.token_urlsafe(16), int(self._clock())))

    def refresh(self, claims: TokenClaims) -> str:
        """The same session, marked as used now."""
        return self._dump(claims)

    def read(self, token: str) -> TokenClaims | None:
        try:
            data = self._serializer.loads(token, max_age=self.idle_seconds)
            claims = TokenClaims(int(data["id"]), int(data["v"]), str(data["s"]), int(data["t"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        if self._clock() - claims.login_at > self.max_age_seconds:
            return None
        return claims

    def _dump(self, claims: TokenClaims) -> str:
        return self._serializer.dumps(
            {"id": claims.officer_id, "v": claims.session_version, "s": claims.session_id, "t": claims.login_at}
        )
