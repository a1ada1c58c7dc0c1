"""LINE location messages and group chats in the gateway."""

from __future__ import annotations

import json

from linebot.v3.messaging import TextMessage
from linebot.v3.webhooks import Event

from gateway.outgoing import redact_private, to_line_messages
from gateway.signing import in_group, location_event, new_user_id, sticker_event, text_event
from gateway.turns import TurnKind, location_text, turn_for_event

ADDRESS = "1 ถนนสุขุมวิท อำเภอเมืองชลบุรี ชลบุรี 20000 ประเทศไทย"


def turn(event):
    return turn_for_event(Event.from_dict(event))


def test_a_location_becomes_a_share_location_message_with_its_entities():
    user = new_user_id()
    result = turn(location_event(user, 13.3611, 100.9847, ADDRESS))
    assert result.kind is TurnKind.TO_RASA and result.user_id == user and not result.in_group
    intent, _, entities = result.text.partition("{")
    assert intent == "/share_location"
    assert json.loads("{" + entities) == {"latitude": 13.3611, "longitude": 100.9847, "address": ADDRESS}


def test_a_location_without_an_address_and_a_hostile_address_stay_valid_json():
    assert turn(location_event(new_user_id(), 1.5, 2.5)).text == '/share_location{"latitude": 1.5, "longitude": 2.5}'
    text = location_text(1.0, 2.0, 'ถนน "A"} /greet{' + "ก" * 900)
    assert json.loads(text.removeprefix("/share_location"))["address"].startswith('ถนน "A"} /greet{')
    assert len(json.loads(text.removeprefix("/share_location"))["address"]) == 500


def test_stickers_are_still_unsupported_and_group_turns_are_marked():
    assert turn(sticker_event(new_user_id())).kind is TurnKind.UNSUPPORTED
    assert turn(in_group(text_event(new_user_id(), "สวัสดี"))).in_group
    assert not turn(text_event(new_user_id(), "สวัสดี")).in_group


SUMMARY = [
    {"recipient_id": "u", "text": "รับทราบค่ะ"},
    {
        "recipient_id": "u",
        "text": "สรุปเรื่องที่แจ้งนะคะ รายละเอียด: เจ้าหน้าที่เรียกเงิน",
        "buttons": [{"title": "ยืนยัน", "payload": "/affirm"}],
    },
    {"recipient_id": "u", "custom": {"idee_private_previous": True}},
]


def test_in_a_group_the_summary_is_replaced_but_its_buttons_stay():
    messages = to_line_messages(SUMMARY, group_notice="ไม่แสดงในกลุ่มค่ะ")
    assert [m.text for m in messages] == ["รับทราบค่ะ", "ไม่แสดงในกลุ่มค่ะ"]
    assert messages[1].quick_reply.items[0].action.label == "ยืนยัน"
    assert "เจ้าหน้าที่เรียกเงิน" not in json.dumps([m.to_dict() for m in messages], ensure_ascii=False)


def test_a_location_button_opens_lines_location_picker():
    (message,) = to_line_messages(
        [
            {
                "text": "จังหวัดอะไรคะ",
                "buttons": [
                    {"title": "ส่งตำแหน่งที่ตั้ง", "payload": "line:location"},
                    {"title": "ไม่ทราบ", "payload": "/deny"},
                ],
            }
        ]
    )
    first, second = (item.action.to_dict() for item in message.quick_reply.items)
    assert first == {"type": "location", "label": "ส่งตำแหน่งที่ตั้ง"}
    assert second["type"] == "postback" and second["data"] == "/deny"


def test_in_a_one_to_one_chat_the_summary_is_shown_and_the_marker_is_not_sent():
    messages = to_line_messages(SUMMARY)
    assert len(messages) == 2 and all(isinstance(m, TextMessage) for m in messages)
    assert "เจ้าหน้าที่เรียกเงิน" in messages[1].text
    assert redact_private([{"custom": {"idee_private_previous": True}}], "x") == []
