"""The LINE rich menu: its JSON and image, the upload tool, against the fake LINE."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from linebot.v3.messaging import RichMenuRequest

from cases.domain_texts import read_domain
from tests.support.web import gateway_settings
from tools.upload_rich_menu import (
    EXIT_FAILED,
    EXIT_NO_CREDENTIALS,
    EXIT_OK,
    RICH_MENU_DIR,
    load_files,
    main,
)

ROOT = Path(__file__).resolve().parents[2]
MENU_JSON = RICH_MENU_DIR / "rich_menu.json"
MENU_PNG = RICH_MENU_DIR / "rich_menu.png"
DEFINITION = json.loads(MENU_JSON.read_text(encoding="utf-8"))


def test_the_menu_is_a_valid_line_rich_menu_with_its_five_buttons():
    request = RichMenuRequest.from_dict(DEFINITION)
    labels = [area.action.label for area in request.areas]
    assert labels == ["ร้องเรียน", "ติดตามเรื่อง", "เรื่องของฉัน", "คุยกับเจ้าหน้าที่", "ช่วยเหลือ"]
    assert all(len(label) <= 20 for label in labels)
    assert len(request.chat_bar_text) <= 14


def test_every_button_sends_an_intent_the_bot_understands():
    domain = read_domain(ROOT / "bot" / "domain")
    dialogue = "\n".join(p.read_text() for p in (ROOT / "bot" / "dialogue").glob("*.yml"))
    for area in DEFINITION["areas"]:
        action = area["action"]
        assert action["type"] == "postback" and action["data"].startswith("/")
        intent = action["data"][1:]
        assert intent in domain["intents"], intent
        assert f"intent: {intent}\n" in dialogue, f"no rule or story answers {intent}"


def test_the_areas_tile_the_whole_menu_without_overlap():
    width, height = DEFINITION["size"]["width"], DEFINITION["size"]["height"]
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in DEFINITION["areas"])
    assert covered == width * height
    files = load_files(MENU_JSON, MENU_PNG)  # also: the PNG is the JSON's size and under 1 MB
    assert files.image_type == "image/png" and len(files.image) < 1024 * 1024


def test_check_only_needs_no_credentials(capsys):
    assert main(["--check"], settings=gateway_settings(LINE_CHANNEL_ACCESS_TOKEN="").line) == EXIT_OK
    assert "are valid" in capsys.readouterr().out


def test_without_credentials_nothing_is_uploaded(fake_line_url, capsys):
    settings = gateway_settings(
        LINE_CHANNEL_ACCESS_TOKEN="", LINE_API_BASE_URL=fake_line_url, LINE_DATA_API_BASE_URL=fake_line_url
    )
    assert main([], settings=settings.line) == EXIT_NO_CREDENTIALS
    assert "LINE_CHANNEL_ACCESS_TOKEN is not set" in capsys.readouterr().err
    assert httpx.get(f"{fake_line_url}/_fake/richmenus").json()["richmenus"] == []


def test_upload_creates_sets_default_and_replaces_the_previous_one(fake_line_url):
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, LINE_DATA_API_BASE_URL=fake_line_url)
    assert main([], settings=settings.line) == EXIT_OK
    state = httpx.get(f"{fake_line_url}/_fake/richmenus").json()
    (menu,) = state["richmenus"]
    assert state["default"] == menu["richMenuId"]
    assert menu["imageType"] == "image/png" and menu["imageBytes"] == MENU_PNG.stat().st_size
    assert menu["definition"]["areas"] == DEFINITION["areas"]

    assert main([], settings=settings.line) == EXIT_OK  # a second upload replaces the first
    again = httpx.get(f"{fake_line_url}/_fake/richmenus").json()
    (newer,) = again["richmenus"]
    assert again["default"] == newer["richMenuId"] != menu["richMenuId"]


def test_keep_old_keeps_the_previous_menu(fake_line_url):
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, LINE_DATA_API_BASE_URL=fake_line_url)
    assert main([], settings=settings.line) == EXIT_OK
    assert main(["--keep-old"], settings=settings.line) == EXIT_OK
    assert len(httpx.get(f"{fake_line_url}/_fake/richmenus").json()["richmenus"]) == 2


def test_invalid_files_are_refused_before_any_call(tmp_path, fake_line_url, capsys):
    settings = gateway_settings(LINE_API_BASE_URL=fake_line_url, LINE_DATA_API_BASE_URL=fake_line_url)
    outside = json.loads(json.dumps(DEFINITION))
    outside["areas"][0]["bounds"]["x"] = 2000
    bad_json = tmp_path / "menu.json"
    bad_json.write_text(json.dumps(outside))
    assert main(["--json", str(bad_json)], settings=settings.line) == EXIT_FAILED
    assert "outside" in capsys.readouterr().err

    not_an_image = tmp_path / "menu.png"
    not_an_image.write_bytes(b"GIF89a....")
    assert main(["--image", str(not_an_image)], settings=settings.line) == EXIT_FAILED
    assert "neither a PNG nor a JPEG" in capsys.readouterr().err
    assert httpx.get(f"{fake_line_url}/_fake/richmenus").json()["richmenus"] == []


def test_line_refusal_is_reported_not_raised(fake_line_url, capsys):
    settings = gateway_settings(
        LINE_CHANNEL_ACCESS_TOKEN="token",
        LINE_API_BASE_URL=fake_line_url + "/nowhere",
        LINE_DATA_API_BASE_URL=fake_line_url,
    )
    assert main([], settings=settings.line) == EXIT_FAILED
    assert "LINE answered HTTP 404" in capsys.readouterr().err


@pytest.mark.parametrize(("content_type", "status"), [("image/gif", 415), ("image/png", 200)])
def test_the_fake_checks_the_image_type_and_order(fake_line_url, content_type, status):
    auth = {"Authorization": "Bearer t"}
    with httpx.Client(base_url=fake_line_url, headers=auth) as client:
        rich_menu_id = client.post("/v2/bot/richmenu", json=DEFINITION).json()["richMenuId"]
        assert client.post(f"/v2/bot/user/all/richmenu/{rich_menu_id}").status_code == 400  # no image yet
        upload = client.post(
            f"/v2/bot/richmenu/{rich_menu_id}/content",
            content=MENU_PNG.read_bytes(),
            headers={"Content-Type": content_type},
        )
        assert upload.status_code == status
        assert client.post("/v2/bot/richmenu", json={**DEFINITION, "areas": []}).status_code == 400
        assert client.post("/v2/bot/richmenu", json=DEFINITION, headers={"Authorization": ""}).status_code == 401
