"""The complaint summary as a LINE Flex message: domain response -> Rasa REST -> LINE."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from linebot.v3.messaging import FlexBubble, FlexContainer, FlexMessage, PostbackAction, TextMessage

from cases.domain_texts import read_responses
from gateway.outgoing import (
    FLEX_KEY,
    MAX_ALT_TEXT_CHARS,
    MAX_MESSAGES,
    PRIVATE_MARKER,
    join_flex,
    to_line_messages,
)

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = read_responses(ROOT / "bot" / "domain")
FLEX_RESPONSES = sorted(
    name for name, variants in RESPONSES.items() if any(FLEX_KEY in (v.get("custom") or {}) for v in variants)
)
VALUES = {
    "category": "กลิ่นเหม็น กลิ่นสารเคมี",
    "place": "จังหวัดชลบุรี",
    "description": "โรงงานปล่อยกลิ่นเหม็นทุกคืน {ไม่ใช่ตัวแปร}",
    "subject": "บริษัท สยามเคมีภัณฑ์ จำกัด (โรงงานอุตสาหกรรม)",
    "occurred": "ทุกคืนหลังสองทุ่ม",
    "contact": "081 234 5678",
}
MARKER = {"recipient_id": "u", "custom": {PRIVATE_MARKER: True}}


def fill(template: Any, values: dict[str, str]) -> Any:
    """Fill {placeholders} the way Rasa's interpolator does (strings inside dicts and lists)."""
    if isinstance(template, str):
        return re.sub(r"{([^\n{}]+?)}", lambda m: values.get(m.group(1), m.group(0)), template)
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    return template


def rasa_rest_output(name: str, values: dict[str, str] = VALUES) -> list[dict]:
    """What Rasa's REST channel sends for one response: text+buttons, then the custom part."""
    response = fill(copy.deepcopy(RESPONSES[name][0]), values)
    first = {"recipient_id": "u", "text": response["text"], "buttons": response["buttons"]}
    return [first, {"recipient_id": "u", "custom": response["custom"]}]


def test_both_summaries_carry_a_flex_bubble():
    assert FLEX_RESPONSES == ["utter_confirm_complaint", "utter_confirm_complaint_no_place"]


@pytest.mark.parametrize("name", FLEX_RESPONSES)
def test_every_flex_payload_in_the_domain_is_a_valid_line_bubble(name):
    for variant in RESPONSES[name]:
        bubble = FlexContainer.from_dict(fill(variant["custom"][FLEX_KEY], VALUES))
        assert isinstance(bubble, FlexBubble)
        wire = bubble.to_dict()
        assert "{" not in str(wire).replace("{ไม่ใช่ตัวแปร}", "").replace("{'", "").replace('{"', "")
        labels = [b["action"]["label"] for b in _buttons(wire)]
        assert labels == [b["title"] for b in variant["buttons"]] == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
        assert [b["action"]["data"] for b in _buttons(wire)] == [b["payload"] for b in variant["buttons"]]


def _buttons(node: Any) -> list[dict]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "button" else []
        return found + [b for v in node.values() for b in _buttons(v)]
    if isinstance(node, list):
        return [b for v in node for b in _buttons(v)]
    return []


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "text" else []
        return own + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def test_the_summary_becomes_one_flex_message_with_alt_text_and_quick_replies():
    messages = to_line_messages(
        [{"recipient_id": "u", "text": "ขอบคุณค่ะ"}, *rasa_rest_output("utter_confirm_complaint"), MARKER]
    )
    assert [type(m) for m in messages] == [TextMessage, FlexMessage]
    flex = messages[1]
    assert flex.alt_text.startswith("สรุปเรื่องที่แจ้งนะคะ") and "จังหวัดชลบุรี" in flex.alt_text
    assert [i.action.label for i in flex.quick_reply.items] == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
    assert all(isinstance(i.action, PostbackAction) for i in flex.quick_reply.items)
    wire = flex.to_dict()
    assert wire["type"] == "flex" and wire["contents"]["type"] == "bubble"
    shown = _texts(wire["contents"])
    for value in VALUES.values():
        assert value in shown, value
    footer = _buttons(wire["contents"]["footer"])
    assert [(b["action"]["type"], b["action"]["data"]) for b in footer] == [
        ("postback", "/affirm"),
        ("postback", "/edit_complaint"),
        ("postback", "/deny"),
    ]


def test_the_summary_without_a_place_has_no_place_row():
    values = {k: v for k, v in VALUES.items() if k != "place"}
    (flex,) = to_line_messages(rasa_rest_output("utter_confirm_complaint_no_place", values))
    shown = _texts(flex.to_dict()["contents"])
    assert "สถานที่" not in shown and "ประเภท" in shown


def test_in_a_group_the_summary_is_the_notice_with_its_buttons_and_no_flex():
    notice = "รายละเอียดจะไม่แสดงในแชทกลุ่มค่ะ"
    messages = to_line_messages([*rasa_rest_output("utter_confirm_complaint"), MARKER], group_notice=notice)
    assert len(messages) == 1 and isinstance(messages[0], TextMessage)
    assert messages[0].text == notice
    assert [i.action.data for i in messages[0].quick_reply.items] == ["/affirm", "/edit_complaint", "/deny"]
    assert "โรงงานปล่อยกลิ่น" not in str(messages[0].to_dict())


def test_an_invalid_bubble_falls_back_to_the_text(caplog):
    broken = [
        {"text": "สรุปค่ะ", "buttons": [{"title": "ยืนยัน", "payload": "/affirm"}]},
        {"custom": {FLEX_KEY: {"type": "bubble", "body": {"type": "box", "contents": []}}}},
    ]
    (message,) = to_line_messages(broken)
    assert isinstance(message, TextMessage) and message.text == "สรุปค่ะ"
    assert message.quick_reply.items[0].action.data == "/affirm"
    assert "invalid Flex container" in caplog.text


def test_a_long_summary_is_cut_to_lines_alt_text_limit():
    values = {**VALUES, "description": "ก" * 2000}
    (flex,) = to_line_messages(rasa_rest_output("utter_confirm_complaint", values))
    assert len(flex.alt_text) == MAX_ALT_TEXT_CHARS and flex.alt_text.endswith("…")
    assert "ก" * 2000 in _texts(flex.to_dict()["contents"])  # the bubble keeps it whole


def test_a_flex_payload_without_its_text_is_dropped():
    bubble = RESPONSES["utter_confirm_complaint"][0]["custom"]
    assert join_flex([{"custom": bubble}]) == []
    assert to_line_messages([{"image": "https://example.org/a.png"}, {"custom": bubble}])[0].type == "image"


def test_past_five_messages_a_summary_becomes_its_text():
    rasa = [{"text": f"ข้อความ {i}"} for i in range(5)] + rasa_rest_output("utter_confirm_complaint")
    messages = to_line_messages(rasa)
    assert len(messages) == MAX_MESSAGES
    assert isinstance(messages[-1], TextMessage)
    assert messages[-1].text.startswith("ข้อความ 4") and "สรุปเรื่องที่แจ้ง" in messages[-1].text
    assert [i.action.label for i in messages[-1].quick_reply.items] == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
