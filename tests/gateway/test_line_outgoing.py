"""Rasa REST messages -> LINE message objects."""

from hypothesis import given
from hypothesis import strategies as st
from linebot.v3.messaging import ImageMessage, PostbackAction, TextMessage

from gateway.outgoing import (
    MAX_MESSAGES,
    OVERFLOW_SEPARATOR,
    to_line_messages,
)


def test_text_and_buttons_become_quick_reply_postbacks():
    messages = to_line_messages(
        [
            {
                "text": "เรื่องร้องเรียนเกี่ยวกับอะไรครับ",
                "buttons": [
                    {"title": "กลิ่นเหม็นจากโรงงานอุตสาหกรรม", "payload": '/inform{"topic":"odour"}'},
                    {"title": "น้ำเสีย", "payload": "/inform_water"},
                ],
            }
        ]
    )
    assert len(messages) == 1
    message = messages[0]
    assert isinstance(message, TextMessage)
    actions = [item.action for item in message.quick_reply.items]
    assert all(isinstance(a, PostbackAction) for a in actions)
    assert actions[0].label == "กลิ่นเหม็นจากโรงงานอุตสาหกรรม"[:20]
    assert actions[0].data == '/inform{"topic":"odour"}'
    assert actions[0].display_text == "กลิ่นเหม็นจากโรงงานอุตสาหกรรม"
    assert actions[1].data == "/inform_water"
    wire = message.to_dict()
    assert wire["quickReply"]["items"][0]["action"]["type"] == "postback"
    assert wire["quickReply"]["items"][0]["action"]["displayText"] == "กลิ่นเหม็นจากโรงงานอุตสาหกรรม"


def test_at_most_13_quick_reply_items():
    buttons = [{"title": f"ตัวเลือก {i}", "payload": f"/choose{i}"} for i in range(20)]
    (message,) = to_line_messages([{"text": "เลือก", "buttons": buttons}])
    assert len(message.quick_reply.items) == 13


def test_image_and_empty_text():
    messages = to_line_messages([{"text": ""}, {"image": "https://example.org/a.png"}, {"text": "  "}])
    assert len(messages) == 1
    assert isinstance(messages[0], ImageMessage)
    assert messages[0].original_content_url == "https://example.org/a.png"


def test_buttons_without_text_attach_to_previous_text():
    messages = to_line_messages([{"text": "เลือก"}, {"buttons": [{"title": "ใช่", "payload": "/affirm"}]}])
    assert len(messages) == 1
    assert messages[0].quick_reply.items[0].action.data == "/affirm"


def test_more_than_five_messages_are_packed_into_five():
    rasa = [{"text": f"ข้อความ {i}"} for i in range(8)]
    rasa[-1]["buttons"] = [{"title": "ตกลง", "payload": "/affirm"}]
    messages = to_line_messages(rasa)
    assert len(messages) == MAX_MESSAGES
    assert [m.text for m in messages[:4]] == [f"ข้อความ {i}" for i in range(4)]
    assert messages[4].text == OVERFLOW_SEPARATOR.join(f"ข้อความ {i}" for i in range(4, 8))
    assert messages[4].quick_reply.items[0].action.data == "/affirm"


def _sometimes_long(short_max: int, long_size: int) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=short_max), st.just("ก" * long_size))


rasa_message = st.fixed_dictionaries(
    {},
    optional={
        "text": _sometimes_long(30, 6000),
        "image": st.just("https://example.org/x.png"),
        "buttons": st.lists(
            st.fixed_dictionaries({"title": _sometimes_long(8, 40), "payload": _sometimes_long(8, 400)}),
            max_size=15,
        ),
    },
)


@given(st.lists(rasa_message, max_size=12))
def test_line_limits_always_hold(rasa_messages):
    messages = to_line_messages(rasa_messages)
    assert len(messages) <= MAX_MESSAGES
    for message in messages:
        wire = message.to_dict()
        if wire["type"] == "text":
            assert wire["text"].strip() and len(wire["text"]) <= 5000
            items = (wire.get("quickReply") or {}).get("items", [])
            assert len(items) <= 13
            for item in items:
                assert 1 <= len(item["action"]["label"]) <= 20
                assert 1 <= len(item["action"]["data"]) <= 300
