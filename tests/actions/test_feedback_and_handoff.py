"""Actions for the follow-up answers (solved? rating) and for asking for a person."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case_store import in_transaction
from actions.feedback import ActionRateTicket, ActionTicketFeedback
from actions.handoff import ActionRequestHandoff
from cases.feedback import feedback_for_ticket
from cases.handoff import open_handoff_for
from cases.models import Ticket
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import Category
from cases.taxonomy import TicketState as S
from cases.workflow import transition
from tests.actions.conftest import make_tracker
from settings import get_settings

ME = "U" + "e" * 32
SOMEONE = "U" + "f" * 32


def resolved_ticket(owner: str = ME) -> str:
    def work(session):  # type: ignore[no-untyped-def]
        t = create_ticket(
            session,
            draft=TicketDraft(
                category=Category.ODOR,
                province="ชลบุรี",
                description="กลิ่นเหม็น",
                line_user_id=owner,
            ),
        )
        assert transition(session, ticket=t, to_state=S.RESOLVED, actor="officer") is None
        return t.tracking_number

    return in_transaction(work)


def ticket_state(number: str) -> str:
    return in_transaction(lambda s: s.query(Ticket).filter_by(tracking_number=number).one().state)


async def run_action(action, **tracker_kw):  # type: ignore[no-untyped-def]
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(**tracker_kw), {})
    return dispatcher.messages, events


def entities(**values: str) -> list[dict]:
    return [{"entity": k, "value": v} for k, v in values.items()]


async def test_solved_thanks_then_asks_for_a_rating_with_the_number(case_database):
    number = resolved_ticket()
    messages, events = await run_action(
        ActionTicketFeedback(), sender_id=ME, entities=entities(tracking_number=number, solved="yes")
    )
    assert [m["response"] for m in messages] == ["utter_feedback_thanks_solved", "utter_feedback_ask_rating"]
    assert messages[1]["tracking_number"] == number
    assert SlotSet("tracking_number", None) in events
    assert ticket_state(number) == "resolved"


async def test_not_solved_reopens_and_a_rating_is_stored(case_database):
    number = resolved_ticket()
    messages, _ = await run_action(
        ActionTicketFeedback(), sender_id=ME, entities=entities(tracking_number=number, solved="no")
    )
    assert messages[0]["response"] == "utter_feedback_reopened"
    assert ticket_state(number) == "reopened"
    messages, _ = await run_action(
        ActionRateTicket(), sender_id=ME, entities=entities(tracking_number=number, rating="2")
    )
    assert messages[0]["response"] == "utter_feedback_rated"

    def ratings(session):  # type: ignore[no-untyped-def]
        t = session.query(Ticket).filter_by(tracking_number=number).one()
        return [(f.solved, f.rating) for f in feedback_for_ticket(session, ticket_id=t.id)]

    assert in_transaction(ratings) == [(False, 2)]


async def test_someone_elses_ticket_is_neither_answered_nor_revealed(case_database):
    number = resolved_ticket(owner=SOMEONE)
    messages, _ = await run_action(
        ActionTicketFeedback(), sender_id=ME, entities=entities(tracking_number=number, solved="no")
    )
    assert [m["response"] for m in messages] == ["utter_feedback_not_asked"]
    assert ticket_state(number) == "resolved"
    messages, _ = await run_action(
        ActionRateTicket(), sender_id=ME, entities=entities(tracking_number=number, rating="1")
    )
    assert [m["response"] for m in messages] == ["utter_feedback_not_asked"]


async def test_a_bad_payload_gets_a_polite_answer(case_database):
    number = resolved_ticket()
    for ents in (entities(solved="no"), entities(tracking_number=number, solved="maybe"), []):
        messages, _ = await run_action(ActionTicketFeedback(), sender_id=ME, entities=ents)
        assert [m["response"] for m in messages] == ["utter_feedback_not_asked"]
    assert ticket_state(number) == "resolved"
    messages, _ = await run_action(
        ActionRateTicket(), sender_id=ME, entities=entities(tracking_number=number, rating="9")
    )
    assert [m["response"] for m in messages] == ["utter_feedback_not_asked"]  # nothing answered yet


async def test_a_database_failure_is_a_polite_message(monkeypatch, case_database):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    from actions.case_store import _session_factory

    _session_factory.cache_clear()

    get_settings.cache_clear()  # DATABASE_URL changed
    messages, _ = await run_action(
        ActionTicketFeedback(), sender_id=ME, entities=entities(tracking_number="IDEE-2569-000001", solved="yes")
    )
    assert [m["response"] for m in messages] == ["utter_feedback_unavailable"]
    messages, _ = await run_action(ActionRequestHandoff(), sender_id=ME)
    assert [m["response"] for m in messages] == ["utter_handoff_unavailable"]


async def test_asking_for_a_person_opens_one_handoff(case_database):
    messages, events = await run_action(ActionRequestHandoff(), sender_id=ME, intent="ask_human")
    assert [m["response"] for m in messages] == ["utter_handoff_started"]
    assert SlotSet("requested_slot", None) in events
    messages, _ = await run_action(ActionRequestHandoff(), sender_id=ME, intent="ask_human")
    assert [m["response"] for m in messages] == ["utter_handoff_already_open"]
    handoff = in_transaction(lambda s: open_handoff_for(s, line_user_id=ME))
    assert handoff is not None and handoff.ticket_id is None
