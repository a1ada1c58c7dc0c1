from __future__ import annotations

from pathlib import Path

from cases.domain_texts import read_domain
from rasa_sdk.executor import CollectingDispatcher

from actions.my_tickets import ActionListMyTickets
from actions.submit_complaint import ActionSubmitComplaint
from tests.actions.conftest import make_tracker
from tests.actions.test_submit_and_status import complaint_slots

DOMAIN = read_domain(Path(__file__).resolve().parents[2] / "bot" / "domain")
ME = "U" + "e" * 32


async def file_complaint(category: str, sender: str) -> str:
    dispatcher = CollectingDispatcher()
    slots = complaint_slots(complaint_category=category)
    await ActionSubmitComplaint().run(dispatcher, make_tracker(slots=slots, sender_id=sender), {})
    return dispatcher.messages[0]["tracking_number"]


async def test_my_tickets_lists_only_mine_newest_first(case_database):
    first = await file_complaint("odor", ME)
    second = await file_complaint("noise", ME)
    someone_elses = await file_complaint("mining", "U" + "f" * 32)

    dispatcher = CollectingDispatcher()
    await ActionListMyTickets().run(dispatcher, make_tracker(sender_id=ME), DOMAIN)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_my_tickets"
    listing = message["tickets"]
    assert listing.index(second) < listing.index(first)
    assert someone_elses not in listing
    assert "เสียงดัง" in listing and "รับเรื่องแล้ว" in listing


async def test_no_tickets_yet(case_database):
    dispatcher = CollectingDispatcher()
    await ActionListMyTickets().run(dispatcher, make_tracker(sender_id="U" + "9" * 32), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_no_tickets"
