"""Entity extraction through the trained pipeline (DIET + regex + merger + synonyms)."""

from __future__ import annotations

import pytest


def entities(parse, text: str) -> list[tuple[str, str]]:
    return [(e["entity"], str(e["value"])) for e in parse(text)["entities"]]


def test_province_official_name(parse):
    assert ("province", "ระยอง") in entities(parse, "โรงงานปล่อยน้ำเสียลงคลองที่ระยองครับ")


def test_province_short_form_maps_to_official_name(parse):
    assert ("province", "นครราชสีมา") in entities(parse, "โรงงานแป้งมันที่โคราชเหม็นมาก")
    assert ("province", "กรุงเทพมหานคร") in entities(parse, "โรงงานในกทม.เสียงดังทั้งคืน")


def test_province_is_extracted_once(parse):
    found = [e for e in entities(parse, "อยู่จังหวัดชลบุรีค่ะ") if e[0] == "province"]
    assert found == [("province", "ชลบุรี")]


def test_industrial_estate(parse):
    found = entities(parse, "กลิ่นเหม็นจากโรงงานในนิคมอุตสาหกรรมบางปูครับ")
    assert ("industrial_estate", "นิคมอุตสาหกรรมบางปู") in found


def test_district(parse):
    assert any(e[0] == "district" for e in entities(parse, "อ.บ้านฉาง จ.ระยอง"))


def test_subject_name(parse):
    assert any(e[0] == "subject_name" for e in entities(parse, "ชื่อโรงงานไทยรุ่งเรืองพลาสติก"))


@pytest.mark.parametrize(
    "text, value",
    [
        ("เบอร์ติดต่อ 081-234-5678 ครับ", "081-234-5678"),
        ("โทรกลับ ๐๙๑๒๓๔๕๖๗๘ ค่ะ", "0912345678"),
    ],
)
def test_phone(parse, text, value):
    assert ("phone", value) in entities(parse, text)


@pytest.mark.parametrize("text", ["เรื่อง IDEE-2569-000311 ถึงไหนแล้ว", "idee-2569-000311 สถานะอะไรแล้ว"])
def test_tracking_number(parse, text):
    assert ("tracking_number", "IDEE-2569-000311") in entities(parse, text)


def test_date(parse):
    assert ("date", "12 มีนาคม 2569") in entities(parse, "เกิดเหตุวันที่ 12 มีนาคม 2569 ค่ะ")


def test_original_text_is_kept(parse):
    text = "เหม็นนนนน ๓ วันแล้ว\u200b"
    assert parse(text)["text"] == text
