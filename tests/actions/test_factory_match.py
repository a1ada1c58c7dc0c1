"""The citizen's factory pick: candidates from the registry as a LINE Flex carousel, only
offered numbers kept, and the complaint never blocked by it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.case_store import session_factory
from actions.factory_match import (
    FACTORY_CANDIDATES,
    FACTORY_REGISTRATION_NUMBER,
    ActionOfferFactories,
    ActionStoreFactoryPick,
    pick_payload,
)
from cases.registry.cache import forget
from cases.registry.demo import demo_csv
from cases.registry.importer import import_csv_text
from cases.registry.links import link_by_number
from gateway.outgoing import to_line_messages
from tests.actions.conftest import make_tracker
from tests.cases.factories import ticket
from settings import get_settings
from tests.support.registry import COMPLAINT, citizen_location, mahachai_ice_factory, registration_number

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "bot/domain/factory.yml").read_text(encoding="utf-8"))
ICE = mahachai_ice_factory()  # looked up in the demo registry by what the complaint says
MAHACHAI_ICE = registration_number(ICE)
NEIGHBOUR_LAT, NEIGHBOUR_LON = citizen_location(ICE)


@pytest.fixture
def registry(case_database):  # type: ignore[no-untyped-def]
    forget()
    with session_factory().begin() as session:
        import_csv_text(session, demo_csv(3000))
    yield
    forget()


def _rasa_messages(dispatcher: CollectingDispatcher) -> list[dict]:
    """What Rasa's REST channel would send: the domain text (with buttons), then the custom."""
    out = []
    for message in dispatcher.messages:
        if message.get("response"):
            variant = DOMAIN["responses"][message["response"]][0]
            out.append({"text": variant["text"], **({"buttons": variant["buttons"]} if "buttons" in variant else {})})
        if message.get("custom"):
            out.append({"custom": message["custom"]})
    return out


async def test_an_ice_factory_near_mahachai_is_offered_as_a_flex_carousel(registry):
    tracker = make_tracker(
        slots={
            slots.COMPLAINT_TEXT: COMPLAINT,
            slots.LATITUDE: NEIGHBOUR_LAT,
            slots.LONGITUDE: NEIGHBOUR_LON,
            slots.PROVINCE: "สมุทรสาคร",
        }
    )
    dispatcher = CollectingDispatcher()
    events = await ActionOfferFactories().run(dispatcher, tracker, DOMAIN)
    offered = events[0]["value"]
    assert events[0]["name"] == FACTORY_CANDIDATES and len(offered) == 3 and MAHACHAI_ICE in offered
    assert dispatcher.messages[0]["response"] == "utter_ask_factory_pick"
    line = to_line_messages(_rasa_messages(dispatcher))
    assert len(line) == 1  # the carousel joined to its text, validated by line-bot-sdk
    flex = line[0].to_dict()
    assert flex["type"] == "flex" and flex["altText"].startswith("ใช่โรงงานนี้ไหมคะ")
    bubbles = flex["contents"]["contents"]
    assert len(bubbles) == 3
    datas = [b["footer"]["contents"][0]["action"]["data"] for b in bubbles]
    assert pick_payload(MAHACHAI_ICE) in datas
    assert all("จ.สมุทรสาคร" in b["body"]["contents"][1]["text"] for b in bubbles)
    assert [q["action"]["label"] for q in flex["quickReply"]["items"]] == ["ไม่ใช่", "ไม่แน่ใจ"]


async def test_nothing_to_match_or_a_database_error_sends_nothing(registry, monkeypatch):
    dispatcher = CollectingDispatcher()
    assert await ActionOfferFactories().run(dispatcher, make_tracker(slots={}), DOMAIN) == [
        {"event": "slot", "timestamp": None, "name": FACTORY_CANDIDATES, "value": None}
    ]
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    from actions.case_store import _session_factory

    _session_factory.cache_clear()

    get_settings.cache_clear()  # DATABASE_URL changed
    forget()
    tracker = make_tracker(slots={slots.SUBJECT_NAME: "บริษัท น้ำแข็งบางกอก จำกัด"})
    events = await ActionOfferFactories().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == [] and events[0]["value"] is None
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed


