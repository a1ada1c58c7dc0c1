import pytest

from cases.places import (
    all_provinces,
    find_industrial_estate,
    find_province,
    industrial_estate_or_none,
    normalise_province,
)


def test_all_77_provinces_come_from_pythainlp():
    assert len(all_provinces()) == 77


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("ชลบุรี", "ชลบุรี"),
        ("จ.ชลบุรี", "ชลบุรี"),
        ("จังหวัด ระยอง", "ระยอง"),
        ("กทม.", "กรุงเทพมหานคร"),
        ("โคราช", "นครราชสีมา"),
        ("อยุธยา", "พระนครศรีอยุธยา"),
        ("Chon Buri", "ชลบุรี"),
        ("ชบ", "ชลบุรี"),
    ],
)
def test_normalise_province(written, official):
    assert normalise_province(written) == official


@pytest.mark.parametrize("written", ["", None, "ไม่ทราบ", "ดาวอังคาร", "จ."])
def test_normalise_province_rejects_what_is_not_a_province(written):
    assert normalise_province(written) is None


def test_find_province_in_free_text_prefers_the_longest_name():
    assert find_province("โรงงานแถวบ้านที่สมุทรปราการเหม็นมาก") == "สมุทรปราการ"
    assert find_province("น้ำเสียไหลลงคลอง อ.เมือง จ.นครราชสีมา") == "นครราชสีมา"
    assert find_province("โรงงานปล่อยควันดำ") is None


def test_find_industrial_estate():
    assert find_industrial_estate("ในนิคมอุตสาหกรรมมาบตาพุด ระยอง") == "นิคมอุตสาหกรรมมาบตาพุด"
    assert find_industrial_estate("โรงงานในนิคมฯบางปู") == "นิคมฯบางปู"
    assert find_industrial_estate("โรงงานริมถนน") is None


@pytest.mark.parametrize(
    "text",
    [
        "โรงงานอาหารสัตว์ส่งกลิ่นเหม็นเน่า อ.พนัสนิคม จ.ชลบุรี",
        "ต.มาบข่า อ.นิคมพัฒนา จ.ระยอง",
        "โรงสีที่อำเภอนิคมคำสร้อย มุกดาหาร",
        "อ.นิคมน้ำอูน สกลนคร ฝุ่นจากโรงงาน",
        "บ้านอยู่ในนิคมสร้างตนเองลำตะคอง",
    ],
)
def test_districts_and_settlements_named_with_nikhom_are_not_estates(text):
    assert find_industrial_estate(text) is None


def test_an_estate_is_found_beside_a_district_that_only_sounds_like_one():
    text = "อยู่ อ.พนัสนิคม แต่โรงงานอยู่ในนิคมอุตสาหกรรมอมตะซิตี้"
    assert find_industrial_estate(text) == "นิคมอุตสาหกรรมอมตะซิตี้"


def test_an_estate_the_nlu_tagged_is_dropped_when_it_is_a_district():
    assert industrial_estate_or_none("นิคมพัฒนา") is None
    assert industrial_estate_or_none("พนัสนิคม") is None
    assert industrial_estate_or_none("นิคมอุตสาหกรรมบางปู") == "นิคมอุตสาหกรรมบางปู"
    assert industrial_estate_or_none(None) is None


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("บ้านสั่นหมดเลยค่ะ", None),
        ("โรงงานตากพริกส่งกลิ่น", None),
        ("ควันแพร่ไปทั่วหมู่บ้าน", None),
        ("โรงโม่หินที่จังหวัดเลยระเบิดทุกวัน", "เลย"),
        ("อยู่ จ.ตาก ค่ะ", "ตาก"),
        ("เหม็นมากเลย ที่ระยอง", "ระยอง"),
    ],
)
def test_province_names_that_are_everyday_words_need_a_marker(text, province):
    assert find_province(text) == province


@pytest.mark.parametrize(
    "text, province",
    [
        ("Factory near my home, chemical smell at night. Chonburi", "ชลบุรี"),
        ("it is in samut  prakan, bang phli", "สมุทรปราการ"),
        ("BANGKOK", "กรุงเทพมหานคร"),
    ],
)
def test_an_english_province_is_found_in_free_text(text, province):
    assert find_province(text) == province


def test_an_english_name_inside_a_word_is_not_a_province():
    assert find_province("my nanny says the factory smells") is None
