"""Signed, expiring session tokens (itsdangerous); logout bumps the officer's version."""

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "idee_console"


@dataclass(frozen=True)
class TokenClaims:
    officer_id: int
    session_version: int


class SessionTokens:
    def __init__(self, secret_key: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="idee-console-session")
        self.max_age_seconds = max_age_seconds

    def issue(self, *, officer_id: int, session_version: int) -> str:
        return self._serializer.dumps({"id": officer_id, "v": session_version})

    def read(self, token: str) -> TokenClaims | None:
        try:
            data = self._serializer.loads(token, max_age=self.max_age_seconds)
            return TokenClaims(int(data["id"]), int(data["v"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
