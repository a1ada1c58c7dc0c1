"""Ask the citizen which registered factory the complaint is about (never blocking filing).

``action_offer_factories`` matches what the complaint gives (the subject's name, else the
complaint text; the LINE location; the province) against the factory registry and, when
anything fits, sends "ใช่โรงงานนี้ไหมคะ" with a Flex carousel of the best three (name and
address, a "yes, this one" button each) and quick replies "ไม่ใช่" / "ไม่แน่ใจ". It sends
nothing when nothing fits or the database is down: the complaint goes on as before.

``action_store_factory_pick`` takes the answer (``/factory_pick{"factory_registration_number":
"..."}`` from a bubble's button or a quick reply) and keeps the number only if it was one of
the offered candidates; at submission ``cases.registry.links.link_by_number`` ties the ticket
to it. Every sentence is in bot/domain/factory.yml; this module only builds the carousel.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import slots
from actions.case_store import in_transaction, log_database_error
from cases.registry.cache import shared_index
from cases.registry.links import link_by_number
from cases.repository import get_ticket
from cases.registry.matching import Candidate
from cases.domain_texts import Wording

logger = logging.getLogger(__name__)

FACTORY_CANDIDATES = "factory_candidates"  # registration numbers offered, best first
FACTORY_REGISTRATION_NUMBER = "factory_registration_number"  # the citizen's pick
PICK_INTENT = "factory_pick"
NOT_THIS = "none"
NOT_SURE = "unsure"
OFFERED = 3
FLEX_KEY = "line_flex"  # gateway/outgoing.py joins it to the text before it
BUTTON_RESPONSE = "utter_factory_pick_button"
MAX_BUTTON_LABEL = 20  # LINE's limit for an action label


def pick_payload(registration_number: str) -> str:
    return "/" + PICK_INTENT + json.dumps({FACTORY_REGISTRATION_NUMBER: registration_number}, ensure_ascii=False)


def _given(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text if text and text not in (slots.NOT_GIVEN, slots.UNKNOWN_PROVINCE) else None


# "อำเภอเมืองสมุทรสาคร", "เขตบางนา", "อ.กระทุ่มแบน" in the address LINE gives a shared place.
_DISTRICT = re.compile(r"(?:อำเภอ|เขต|อ\.)\s*([\u0E00-\u0E7F]+)")


def district_from_address(address: Any) -> str | None:
    """The district (อำเภอ / เขต) named in a LINE location's address, if any."""
    found = _DISTRICT.search(address) if isinstance(address, str) else None
    return found.group(1) if found else None


def match_query(tracker: Tracker) -> dict[str, Any] | None:
    """What to match on, from the slots; None when the complaint gives nothing to match."""
    name = _given(tracker.get_slot(slots.SUBJECT_NAME))
    text = name or " ".join(
        t
        for t in (_given(tracker.get_slot(slots.COMPLAINT_TEXT)), _given(tracker.get_slot(slots.DESCRIPTION_DETAIL)))
        if t
    )
    latitude, longitude = tracker.get_slot(slots.LATITUDE), tracker.get_slot(slots.LONGITUDE)
    located = isinstance(latitude, (int, float)) and isinstance(longitude, (int, float))
    if not text and not located:
        return None
    return {
        "text": text or None,
        "latitude": float(latitude) if located else None,
        "longitude": float(longitude) if located else None,
        "province": _given(tracker.get_slot(slots.PROVINCE)),
        "district": district_from_address(tracker.get_slot(slots.ADDRESS)),
    }


def _address(candidate: Candidate) -> str:
    f = candidate.factory
    parts = [
        f.address,
        f"ต.{f.subdistrict}" if f.subdistrict else None,
        f"อ.{f.district}" if f.district else None,
        f"จ.{f.province}",
    ]
    return " ".join(p for p in parts if p)


