"""Access to the case database from actions: one engine per process, made on first use."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from cases.db import make_engine, make_session_factory
from cases.privacy import pseudonym
from settings import get_settings

T = TypeVar("T")


@lru_cache(maxsize=None)
def _session_factory(url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(url))


def session_factory() -> sessionmaker[Session]:
    return _session_factory(get_settings().database.sqlalchemy_url)


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction: committed when it returns, rolled back if it raises."""
    with session_factory().begin() as session:
        return work(session)


def log_database_error(log: logging.Logger, what: str, error: BaseException, sender_id: str | None = None) -> None:
    """Log that ``what`` failed on a database error: the error's class and the sender's pseudonym.

    Never the error's text nor its traceback: a driver's message (psycopg's
    ``DETAIL: Key (...)=(...)``) or a statement's parameters can carry a phone number, a
    national ID or a LINE user id.
    """
    if sender_id is None:
        log.error("%s (%s)", what, type(error).__name__)
    else:
        log.error("%s for %s (%s)", what, pseudonym(sender_id), type(error).__name__)
