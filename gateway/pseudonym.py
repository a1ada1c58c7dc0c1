"""Pseudonymise personal identifiers before they reach a log line.

One scheme for every service (cases.privacy), so the gateway's and the action server's
log lines about the same citizen can be matched without either showing the LINE user id.
"""

from cases.privacy import pseudonym


def pseudonymise(user_id: str | None) -> str:
    return pseudonym(user_id)
