"""Consistency of the Rasa domain with the taxonomy, the rules and the action code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cases.taxonomy import complaint_intents
from cases.domain_texts import read_domain
from tools.validate_data import used_outside_dialogue

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = read_domain(ROOT / "bot" / "domain")
DIALOGUE = "\n".join(p.read_text() for p in sorted((ROOT / "bot" / "dialogue").glob("*.yml")))
CODE = "\n".join(
    p.read_text() for folder in ("actions", "web", "gateway", "console") for p in (ROOT / folder).rglob("*.py")
)
RESPONSES = DOMAIN["responses"]


def test_every_taxonomy_intent_is_declared_and_starts_a_complaint():
    for intent in complaint_intents() + [
        "out_of_scope",
        "greet",
        "goodbye",
        "thanks",
        "affirm",
        "deny",
        "inform",
        "check_status",
        "ask_human",
        "help",
        "cancel",
    ]:
        assert intent in DOMAIN["intents"], intent
    for intent in complaint_intents():
        assert re.search(rf"intent: {intent}\n\s+- action: action_start_complaint", DIALOGUE), intent


def test_responses_named_in_code_exist():
    named = set(re.findall(r'response="(utter_\w+)"', CODE))
    assert named, "the actions name their responses"
    assert named <= set(RESPONSES), named - set(RESPONSES)


def test_every_response_is_used_somewhere():
    """What `make validate` checks: named by the dialogue, asked by a form or sent by the code."""
    sent = used_outside_dialogue(ROOT / "bot" / "domain")
    unused = [name for name in RESPONSES if not re.search(rf"\b{name}\b", DIALOGUE) and name not in sent]
    assert unused == []


def test_every_custom_action_is_implemented():
    implemented = set(re.findall(r'return "((?:action|validate)_\w+)"', CODE))
    assert set(DOMAIN["actions"]) <= implemented, set(DOMAIN["actions"]) - implemented


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_the_bot_speaks_politely_as_a_woman(name):
    for variant in RESPONSES[name]:
        text = variant["text"]
        assert "ครับ" not in text and "ผม" not in text
        if name not in ("utter_ticket_status", "utter_my_ticket_line"):  # data cards, not sentences
            assert "ค่ะ" in text or "คะ" in text, text


def test_button_titles_fit_a_line_quick_reply_label():
    for name, variants in RESPONSES.items():
        for variant in variants:
            for button in variant.get("buttons", []):
                assert 0 < len(button["title"]) <= 20, (name, button["title"])


def test_the_greeting_and_help_offer_a_short_menu():
    """LINE's follow event sends /greet: the first thing a new friend sees has buttons."""
    for name in ("utter_greet", "utter_help"):
        payloads = [b["payload"] for b in RESPONSES[name][0]["buttons"]]
        assert "/my_tickets" in payloads and "/check_status" in payloads, name
