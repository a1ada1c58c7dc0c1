"""Citizen feedback after resolution: stored once per resolution, "not solved" reopens."""

import pytest
from sqlalchemy.orm import Session

from cases.db import make_engine
from cases.feedback import (
    REOPEN_NOTE,
    FeedbackOutcome,
    average_rating,
    feedback_for_ticket,
    parse_rating,
    parse_solved,
    record_answer,
    record_rating,
)
from cases.taxonomy import TicketState as S
from cases.workflow import transition
from tests.cases.factories import ticket

CITIZEN = "U" + "a" * 32
OTHER = "U" + "b" * 32


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


def resolved_ticket(session, line_user_id=CITIZEN):  # type: ignore[no-untyped-def]
    t = ticket(session, line_user_id=line_user_id)
    assert transition(session, ticket=t, to_state=S.RESOLVED, actor="officer1", note="แก้ไขแล้ว") is None
    session.commit()
    return t


def test_solved_is_stored_and_the_ticket_stays_resolved(session):
    t = resolved_ticket(session)
    outcome = record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=True)
    assert outcome is FeedbackOutcome.SOLVED
    session.commit()
    assert t.state == "resolved"
    [fb] = feedback_for_ticket(session, ticket_id=t.id)
    assert fb.solved is True and fb.rating is None


def test_not_solved_reopens_with_an_audited_event(session):
    t = resolved_ticket(session)
    outcome = record_answer(session, tracking_number=t.tracking_number.lower(), line_user_id=CITIZEN, solved=False)
    assert outcome is FeedbackOutcome.REOPENED
    session.commit()
    session.refresh(t)
    assert t.state == "reopened" and t.resolved_at is None
    last = t.events[-1]
    assert (last.actor, last.from_state, last.to_state, last.note) == ("citizen", "resolved", "reopened", REOPEN_NOTE)
    # The question is no longer open: a second tap changes nothing.
    again = record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=False)
    assert again is FeedbackOutcome.NOT_ASKED
    assert len(feedback_for_ticket(session, ticket_id=t.id)) == 1


def test_only_the_tickets_own_citizen_may_answer(session):
    t = resolved_ticket(session)
    assert (
        record_answer(session, tracking_number=t.tracking_number, line_user_id=OTHER, solved=False)
        is FeedbackOutcome.NOT_FOUND
    )
    assert (
        record_rating(session, tracking_number=t.tracking_number, line_user_id=OTHER, rating=1)
        is FeedbackOutcome.NOT_FOUND
    )
    session.commit()
    session.refresh(t)
    assert t.state == "resolved"
    assert feedback_for_ticket(session, ticket_id=t.id) == []


def test_a_ticket_not_resolved_is_not_asked(session):
    t = ticket(session, line_user_id=CITIZEN)
    session.commit()
    assert (
        record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=True)
        is FeedbackOutcome.NOT_ASKED
    )
    assert (
        record_rating(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, rating=5)
        is FeedbackOutcome.NOT_ASKED
    )


def test_same_answer_twice_is_one_row_and_solved_then_not_solved_reopens(session):
    t = resolved_ticket(session)
    for _ in range(2):
        assert (
            record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=True)
            is FeedbackOutcome.SOLVED
        )
    assert (
        record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=False)
        is FeedbackOutcome.REOPENED
    )
    session.commit()
    [fb] = feedback_for_ticket(session, ticket_id=t.id)
    assert fb.solved is False


def test_each_resolution_gets_its_own_answer_and_rating(session):
    t = resolved_ticket(session)
    record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=False)
    assert (
        record_rating(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, rating="2")
        is FeedbackOutcome.RATED
    )
    assert transition(session, ticket=t, to_state=S.RESOLVED, actor="officer1") is None
    assert (
        record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=True)
        is FeedbackOutcome.SOLVED
    )
    assert (
        record_rating(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, rating=5)
        is FeedbackOutcome.RATED
    )
    session.commit()
    first, second = feedback_for_ticket(session, ticket_id=t.id)
    assert (first.solved, first.rating, second.solved, second.rating) == (False, 2, True, 5)
    assert average_rating(session) == (3.5, 2)


def test_a_closed_ticket_can_still_be_reopened_by_its_citizen(session):
    t = resolved_ticket(session)
    assert transition(session, ticket=t, to_state=S.CLOSED, actor="officer1") is None
    assert (
        record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=False)
        is FeedbackOutcome.REOPENED
    )


@pytest.mark.parametrize("value", [0, 6, "", None, "ห้า", "4.5", -1])
def test_ratings_outside_one_to_five_are_refused(session, value):
    t = resolved_ticket(session)
    record_answer(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, solved=True)
    assert (
        record_rating(session, tracking_number=t.tracking_number, line_user_id=CITIZEN, rating=value)
        is FeedbackOutcome.INVALID_RATING
    )


def test_parsers():
    assert [parse_rating(v) for v in ("1", " 5 ", 3, "0", "x")] == [1, 5, 3, None, None]
    assert [parse_solved(v) for v in ("yes", "NO", "maybe", None)] == [True, False, None, None]
