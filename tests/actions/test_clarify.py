"""Low confidence is a question: the clarifying question, the citizen's choice, the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import slots
from actions.clarify import (
    ActionClarifyCategory,
    ActionStartClarifiedComplaint,
    button_label,
    choice_payload,
    chosen_category,
    likeliest_categories,
    needs_clarification,
)
from actions.complaint_intake import ActionStartComplaint
from cases.db import make_engine, make_session_factory
from cases.models import ReviewItem
from cases.taxonomy import Category
from cases.domain_texts import read_domain

DOMAIN = read_domain(Path(__file__).resolve().parents[2] / "bot" / "domain")
TEXT = "แถวบ้านมีเสียงดังตอนดึกแล้วก็มีกลิ่นด้วย ที่ชลบุรีค่ะ โทร 0812345678"
RANKING = [
    {"name": "complaint_odor", "confidence": 0.45},
    {"name": "complaint_noise", "confidence": 0.35},
    {"name": "greet", "confidence": 0.08},
    {"name": "complaint_air_pollution", "confidence": 0.07},
    {"name": "complaint_wastewater", "confidence": 0.05},
]
PROVINCE = {"entity": "province", "value": "ชลบุรี", "start": TEXT.index("ชลบุรี"), "end": TEXT.index("ชลบุรี") + 6}


def tracker(intent, confidence, *, text=TEXT, ranking=RANKING, entities=(PROVINCE,), events=(), active_loop=None):
    return Tracker(
        sender_id="U" + "2" * 32,
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": list(ranking),
            "entities": list(entities),
        },
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )


def queued(url):
    with make_session_factory(make_engine(url))() as session:
        return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


# -- pure -------------------------------------------------------------------------------------


def test_likeliest_categories_skip_other_intents_and_keep_order():
    assert likeliest_categories(RANKING) == [Category.ODOR, Category.NOISE, Category.AIR_POLLUTION]
    assert likeliest_categories(RANKING, limit=2) == [Category.ODOR, Category.NOISE]
    assert likeliest_categories([{"name": "nlu_fallback"}, {"name": "greet"}]) == []
    assert likeliest_categories(None) == []


def test_needs_clarification_only_for_unsure_complaints():
    assert needs_clarification({"intent": {"name": "complaint_odor", "confidence": 0.5}}, 0.6)
    assert not needs_clarification({"intent": {"name": "complaint_odor", "confidence": 0.7}}, 0.6)
    assert not needs_clarification({"intent": {"name": "greet", "confidence": 0.2}}, 0.6)
    assert not needs_clarification(
        {"intent": {"name": "complaint_odor", "confidence": 0.1}, "idee_clarified": True}, 0.6
    )


@pytest.mark.parametrize("category", [c for c in Category if c is not Category.OTHER])
def test_every_category_has_a_quick_reply_label_that_fits_line(category):
    label = button_label(category)
    assert 0 < len(label) <= 20
    assert label.split()[0] in __import__("cases.taxonomy").taxonomy.CATEGORY_NAMES_TH[category]


def test_labels_are_whole_words():
    assert button_label(Category.ODOR) == "กลิ่นเหม็น"
    assert button_label(Category.SERVICE) == "การให้บริการ"
    assert button_label(Category.WASTEWATER) == "น้ำเสีย"


def test_chosen_category_from_the_payload_entity():
    assert chosen_category({"entities": [{"entity": "clarified_category", "value": "noise"}]}) is Category.NOISE
    assert chosen_category({"entities": [{"entity": "clarified_category", "value": "bogus"}]}) is None
    assert chosen_category({"entities": []}) is None


# -- actions ----------------------------------------------------------------------------------


async def test_unsure_complaint_is_asked_not_started(case_database):
    dispatcher = CollectingDispatcher()
    events = await ActionStartComplaint().run(dispatcher, tracker("complaint_odor", 0.45), DOMAIN)
    assert events == [{"event": "followup", "name": "action_listen", "timestamp": None}]
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify_category"
    assert [b["payload"] for b in message["buttons"]] == [
        choice_payload(Category.ODOR),
        choice_payload(Category.NOISE),
        choice_payload(Category.AIR_POLLUTION),
        '/choose_category{"clarified_category":"other"}',
    ]
    assert message["buttons"][-1]["title"] == "อื่น ๆ"
    [item] = queued(case_database)
    assert item.source == "low_confidence" and item.predicted_intent == "complaint_odor"
    assert "0812345678" not in item.text and "[phone]" in item.text


async def test_fairly_sure_complaint_starts_and_is_queued_below_the_review_threshold(case_database):
    dispatcher = CollectingDispatcher()
    events = await ActionStartComplaint().run(dispatcher, tracker("complaint_odor", 0.7), DOMAIN)
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}[slots.COMPLAINT_CATEGORY] == "odor"
    assert [i.source for i in queued(case_database)] == ["low_confidence"]
    await ActionStartComplaint().run(
        CollectingDispatcher(), tracker("complaint_odor", 0.95, text="โรงงานเหม็นมาก"), DOMAIN
    )
    assert len(queued(case_database)) == 1  # a confident prediction is not queued


async def test_threshold_comes_from_the_environment(case_database, monkeypatch):
    monkeypatch.setenv("CLARIFY_THRESHOLD", "0.3")
    dispatcher = CollectingDispatcher()
    events = await ActionStartComplaint().run(dispatcher, tracker("complaint_odor", 0.45), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_category_understood"
    assert any(e.get("name") == slots.COMPLAINT_CATEGORY for e in events)


async def test_fallback_offers_the_likeliest_categories_and_is_queued(case_database):
    dispatcher = CollectingDispatcher()
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}] + RANKING
    events = await ActionClarifyCategory().run(dispatcher, tracker("nlu_fallback", 0.4, ranking=ranking), DOMAIN)
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_clarify_category"
    assert len(dispatcher.messages[0]["buttons"]) == 4
    [item] = queued(case_database)
    assert item.source == "fallback" and item.predicted_intent == "nlu_fallback"


async def test_fallback_without_any_complaint_candidate_or_inside_a_form_is_not_understood(case_database):
    dispatcher = CollectingDispatcher()
    await ActionClarifyCategory().run(
        dispatcher, tracker("nlu_fallback", 0.4, text="อิอิ", ranking=[{"name": "greet", "confidence": 0.3}]), DOMAIN
    )
    await ActionClarifyCategory().run(
        dispatcher, tracker("nlu_fallback", 0.4, text="อะไรนะ", active_loop="complaint_form"), DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_default", "utter_default"]
    assert [i.text for i in queued(case_database)] == ["อิอิ"]  # answers inside a form are not queued


def _choice_tracker(code):
    original = {
        "event": "user",
        "text": TEXT,
        "parse_data": {"intent": RANKING[0], "intent_ranking": RANKING, "entities": [PROVINCE]},
    }
    choice = {"event": "user", "text": f'/choose_category{{"clarified_category":"{code}"}}', "parse_data": {}}
    return tracker(
        "choose_category",
        1.0,
        text=choice["text"],
        ranking=[],
        entities=[{"entity": "clarified_category", "value": code}],
        events=[original, {"event": "bot", "text": "?"}, choice],
    )


async def test_the_citizens_choice_starts_the_complaint_with_their_words(case_database):
    await ActionStartComplaint().run(CollectingDispatcher(), tracker("complaint_odor", 0.45), DOMAIN)
    dispatcher = CollectingDispatcher()
    events = await ActionStartClarifiedComplaint().run(dispatcher, _choice_tracker("noise"), DOMAIN)
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert values[slots.COMPLAINT_CATEGORY] == "noise"
    assert values[slots.COMPLAINT_TEXT] == TEXT  # the ticket keeps the citizen's words
    assert values[slots.NLU_INTENT] == "complaint_noise"
    assert values[slots.NLU_CONFIDENCE] == 0.35
    assert values[slots.PROVINCE] == "ชลบุรี"
    assert dispatcher.messages[0]["response"] == "utter_category_understood"
    [item] = queued(case_database)  # the question's item, now labelled by the citizen
    assert item.source == "citizen_choice" and item.corrected_intent == "complaint_noise"
    assert item.occurrences == 2
    assert item.entities and item.entities[0]["entity"] == "province"


async def test_choosing_other_files_under_other_and_leaves_the_label_to_trainers(case_database):
    events = await ActionStartClarifiedComplaint().run(CollectingDispatcher(), _choice_tracker("other"), DOMAIN)
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert values[slots.COMPLAINT_CATEGORY] == "other"
    [item] = queued(case_database)
    assert item.source == "citizen_choice" and item.corrected_intent is None


async def test_one_likely_category_is_still_a_question(case_database):
    dispatcher = CollectingDispatcher()
    ranking = [{"name": "complaint_odor", "confidence": 0.45}, {"name": "greet", "confidence": 0.3}]
    events = await ActionStartComplaint().run(dispatcher, tracker("complaint_odor", 0.45, ranking=ranking), DOMAIN)
    assert events[0]["event"] == "followup"
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["กลิ่นเหม็น", "อื่น ๆ"]
