"""Helper process for test_inbound_concurrency: claims and finishes events as fast as it
can, recording when it held each one. Usage: python -m tests.cases.claim_worker URL OUT."""

from __future__ import annotations

import json
import random
import sys
import time

from cases.db import make_engine, make_session_factory
from cases.inbound import claim_next_events, mark_done


def main(url: str, out: str, idle_rounds: int = 30) -> None:
    sessions = make_session_factory(make_engine(url))
    held = []
    idle = 0
    while idle < idle_rounds:
        with sessions.begin() as session:
            claimed = claim_next_events(session, limit=3)
        if not claimed:
            idle += 1
            time.sleep(0.02)
            continue
        idle = 0
        for event in claimed:
            start = time.time()
            time.sleep(random.uniform(0, 0.004))  # "processing"
            with sessions.begin() as session:
                owned = mark_done(session, event_id=event.id, attempt=event.attempts)
            held.append({"id": event.id, "user": event.user_key, "start": start, "end": time.time(), "owned": owned})
    with open(out, "w") as f:
        json.dump(held, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
