"""The citizen's erasure request, confirmed on LINE: personal data gone, complaints kept
without the citizen, audited; another citizen untouched."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from actions.erasure import ActionEraseMyData
from cases.models import ErasureRequest, Ticket
from tests.actions.conftest import make_tracker
from tests.actions.test_my_tickets import file_complaint

ME = "U" + "a" * 32
OTHER = "U" + "b" * 32


async def test_a_confirmed_erasure_clears_the_citizen_and_is_audited(case_database):
    mine = await file_complaint("odor", ME)
    theirs = await file_complaint("noise", OTHER)
    dispatcher = CollectingDispatcher()
    await ActionEraseMyData().run(dispatcher, make_tracker(sender_id=ME), {})
    assert dispatcher.messages[0]["response"] == "utter_erasure_done"
    engine = create_engine(case_database)
    with Session(engine) as session:
        tickets = {t.tracking_number: t for t in session.scalars(select(Ticket))}
        assert tickets[mine].line_user_id is None and tickets[mine].description  # the complaint stays
        assert tickets[theirs].line_user_id == OTHER
        (audit,) = session.scalars(select(ErasureRequest)).all()
        assert audit.tickets_cleared == 1 and ME not in audit.subject and audit.tracker_erased_at is None
    engine.dispose()