def carousel(candidates: list[Candidate], button_label: str) -> dict[str, Any]:
    """A LINE Flex carousel: one bubble per candidate with its name, address and a pick button."""
    label = button_label[:MAX_BUTTON_LABEL]
    bubbles = []
    for candidate in candidates:
        number = candidate.factory.registration_number
        bubbles.append(
            {
                "type": "bubble",
                "size": "kilo",
                "body": {
                    "type": "box",
                    "layout": "vertical",
                    "spacing": "sm",
                    "contents": [
                        {"type": "text", "text": candidate.factory.name[:200], "weight": "bold", "wrap": True},
                        {
                            "type": "text",
                            "text": _address(candidate)[:300],
                            "size": "sm",
                            "color": "#666666",
                            "wrap": True,
                        },
                    ],
                },
                "footer": {
                    "type": "box",
                    "layout": "vertical",
                    "contents": [
                        {
                            "type": "button",
                            "style": "primary",
                            "height": "sm",
                            "action": {
                                "type": "postback",
                                "label": label,
                                "data": pick_payload(number)[:300],
                                "displayText": label,
                            },
                        },
                    ],
                },
            }
        )
    return {"type": "carousel", "contents": bubbles}


def _response_text(domain: DomainDict, name: str) -> str | None:
    return Wording.of_domain(domain).text(name, required=False)


class ActionOfferFactories(Action):
    def name(self) -> Text:
        return "action_offer_factories"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        return offer_factories(dispatcher, tracker, domain)


def offer_factories(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
    """Offer the registry's best candidates for the complaint's subject, if any; the
    complaint never waits for the answer (it is filed first, the pick links it later)."""
    query = match_query(tracker)
    if query is None:
        return [SlotSet(FACTORY_CANDIDATES, None)]
    try:
        candidates = in_transaction(lambda session: shared_index(session).match(**query, limit=OFFERED))
    except SQLAlchemyError as error:
        log_database_error(logger, "factory matching failed", error, tracker.sender_id)
        return [SlotSet(FACTORY_CANDIDATES, None)]  # the complaint goes on without it
    label = _response_text(domain, BUTTON_RESPONSE)
    if not candidates or not label:
        return [SlotSet(FACTORY_CANDIDATES, None)]
    dispatcher.utter_message(response="utter_ask_factory_pick")
    dispatcher.utter_message(json_message={FLEX_KEY: carousel(candidates, label)})
    return [SlotSet(FACTORY_CANDIDATES, [c.factory.registration_number for c in candidates])]


def picked_number(tracker: Tracker) -> str | None:
    """The registration number the citizen picked, if it was one of those offered."""
    offered = tracker.get_slot(FACTORY_CANDIDATES) or []
    value = next(
        (
            e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == FACTORY_REGISTRATION_NUMBER
        ),
        None,
    ) or tracker.get_slot(FACTORY_REGISTRATION_NUMBER)
    return value if isinstance(value, str) and value in offered else None


class ActionStoreFactoryPick(Action):
    def name(self) -> Text:
        return "action_store_factory_pick"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = picked_number(tracker)
        ticket_number = tracker.get_slot(slots.EVIDENCE_TICKET)
        if number and ticket_number:
            try:
                in_transaction(lambda session: _link(session, ticket_number, number))
            except SQLAlchemyError as error:
                log_database_error(logger, "factory link failed", error, tracker.sender_id)
                number = None
        dispatcher.utter_message(response="utter_factory_pick_noted" if number else "utter_factory_pick_skipped")
        return [SlotSet(FACTORY_REGISTRATION_NUMBER, number), SlotSet(FACTORY_CANDIDATES, None)]


def _link(session: Any, tracking_number: str, registration_number: str) -> bool:
    """Tie the complaint just filed to the factory the citizen picked."""
    ticket = get_ticket(session, tracking_number=tracking_number)
    return bool(ticket) and link_by_number(session, ticket=ticket, registration_number=registration_number, actor="bot")
