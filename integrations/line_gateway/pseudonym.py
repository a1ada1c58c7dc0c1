"""Pseudonymise personal identifiers before they reach a log line."""

import hashlib


def pseudonymise(user_id: str | None) -> str:
    """Return a short, stable sha256 prefix of a LINE user id (never the id itself)."""
    if not user_id:
        return "anonymous"
    return "u:" + hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:12]
