"""Per-citizen order and single claims across several worker PROCESSES on PostgreSQL,
and the claim token / sweeper queries on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from cases.db import make_engine, make_session_factory
from cases.inbound import (
    IncomingEvent,
    claim_next_events,
    count_by_status,
    mark_done,
    mark_retry,
    stalled_events,
    store_events,
    user_key_of,
    utcnow,
)

ROOT = Path(__file__).resolve().parents[2]


def event(n: int, user: str) -> IncomingEvent:
    return IncomingEvent(webhook_event_id=f"01CONC{n:06d}", user_key=user, body=f'{{"n": {n}}}')


def test_two_processes_keep_each_citizens_order_and_claim_each_event_once(postgres_database_url, tmp_path):
    from cases.migrate import downgrade, upgrade

    downgrade(postgres_database_url)
    upgrade(postgres_database_url)
    sessions = make_session_factory(make_engine(postgres_database_url))
    users = [f"u:{i}" for i in range(8)]
    with sessions.begin() as session:  # interleaved, as LINE would send them
        store_events(session, events=[event(n, users[n % len(users)]) for n in range(400)])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outs = [tmp_path / f"worker{i}.json" for i in range(2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.cases.claim_worker", postgres_database_url, str(out)], cwd=ROOT, env=env
        )
        for out in outs
    ]
    for worker in workers:
        assert worker.wait(timeout=240) == 0
    held = [dict(h, worker=i) for i, out in enumerate(outs) for h in json.loads(out.read_text())]

    assert sorted(h["id"] for h in held) == sorted(set(h["id"] for h in held))  # no event twice
    assert len(held) == 400 and all(h["owned"] for h in held)
    assert {h["worker"] for h in held} == {0, 1}, "both processes must have taken part"
    by_user = defaultdict(list)
    for h in held:
        by_user[h["user"]].append(h)
    for user, items in by_user.items():
        items.sort(key=lambda h: h["start"])
        assert [h["id"] for h in items] == sorted(h["id"] for h in items), f"{user} served out of order"
        for earlier, later in zip(items, items[1:]):
            assert later["start"] >= earlier["end"] - 0.001, f"{user} had two events in progress at once"
    with sessions() as session:
        assert count_by_status(session) == {"done": 400}


def test_a_worker_whose_lease_ran_out_cannot_record_an_outcome(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        store_events(session, events=[event(1, "u:a")])
    with sessions.begin() as session:
        (first,) = claim_next_events(session)
    with sessions.begin() as session:  # the lease expired: another worker takes it
        (second,) = claim_next_events(session, now=utcnow() + timedelta(minutes=3))
    with sessions.begin() as session:
        assert not mark_done(session, event_id=first.id, attempt=first.attempts)
        assert mark_retry(
            session, event_id=second.id, attempt=second.attempts, delay=timedelta(0), error="x", busy_notified=False
        )
    with sessions() as session:
        assert count_by_status(session) == {"pending": 1}


def test_claim_for_one_citizen_and_the_sweepers_view(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        ids = store_events(session, events=[event(1, "u:a"), event(2, "u:b"), event(3, "u:a")], return_ids=True)
        assert user_key_of(session, event_id=ids[2]) == "u:a"
    with sessions.begin() as session:
        (claimed,) = claim_next_events(session, user_key="u:b")
        assert claimed.id == ids[1]
    later = utcnow() + timedelta(seconds=30)
    with sessions() as session:
        # u:a's oldest is due and untouched; u:b's is in progress within its lease
        assert stalled_events(session, grace=timedelta(seconds=10), lease=timedelta(minutes=2), now=later) == [ids[0]]
        assert stalled_events(session, grace=timedelta(seconds=60), lease=timedelta(minutes=2), now=later) == []
        assert stalled_events(session, grace=timedelta(seconds=60), lease=timedelta(seconds=5), now=later) == [ids[1]]
    with sessions.begin() as session:
        mark_done(session, event_id=claimed.id, attempt=claimed.attempts)
        assert claim_next_events(session, user_key="u:b") == []


@pytest.mark.parametrize("delay", [timedelta(seconds=60)])
def test_a_retry_not_yet_due_is_not_swept(database_url, delay):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        store_events(session, events=[event(1, "u:a")])
        (claimed,) = claim_next_events(session)
        mark_retry(session, event_id=claimed.id, attempt=claimed.attempts, delay=delay, error="x", busy_notified=True)
    with sessions() as session:
        assert (
            stalled_events(
                session, grace=timedelta(0), lease=timedelta(minutes=2), now=utcnow() + timedelta(seconds=30)
            )
            == []
        )
