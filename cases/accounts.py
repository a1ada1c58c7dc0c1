"""Console accounts: argon2 password hashes, roles, lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.agencies import get_agency
from cases.models import Officer
from cases.settings import CaseSettings

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=1)
def _password_hasher(profile: str) -> PasswordHasher:
    chosen = profiles.CHEAPEST if profile == "test_only_cheapest" else profiles.RFC_9106_LOW_MEMORY
    return PasswordHasher.from_parameters(chosen)


def _hasher() -> PasswordHasher:
    return _password_hasher(CaseSettings().password_hash_profile)


class Role(str, Enum):
    OFFICER = "officer"  # sees and works its agency's tickets
    SUPERVISOR = "supervisor"  # + assigns and reroutes
    ADMIN = "admin"  # sees every agency (corruption only if of ACOC), manages accounts
    TRAINER = "trainer"  # NLU trainer: the review queue (masked), never tickets


class AccountError(ValueError):
    """A request the caller can fix (unknown agency, short password, taken username)."""


@dataclass(frozen=True)
class LoginResult:
    officer: Officer | None
    error: str | None = None  # "invalid" | "locked"


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_officer(
    session: Session,
    *,
    username: str,
    password: str,
    agency: str,
    role: Role = Role.OFFICER,
    display_name: str | None = None,
) -> Officer:
    username = username.strip().lower()
    if not username:
        raise AccountError("username is empty")
    if get_agency(agency) is None:
        raise AccountError(f"unknown agency code: {agency}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_officer(session, username=username) is not None:
        raise AccountError(f"username already exists: {username}")
    officer = Officer(
        username=username,
        display_name=display_name or username,
        agency=agency,
        role=Role(role).value,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        session_version=0,
    )
    session.add(officer)
    session.flush()
    return officer


def find_officer(session: Session, *, username: str) -> Officer | None:
    return session.scalar(select(Officer).where(Officer.username == username.strip().lower()))


def get_officer(session: Session, *, officer_id: int) -> Officer | None:
    return session.get(Officer, officer_id)


def list_officers(session: Session, *, agency: str | None = None) -> list[Officer]:
    query = select(Officer).where(Officer.active.is_(True)).order_by(Officer.username)
    if agency is not None:
        query = query.where(Officer.agency == agency)
    return list(session.scalars(query))


def authenticate(
    session: Session, *, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a password; the 5th failure in a row locks the account for 15 minutes."""
    now = now or datetime.now(timezone.utc)
    officer = find_officer(session, username=username)
    if officer is None or not officer.active:
        _hasher().hash(password)  # same cost as a real check: do not reveal unknown names
        return LoginResult(None, "invalid")
    if officer.locked_until is not None and _aware(officer.locked_until) > now:
        return LoginResult(None, "locked")
    if not verify_password(officer.password_hash, password):
        officer.failed_logins += 1
        if officer.failed_logins >= MAX_FAILED_LOGINS:
            officer.locked_until = now + LOCKOUT
            officer.failed_logins = 0
            session.flush()
            return LoginResult(None, "locked")
        session.flush()
        return LoginResult(None, "invalid")
    officer.failed_logins = 0
    officer.locked_until = None
    if _hasher().check_needs_rehash(officer.password_hash):
        officer.password_hash = hash_password(password)
    session.flush()
    return LoginResult(officer)


def end_sessions(session: Session, *, officer: Officer) -> None:
    """Log out: every token issued so far stops working."""
    officer.session_version += 1
    session.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
