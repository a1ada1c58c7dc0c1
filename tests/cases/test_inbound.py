"""The durable intake queue, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from cases.db import make_engine, make_session_factory
from cases.inbound import (
    IncomingEvent,
    claim_next_events,
    count_by_status,
    mark_done,
    mark_retry,
    store_events,
    utcnow,
)


def event(n: int, user: str = "u:a") -> IncomingEvent:
    return IncomingEvent(webhook_event_id=f"01EVENT{n:04d}", user_key=user, body=f'{{"n": {n}}}')


def test_a_redelivered_event_is_stored_once(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        assert store_events(session, events=[event(1), event(2)]) == 2
    with sessions.begin() as session:
        assert store_events(session, events=[event(2), event(3)]) == 1
    with sessions() as session:
        assert count_by_status(session) == {"pending": 3}


def test_each_user_is_served_in_order_one_event_at_a_time(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        store_events(session, events=[event(1, "u:a"), event(2, "u:b"), event(3, "u:a")])
    with sessions.begin() as session:
        first = claim_next_events(session)
    assert [(c.user_key, c.body) for c in first] == [("u:a", '{"n": 1}'), ("u:b", '{"n": 2}')]
    with sessions.begin() as session:  # u:a's second event waits until the first is done
        assert claim_next_events(session) == []
        mark_done(session, event_id=first[0].id)
    with sessions.begin() as session:
        second = claim_next_events(session)
    assert [c.body for c in second] == ['{"n": 3}']


def test_a_retried_event_waits_for_its_time_and_keeps_its_place(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        store_events(session, events=[event(1), event(2)])
    with sessions.begin() as session:
        (claimed,) = claim_next_events(session)
        mark_retry(
            session, event_id=claimed.id, delay=timedelta(seconds=60), error="rasa unavailable", busy_notified=True
        )
    with sessions.begin() as session:
        assert claim_next_events(session) == []  # not event 2 either: order per user holds
    with sessions.begin() as session:
        (again,) = claim_next_events(session, now=utcnow() + timedelta(seconds=61))
    assert again.id == claimed.id and again.attempts == 2 and again.busy_notified


def test_an_event_abandoned_by_a_dead_worker_is_handed_out_again(database_url):
    sessions = make_session_factory(make_engine(database_url))
    with sessions.begin() as session:
        store_events(session, events=[event(1)])
    with sessions.begin() as session:
        (claimed,) = claim_next_events(session)
    with sessions.begin() as session:
        assert claim_next_events(session) == []
    with sessions.begin() as session:
        (again,) = claim_next_events(session, now=utcnow() + timedelta(minutes=3))
    assert again.id == claimed.id
