"""The NLU model live in Rasa, for the console footer: ``GET /status`` of the
console's Rasa gives the loaded file and ``model_id``; the hot swap loads versioned files
(``idee-<YYYYMMDD-HHMM>-<datahash8>.tar.gz``), so the file name is the version. Cached for a
short while and asked with a short timeout: a page never waits long for Rasa."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx


CACHE_SECONDS = 30.0
TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class LiveModel:
    model_file: str | None
    model_id: str | None

    @property
    def version(self) -> str | None:
        return self.model_file.removesuffix(".tar.gz") if self.model_file else None

    @property
    def label(self) -> str:
        if not self.model_id:
            return "ไม่ทราบ (ติดต่อ Rasa ไม่ได้)"
        return f"{self.version or '-'} · id {self.model_id[:8]}"


def fetch_status(rasa_url: str, token: str = "") -> LiveModel:
    try:
        params = {"token": token} if token else None  # Rasa's --auth-token
        response = httpx.get(f"{rasa_url.rstrip('/')}/status", timeout=TIMEOUT_SECONDS, params=params)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return LiveModel(None, None)
    return LiveModel(body.get("model_file"), body.get("model_id"))


class LiveModelCache:
    def __init__(
        self,
        fetch: Callable[[], LiveModel],
        seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch, self._seconds, self._clock = fetch, seconds, clock
        self._value: LiveModel | None = None
        self._at = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> LiveModel:
        with self._lock:
            if self._value is None or self._clock() - self._at >= self._seconds:
                self._value, self._at = self._fetch(), self._clock()
            return self._value


_caches: dict[str, LiveModelCache] = {}
_caches_lock = threading.Lock()


def live_nlu_model(request: Any) -> LiveModel:
    """Template global: the model of the console's Rasa (RASA_URL; several
    servers: the first), cached per URL."""
    settings = request.app.state.console.settings
    url = settings.rasa.url.split(",")[0].strip()
    with _caches_lock:
        cache = _caches.get(url)
        if cache is None:
            cache = _caches[url] = LiveModelCache(lambda: fetch_status(url, settings.rasa.auth_token))
    return cache()