async def test_only_an_offered_number_is_kept_and_ties_the_new_ticket(registry):
    offered = [MAHACHAI_ICE, "3-89-857/31สค"]  # the second: any other registered number
    picks = {
        MAHACHAI_ICE: ("utter_factory_pick_noted", MAHACHAI_ICE),
        "none": ("utter_factory_pick_skipped", None),
        "unsure": ("utter_factory_pick_skipped", None),
        "3-105-1/50ชบ": ("utter_factory_pick_skipped", None),  # not offered: never trusted
    }
    for value, (response, kept) in picks.items():
        tracker = make_tracker(
            slots={FACTORY_CANDIDATES: offered},
            intent="factory_pick",
            entities=[{"entity": FACTORY_REGISTRATION_NUMBER, "value": value}],
        )
        dispatcher = CollectingDispatcher()
        events = await ActionStoreFactoryPick().run(dispatcher, tracker, DOMAIN)
        assert dispatcher.messages[0]["response"] == response
        assert {e["name"]: e["value"] for e in events} == {FACTORY_REGISTRATION_NUMBER: kept, FACTORY_CANDIDATES: None}
    with session_factory().begin() as session:
        t = ticket(session)
        assert link_by_number(session, ticket=t, registration_number=MAHACHAI_ICE, actor="bot")
        assert t.factory_id is not None
        assert not link_by_number(session, ticket=ticket(session), registration_number=None, actor="bot")


async def test_a_filed_complaint_offers_its_factory_and_the_pick_links_the_ticket(registry):
    from sqlalchemy import select

    from actions.submit_complaint import ActionSubmitComplaint
    from cases.models import Ticket
    from cases.registry.models import Factory

    complaint = make_tracker(
        slots={
            slots.COMPLAINT_CATEGORY: "odor",
            slots.COMPLAINT_TEXT: COMPLAINT,
            slots.NLU_INTENT: "complaint_odor",
            slots.NLU_CONFIDENCE: 0.9,
            slots.PROVINCE: "สมุทรสาคร",
            slots.LATITUDE: NEIGHBOUR_LAT,
            slots.LONGITUDE: NEIGHBOUR_LON,
            slots.CONFIRM_COMPLAINT: True,
        }
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint().run(dispatcher, complaint, DOMAIN)
    tracking_number = dispatcher.messages[0]["tracking_number"]  # the ticket comes first
    assert [m.get("response") for m in dispatcher.messages][-2] == "utter_ask_factory_pick"
    offered = [e["value"] for e in events if e.get("name") == FACTORY_CANDIDATES][-1]
    assert MAHACHAI_ICE in offered

    pick = make_tracker(
        slots={FACTORY_CANDIDATES: offered, slots.EVIDENCE_TICKET: tracking_number},
        intent="factory_pick",
        entities=[{"entity": FACTORY_REGISTRATION_NUMBER, "value": MAHACHAI_ICE}],
    )
    dispatcher = CollectingDispatcher()
    await ActionStoreFactoryPick().run(dispatcher, pick, DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_factory_pick_noted"
    with session_factory()() as session:
        filed = session.scalar(select(Ticket).where(Ticket.tracking_number == tracking_number))
        assert filed is not None and filed.factory_id is not None
        assert session.get(Factory, filed.factory_id).registration_number == MAHACHAI_ICE


async def test_a_corruption_report_is_never_offered_factories(registry):
    from actions.submit_complaint import ActionSubmitComplaint

    report = make_tracker(
        slots={
            slots.COMPLAINT_CATEGORY: "corruption",
            slots.COMPLAINT_TEXT: "เจ้าหน้าที่เรียกเงินจากโรงงานน้ำแข็งแถวมหาชัย",
            slots.NLU_INTENT: "complaint_corruption",
            slots.NLU_CONFIDENCE: 0.9,
            slots.PROVINCE: "สมุทรสาคร",
            slots.CONFIRM_COMPLAINT: True,
        }
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitComplaint().run(dispatcher, report, DOMAIN)
    assert "utter_ask_factory_pick" not in [m.get("response") for m in dispatcher.messages]
    assert not any(e.get("name") == FACTORY_CANDIDATES and e.get("value") for e in events)


def test_the_district_of_a_line_address_is_matched_on():
    from actions.factory_match import district_from_address, match_query

    assert district_from_address("ตำบลมหาชัย อำเภอเมืองสมุทรสาคร สมุทรสาคร 74000 ประเทศไทย") == "เมืองสมุทรสาคร"
    assert district_from_address("แขวงบางนา เขตบางนา กรุงเทพมหานคร 10260") == "บางนา"
    assert district_from_address("Mahachai, Samut Sakhon") is None and district_from_address(None) is None
    query = match_query(
        make_tracker(slots={slots.COMPLAINT_TEXT: COMPLAINT, slots.ADDRESS: "ต.ท่าไม้ อ.กระทุ่มแบน สมุทรสาคร 74110"})
    )
    assert query is not None and query["district"] == "กระทุ่มแบน"
