"""Simulator mode: a photo chosen on the page reaches the gateway as a LINE image message,
is downloaded from the fake LINE (the blob host in simulator mode) and stored as evidence."""

from __future__ import annotations


import httpx

from cases.attachments import count_pending, owner_key
from cases.db import make_engine, make_session_factory
from settings import get_settings
from gateway import signing
from tests.gateway.dev.test_simulator import poll_messages, simulator_url  # noqa: F401 (fixture)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x07" * 500


def pending(database_url: str, user_id: str) -> int:
    with make_session_factory(make_engine(database_url))() as session:
        return count_pending(session, owner=owner_key(user_id, get_settings().privacy.pseudonym_salt))


def test_a_photo_from_the_page_is_stored_and_rasa_hears_of_it(simulator_url, stub_rasa, case_database):  # noqa: F811
    stub, _ = stub_rasa
    user_id = signing.new_user_id()
    sent = httpx.post(
        f"{simulator_url}/simulator/api/send-photo",
        data={"user_id": user_id},
        files={"photo": ("smoke.jpg", JPEG, "image/jpeg")},
    )
    assert sent.status_code == 200, sent.text
    (answer,) = poll_messages(simulator_url, user_id, 1)
    assert answer["payload"]["messages"][0]["text"] == "echo: /send_photo"
    assert pending(case_database, user_id) == 1


def test_the_page_has_a_photo_button_and_bad_uploads_are_clear_errors(simulator_url):  # noqa: F811
    html = httpx.get(f"{simulator_url}/simulator").text
    assert 'id="photo"' in html and 'type="file"' in html and "/simulator/api/send-photo" in html
    assert 'id="location"' in html  # and a location can be shared as before
    user_id = signing.new_user_id()
    empty = httpx.post(
        f"{simulator_url}/simulator/api/send-photo",
        data={"user_id": user_id},
        files={"photo": ("a.jpg", b"", "image/jpeg")},
    )
    assert empty.status_code == 422
    bad_user = httpx.post(
        f"{simulator_url}/simulator/api/send-photo",
        data={"user_id": "nobody"},
        files={"photo": ("a.jpg", JPEG, "image/jpeg")},
    )
    assert bad_user.status_code == 422


def test_a_location_from_the_page_still_works(simulator_url, stub_rasa):  # noqa: F811
    user_id = signing.new_user_id()
    sent = httpx.post(
        f"{simulator_url}/simulator/api/send",
        json={"user_id": user_id, "latitude": 12.68, "longitude": 101.24, "address": "ระยอง 21000"},
    )
    assert sent.status_code == 200, sent.text
    (answer,) = poll_messages(simulator_url, user_id, 1)
    assert answer["payload"]["messages"][0]["text"].startswith("echo: /share_location")
