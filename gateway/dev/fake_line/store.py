"""In-memory state of the fake LINE: reply tokens and recorded deliveries."""

import bisect
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

EXPIRED_TOKEN_PREFIX = "expired"


@dataclass(frozen=True)
class Delivery:
    seq: int
    kind: str  # "reply" | "push"
    user_id: str | None
    timestamp: float
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class FakeLineStore:
    """Thread-safe: tests may read it from another thread than the server's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token_owner: dict[str, str] = {}
        self._used_tokens: set[str] = set()
        self._deliveries: list[Delivery] = []
        self._seqs: list[int] = []  # the deliveries' seq, ascending: "after N" is a bisection
        self._seq = 0
        # Message content (images) a test or the simulator registered: id -> (type, bytes).
        self._content: dict[str, tuple[str, bytes]] = {}

    def register_reply_token(self, reply_token: str, user_id: str) -> None:
        with self._lock:
            self._token_owner[reply_token] = user_id

    def use_reply_token(self, reply_token: str) -> tuple[bool, str | None]:
        """Consume a token once. Returns (valid, owner user id or None)."""
        with self._lock:
            if reply_token.startswith(EXPIRED_TOKEN_PREFIX) or reply_token in self._used_tokens:
                return False, None
            self._used_tokens.add(reply_token)
            return True, self._token_owner.pop(reply_token, None)

    def record(self, kind: str, user_id: str | None, payload: dict[str, Any]) -> Delivery:
        with self._lock:
            self._seq += 1
            delivery = Delivery(self._seq, kind, user_id, time.time(), payload)
            self._deliveries.append(delivery)
            self._seqs.append(delivery.seq)
            return delivery

    def deliveries(self, user_id: str | None = None, after: int = 0) -> list[Delivery]:
        with self._lock:
            start = bisect.bisect_right(self._seqs, after)
            return [d for d in self._deliveries[start:] if user_id is None or d.user_id == user_id]

    def put_content(self, message_id: str, content_type: str, content: bytes) -> None:
        with self._lock:
            self._content[message_id] = (content_type, content)

    def content(self, message_id: str) -> tuple[str, bytes] | None:
        with self._lock:
            return self._content.get(message_id)

    def clear(self) -> None:
        with self._lock:
            self._deliveries.clear()
            self._seqs.clear()
