"""End to end: signed webhook -> gateway -> stub Rasa -> real SDK client -> fake LINE."""

import logging
import time

import pytest

from gateway import signing
from settings import Settings
from web.app import create_app
from tests.support.web import (
    BUSY_TEXT,
    CHANNEL_SECRET,
    UNSUPPORTED_TEXT,
    Gateway,
    closed_port_url,
    gateway_settings,
    serve,
    texts_of,
)


def user() -> str:
    return signing.new_user_id()


def test_valid_signature_text_is_answered_by_one_reply(gateway: Gateway):
    user_id = user()
    response = gateway.send_events(signing.text_event(user_id, "โรงงานปล่อยน้ำเสีย"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    (delivery,) = gateway.wait_for_deliveries(user_id)
    assert delivery["kind"] == "reply"
    assert texts_of(delivery) == ["echo: โรงงานปล่อยน้ำเสีย"]
    assert gateway.rasa.received == [{"sender": user_id, "message": "โรงงานปล่อยน้ำเสีย"}]


@pytest.mark.parametrize("signature", [None, "", "d3Jvbmc=", signing.sign_body(b"other", CHANNEL_SECRET)])
def test_missing_or_wrong_signature_is_400_and_nothing_happens(gateway: Gateway, signature):
    rejected_user = user()
    body = signing.webhook_body(signing.text_event(rejected_user, "ไม่ควรถึงบอท"))
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    response = gateway.post(body, headers)
    assert response.status_code == 400
    assert "detail" in response.json()
    # A valid webhook sent afterwards is processed; by then the rejected one would be too.
    ok_user = user()
    gateway.send_events(signing.text_event(ok_user, "ข้อความที่ถูกต้อง"))
    gateway.wait_for_deliveries(ok_user)
    assert [r["sender"] for r in gateway.rasa.received] == [ok_user]
    assert gateway.deliveries(rejected_user) == []
    assert len(gateway.deliveries()) == 1


def test_signature_of_secret_from_another_channel_is_rejected(gateway: Gateway):
    body, headers = signing.signed_webhook("another-channel", signing.text_event(user(), "x"))
    assert gateway.post(body, headers).status_code == 400


def test_buttons_arrive_as_quick_reply_postbacks_in_one_reply(gateway: Gateway):
    gateway.rasa.responder = lambda sender, message: [
        {"text": "ขอบคุณครับ"},
        {
            "text": "เรื่องที่ร้องเรียนคือ",
            "buttons": [
                {"title": "มลพิษทางอากาศจากโรงงาน", "payload": "/inform_air"},
                {"title": "น้ำเสีย", "payload": "/inform_water"},
            ],
        },
    ]
    user_id = user()
    gateway.send_events(signing.text_event(user_id, "ร้องเรียน"))
    (delivery,) = gateway.wait_for_deliveries(user_id)
    messages = delivery["payload"]["messages"]
    assert [m["text"] for m in messages] == ["ขอบคุณครับ", "เรื่องที่ร้องเรียนคือ"]
    actions = [item["action"] for item in messages[1]["quickReply"]["items"]]
    assert actions[0] == {
        "type": "postback",
        "label": "มลพิษทางอากาศจากโรงงาน"[:20],
        "data": "/inform_air",
        "displayText": "มลพิษทางอากาศจากโรงงาน",
    }


def test_postback_data_goes_to_rasa_as_text(gateway: Gateway):
    user_id = user()
    gateway.send_events(signing.postback_event(user_id, "/inform_water"))
    gateway.wait_for_deliveries(user_id)
    assert gateway.rasa.received == [{"sender": user_id, "message": "/inform_water"}]


def test_follow_sends_greet(gateway: Gateway):
    user_id = user()
    gateway.send_events(signing.follow_event(user_id))
    gateway.wait_for_deliveries(user_id)
    assert gateway.rasa.received == [{"sender": user_id, "message": "/greet"}]


def test_expired_reply_token_falls_back_to_push(gateway: Gateway):
    user_id = user()
    gateway.send_events(signing.text_event(user_id, "สวัสดี", reply_token="expired-abc"))
    (delivery,) = gateway.wait_for_deliveries(user_id)
    assert delivery["kind"] == "push"
    assert delivery["payload"]["to"] == user_id
    assert texts_of(delivery) == ["echo: สวัสดี"]


def test_sticker_gets_unsupported_text_without_rasa(gateway: Gateway):
    user_id = user()
    gateway.send_events(signing.sticker_event(user_id))
    (delivery,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(delivery) == [UNSUPPORTED_TEXT]
    assert gateway.rasa.received == []


def test_rasa_error_gets_system_busy_text(gateway: Gateway):
    gateway.rasa.status_code = 503
    user_id = user()
    gateway.send_events(signing.text_event(user_id, "สวัสดี"))
    (delivery,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(delivery) == [BUSY_TEXT]


def test_rasa_down_gets_system_busy_text(fake_line_url, domain_file, stub_rasa):
    settings = gateway_settings(
        LINE_API_BASE_URL=fake_line_url, RASA_URL=closed_port_url(), DOMAIN_PATH=str(domain_file)
    )
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub_rasa[0])
        user_id = user()
        assert gateway.send_events(signing.text_event(user_id, "สวัสดี")).status_code == 200
        (delivery,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(delivery) == [BUSY_TEXT]


def test_huge_and_empty_messages_do_not_crash(gateway: Gateway):
    huge_user, empty_user = user(), user()
    assert gateway.send_events(signing.text_event(huge_user, "ก" * 20_000)).status_code == 200
    assert gateway.send_events(signing.text_event(empty_user, "")).status_code == 200
    gateway.wait_for_deliveries(huge_user)
    assert [len(r["message"]) for r in gateway.rasa.received] == [5000]
    # The gateway is still healthy and the empty message reached nobody.
    follow_up = user()
    gateway.send_events(signing.text_event(follow_up, "ยังอยู่ไหม"))
    gateway.wait_for_deliveries(follow_up)
    assert gateway.deliveries(empty_user) == []  # no utter_empty_message in this domain


def test_empty_message_gets_empty_text_when_the_domain_has_one(fake_line_url, domain_file, stub_rasa):
    domain_file.write_text(
        domain_file.read_text(encoding="utf-8") + '  utter_empty_message:\n  - text: "ไม่ได้รับข้อความ"\n',
        encoding="utf-8",
    )
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=stub_rasa[1], DOMAIN_PATH=str(domain_file))
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub_rasa[0])
        user_id = user()
        assert gateway.send_events(signing.text_event(user_id, "   ")).status_code == 200
        (delivery,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(delivery) == ["ไม่ได้รับข้อความ"]
    assert stub_rasa[0].received == []


def test_messages_of_one_user_are_handled_in_order(gateway: Gateway):
    def slow_first(sender: str, message: str) -> list[dict]:
        if message == "หนึ่ง":
            time.sleep(0.3)
        return [{"text": f"ตอบ {message}"}]

    gateway.rasa.responder = slow_first
    user_id = user()
    for word in ["หนึ่ง", "สอง", "สาม"]:
        gateway.send_events(signing.text_event(user_id, word))
    deliveries = gateway.wait_for_deliveries(user_id, count=3)
    assert [texts_of(d)[0] for d in deliveries] == ["ตอบ หนึ่ง", "ตอบ สอง", "ตอบ สาม"]


def test_user_ids_are_not_logged_in_clear(gateway: Gateway, caplog):
    caplog.set_level(logging.DEBUG, logger="gateway")
    user_id = user()
    gateway.send_events(signing.text_event(user_id, "สวัสดี", reply_token="expired-x"))
    gateway.wait_for_deliveries(user_id)
    assert caplog.records, "the gateway should log its work"
    assert all(user_id not in r.getMessage() for r in caplog.records)


def test_only_secret_without_token_is_a_config_error():
    with pytest.raises(Exception, match="LINE_CHANNEL_ACCESS_TOKEN"):
        create_app(Settings.with_variables(LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN=""))


def test_a_turn_rasa_answers_with_nothing_gets_the_no_answer_text(fake_line_url, domain_file, stub_rasa):
    domain_file.write_text(
        domain_file.read_text(encoding="utf-8") + '  utter_no_answer:\n  - text: "ขออภัยค่ะ ยังตอบไม่ได้"\n',
        encoding="utf-8",
    )
    stub_rasa[0].responder = lambda sender, message: []
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, RASA_URL=stub_rasa[1], DOMAIN_PATH=str(domain_file))
    with serve(create_app(settings)) as url:
        gateway = Gateway(url=url, fake_line_url=fake_line_url, rasa=stub_rasa[0])
        user_id = user()
        assert gateway.send_events(signing.text_event(user_id, "ข้ามค่ะ")).status_code == 200
        (delivery,) = gateway.wait_for_deliveries(user_id)
    assert texts_of(delivery) == ["ขออภัยค่ะ ยังตอบไม่ได้"]
    assert [r["message"] for r in stub_rasa[0].received] == ["ข้ามค่ะ"]


def test_the_acknowledgement_says_how_long_the_gateway_itself_took(gateway: Gateway):
    response = gateway.send_events(signing.text_event(user(), "สวัสดี"))
    assert response.status_code == 200
    name, duration = response.headers["Server-Timing"].split(";")
    assert name == "app" and duration.startswith("dur=")
    assert 0 < float(duration.removeprefix("dur=")) < 10_000
