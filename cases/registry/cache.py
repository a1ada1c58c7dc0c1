"""One FactoryIndex per process, rebuilt when the registry changes.

Building the index over 100,000 factories takes seconds; checking whether the registry
changed (row count, last id, last update) is one small query, done at most every few seconds.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.registry.matching import FactoryIndex, load_index
from cases.registry.models import Factory

CHECK_SECONDS = 5.0

_lock = threading.Lock()
_state: dict[str, tuple[tuple, FactoryIndex, float]] = {}


def _fingerprint(session: Session) -> tuple:
    return tuple(
        session.execute(select(func.count(Factory.id), func.max(Factory.id), func.max(Factory.updated_at))).one()
    )


def shared_index(session: Session) -> FactoryIndex:
    """The registry's index for this session's database (cached per database URL)."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    with _lock:
        cached = _state.get(url)
        if cached and now - cached[2] < CHECK_SECONDS:
            return cached[1]
        fingerprint = _fingerprint(session)
        if cached and cached[0] == fingerprint:
            _state[url] = (fingerprint, cached[1], now)
            return cached[1]
        index = load_index(session)
        _state[url] = (fingerprint, index, now)
        return index


def forget() -> None:
    """Drop every cached index (tests that rewrite the registry)."""
    with _lock:
        _state.clear()
