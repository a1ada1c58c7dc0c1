"""Province lookup, regexes and synonyms straight from data/ through the real Rasa
RegexEntityExtractor + EntityMerger + EntitySynonymMapper (no training, fast)."""

from __future__ import annotations

import pytest
from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from evaluation.dataset import load_training_data
from nlu.entity_merger import merge_entities
from tools.gen_province_lookup import UNSAFE_SUBSTRINGS, lookup_elements, province_synonyms, render


@pytest.fixture(scope="module")
def training_data():
    return load_training_data("data")


@pytest.fixture(scope="module")
def extract(training_data, tmp_path_factory):
    patterns = pattern_utils.extract_patterns(
        training_data,
        use_lookup_tables=True,
        use_regexes=True,
        use_only_entities=True,
        use_word_boundaries=False,
    )
    regex = RegexEntityExtractor({"use_word_boundaries": False}, None, None, patterns=patterns)
    synonyms = {}
    for key, value in training_data.entity_synonyms.items():
        synonyms[key] = value
    mapper = EntitySynonymMapper({}, None, None, synonyms=synonyms)

    def run(text: str) -> list[tuple[str, str, str]]:
        message = Message(data={TEXT: text})
        regex.process([message])
        message.set(ENTITIES, merge_entities(message.get(ENTITIES, [])))
        mapper.process([message])
        return [(e["entity"], text[e["start"] : e["end"]], e["value"]) for e in message.get(ENTITIES, [])]

    return run


def test_generated_lookup_file_is_up_to_date():
    from pathlib import Path

    committed = Path("data/nlu/lookups/province.yml").read_text(encoding="utf-8")
    assert committed == render(), "rerun: python -m tools.gen_province_lookup"


def test_lookup_covers_all_77_provinces_or_marks_them_unsafe():
    from cases.places import all_provinces

    entries = set(lookup_elements())
    assert len(all_provinces()) == 77
    for name in all_provinces():
        assert name in entries or name in UNSAFE_SUBSTRINGS
    assert (
        province_synonyms()["นครราชสีมา"] == ["โคราช", "โคราด", "โคราชฯ"] or "โคราช" in province_synonyms()["นครราชสีมา"]
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("โรงงานที่จ.ชลบุรีเหม็นมาก", ("province", "ชลบุรี", "ชลบุรี")),
        ("อยู่โคราชค่ะ", ("province", "โคราช", "นครราชสีมา")),
        ("แถวบางนา กทม ครับ", ("province", "กทม", "กรุงเทพมหานคร")),
        ("โรงงานที่อยุธยาปล่อยน้ำเสีย", ("province", "อยุธยา", "พระนครศรีอยุธยา")),
        ("ที่นครศรีธรรมราช", ("province", "นครศรีธรรมราช", "นครศรีธรรมราช")),
        ("บ้านอยู่สุราษฎร์ธานี", ("province", "สุราษฎร์ธานี", "สุราษฎร์ธานี")),
    ],
)
def test_province_lookup_and_synonyms(extract, text, expected):
    assert expected in extract(text)


def test_everyday_words_are_not_provinces(extract):
    assert [e for e in extract("ตากผ้าไม่ได้เลย กลิ่นแพร่กระจายไปทั่ว") if e[0] == "province"] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ติดตามเรื่อง IDEE-2569-000123 ค่ะ", ("tracking_number", "IDEE-2569-000123", "IDEE-2569-000123")),
        ("idee-2569-000045 ถึงไหนแล้ว", ("tracking_number", "idee-2569-000045", "IDEE-2569-000045")),
        ("เลข IDEE ๒๕๖๙ ๐๐๐๑๒๓", ("tracking_number", "IDEE ๒๕๖๙ ๐๐๐๑๒๓", "IDEE-2569-000123")),
        ("เบอร์ 081-234-5678 ค่ะ", ("phone", "081-234-5678", "081-234-5678")),
        ("โทร ๐๘๙๗๖๕๔๓๒๑", ("phone", "๐๘๙๗๖๕๔๓๒๑", "0897654321")),
        ("สำนักงาน 02-123-4567", ("phone", "02-123-4567", "02-123-4567")),
        ("เกิดเมื่อ 12 มีนาคม 2569", ("date", "12 มีนาคม 2569", "12 มีนาคม 2569")),
        ("ตั้งแต่ 3 ม.ค. ครับ", ("date", "3 ม.ค.", "3 ม.ค.")),
        ("วันที่ 15/02/2569", ("date", "15/02/2569", "15/02/2569")),
        ("เหม็นมากตั้งแต่เมื่อวาน", ("date", "เมื่อวาน", "เมื่อวาน")),
    ],
)
def test_regex_entities(extract, text, expected):
    assert expected in extract(text)


def test_a_tracking_number_is_not_also_a_phone(extract):
    types = [e[0] for e in extract("IDEE-2569-000123")]
    assert types == ["tracking_number"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("โรงงานในนิคมฯ บางปูเหม็นมาก", "นิคมอุตสาหกรรมบางปู"),
        ("แถวนิคมอุตสาหกรรมโรจนะครับ", "นิคมอุตสาหกรรมโรจนะ"),
        ("ใกล้นิคมเหมราชชลบุรี", "นิคมอุตสาหกรรมเหมราชชลบุรี"),
    ],
)
def test_industrial_estate_lookup(extract, text, value):
    found = extract(text)
    assert [e for e in found if e[0] == "industrial_estate"][0][2] == value
    assert not [e for e in found if e[0] == "province"]  # ชลบุรี inside the estate is not a province
