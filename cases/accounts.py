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
from cases.models import AccountEvent, Officer
from settings import get_settings

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
# The anti-corruption centre: its accounts read every corruption report.
ACOC = "ACOC"


@lru_cache(maxsize=1)
def _password_hasher(profile: str) -> PasswordHasher:
    chosen = profiles.CHEAPEST if profile == "test_only_cheapest" else profiles.RFC_9106_LOW_MEMORY
    return PasswordHasher.from_parameters(chosen)


def _hasher() -> PasswordHasher:
    return _password_hasher(get_settings().privacy.password_hash_profile)


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


class AccountForbidden(AccountError):
    """The caller may not manage this kind of account."""


def is_privileged(*, agency: str, role: Role | str) -> bool:
    """ACOC accounts read corruption reports; administrators manage accounts."""
    return agency == ACOC or Role(role) is Role.ADMIN


def may_manage(*, actor_agency: str, actor_role: Role | str, agency: str, role: Role | str) -> bool:
    """Whether an administrator may create or change an account of this agency and role.

    ACOC and administrator accounts only by an ACOC administrator (or the command line,
    which needs no caller): an ordinary administrator could otherwise make themselves an
    ACOC account and read every corruption report.
    """
    if Role(actor_role) is not Role.ADMIN:
        return False
    return actor_agency == ACOC or not is_privileged(agency=agency, role=role)


def audit(session: Session, *, actor: str, action: str, officer: Officer) -> None:
    session.add(
        AccountEvent(
            actor=actor[:64],
            action=action,
            officer_id=officer.id,
            username=officer.username,
            agency=officer.agency,
            role=officer.role,
        )
    )
    session.flush()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def create_officer(
    session: Session,
    *,
    username: str,
    password: str,
    agency: str,
    role: Role = Role.OFFICER,
    display_name: str | None = None,
    actor: str = "system",
) -> Officer:
    username = username.strip().lower()
    if not username:
        raise AccountError("username is empty")
    if get_agency(agency) is None:
        raise AccountError(f"unknown agency code: {agency}")
    check_password(password)
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
    audit(session, actor=actor, action="create", officer=officer)
    return officer


def set_active(session: Session, *, officer: Officer, active: bool, actor: str) -> None:
    """Deactivate (every session ends, login refused) or re-enable an account."""
    if officer.active == active:
        return
    officer.active = active
    officer.session_version += 1
    audit(session, actor=actor, action="activate" if active else "deactivate", officer=officer)


def change_password(
    session: Session,
    *,
    officer: Officer,
    new_password: str,
    actor: str,
    current_password: str | None = None,
) -> None:
    """A new password; other sessions end. Changing one's own needs the current one."""
    if current_password is not None and not verify_password(officer.password_hash, current_password):
        raise AccountForbidden("current password is wrong")
    check_password(new_password)
    officer.password_hash = hash_password(new_password)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.session_version += 1
    audit(session, actor=actor, action="password", officer=officer)


def account_events(session: Session, *, limit: int = 200) -> list[AccountEvent]:
    return list(session.scalars(select(AccountEvent).order_by(AccountEvent.id.desc()).limit(limit)))


def find_officer(session: Session, *, username: str) -> Officer | None:
    return session.scalar(select(Officer).where(Officer.username == username.strip().lower()))


def get_officer(session: Session, *, officer_id: int) -> Officer | None:
    return session.get(Officer, officer_id)


def list_officers(session: Session, *, agency: str | None = None) -> list[Officer]:
    query = select(Officer).where(Officer.active.is_(True)).order_by(Officer.username)
    if agency is not None:
        query = query.where(Officer.agency == agency)
    return list(session.scalars(query))


def authenticate(session: Session, *, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a password; the 5th failure in a row locks the account for 15 minutes."""
    now = now or datetime.now(timezone.utc)
    officer = find_officer(session, username=username)
    if officer is None or not officer.active:
        _hasher().hash(password)  # same cost as a real check: do not reveal unknown names
        return LoginResult(None, "invalid")
    if officer.locked_until is not None and _aware(officer.locked_until) > now:
        verify_password(officer.password_hash, password)  # same cost as any other refusal
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
