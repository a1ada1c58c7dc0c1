"""Access to the case database from actions: one engine per process, made on first use."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from cases.db import make_engine, make_session_factory
from cases.settings import CaseSettings

T = TypeVar("T")


@lru_cache(maxsize=None)
def _session_factory(url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(url))


def session_factory() -> sessionmaker[Session]:
    return _session_factory(CaseSettings().sqlalchemy_url)


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction: committed when it returns, rolled back if it raises."""
    with session_factory().begin() as session:
        return work(session)
