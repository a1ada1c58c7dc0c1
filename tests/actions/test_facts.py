"""Facts read from a citizen's message (actions/facts.py): pure functions."""

from __future__ import annotations

import pytest

from actions import facts


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("เป็นทุกเช้ามืดค่ะ", "ทุกเช้ามืด"),
        ("ตีเหล็กทั้งคืน นอนไม่ได้เลย", "ทั้งคืน"),
        ("แอมโมเนียรั่ว ตอนนี้เลย คนแสบตา", "ตอนนี้เลย"),
        ("เมื่อวานปลาตายเต็มเลยค่ะ", "เมื่อวาน"),
        ("วันจันทร์ที่แล้วครับ", "วันจันทร์ที่แล้ว"),
        ("เมื่อวานตอนเย็นค่ะ", "เมื่อวานตอนเย็น"),
        ("เสียงดังมากตอนดึกๆ", "ตอนดึกๆ"),
        ("ก็บอกไปแล้วไงครับว่าทุกเช้ามืด", "ทุกเช้ามืด"),
        ("เกิดเมื่อ ๑๒ ม.ค. ค่ะ", "12 ม.ค."),
    ],
)
def test_time_phrases_are_kept_as_written(text, phrase):
    assert facts.occurred_phrase(text) == phrase


def test_no_time_phrase_gives_none():
    assert facts.occurred_phrase("โรงงานปล่อยน้ำเสียลงคลอง") is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("ซื้อปลั๊กพ่วง ร้านชื่อ powerplus_shop ใช้แล้วไหม้", "powerplus_shop"),
        ("โรงงานบริษัท ไทยสตีล จำกัด ที่ระยอง", "บริษัท ไทยสตีล จำกัด"),
        ("โรงงานรีไซเคิล ชื่อ บริษัท กรีนพลาส จำกัด ที่ ต.ท่าตูม", "บริษัท กรีนพลาส จำกัด"),
    ],
)
def test_a_given_name_is_taken(text, name):
    assert facts.subject_name(text) == name


def test_a_description_is_not_a_name():
    text = "ไม่รู้ชื่อค่ะ มันเป็นโรงงานหลังวัด มีปล่องควันสูงๆ"
    assert facts.subject_name(text) is None
    assert facts.is_description_not_name(text)
    # "สินเชื่อ" holds the letters of "ชื่อ" but names nothing.
    assert facts.subject_name("มีสินเชื่อดอกเบี้ยต่ำสำหรับเอสเอ็มอีมั้ยคะ") is None


@pytest.mark.parametrize(
    "text, detail",
    [
        ("ปล่อยน้ำเสียลงคลองสำโรง ต.บางพลีใหญ่ อ.บางพลี จ.สมุทรปราการ", "คลองสำโรง ต.บางพลีใหญ่ อ.บางพลี"),
        ("ส่งกลิ่นเหม็นทุกคืน อยู่ อ.บ้านบึง จ.ชลบุรี", "อ.บ้านบึง"),
        ("ฝุ่นจากโรงโม่หินหน้าพระลาน สระบุรี ฟุ้งทุกวัน", "หน้าพระลาน"),
        ("ไฟไหม้โรงงานพลาสติกที่บางปู สมุทรปราการ", "บางปู"),
        ("อยู่ปากเกร็ด นนทบุรีค่ะ", "ปากเกร็ด"),
        ("แอมโมเนียรั่วที่โรงน้ำแข็งแถวมหาชัย ตอนนี้เลย", "มหาชัย"),
        # The place and the story in one run, as Thai is written.
        ("โรงงานน้ำแข็งแถวมหาชัยส่งกลิ่นแอมโมเนีย", "มหาชัย"),
        ("โรงงานแถวบางปูมีควันดำทุกวัน", "บางปู"),
    ],
)
def test_place_detail_is_kept_beside_the_province(text, detail):
    assert facts.place_detail(text) == detail


def test_story_words_are_not_a_place():
    assert facts.place_detail("โรงน้ำแข็งแถวบ้านเสียงดังทั้งคืนเลย สมุทรสาครครับ") is None
    assert facts.place_detail("โรงงานเหม็นทุกคืนเลยค่ะ ที่ชลบุรี") is None


@pytest.mark.parametrize(
    "text", ["ติดต่อกลับเบอร์ 089-765-4321 ได้เลย", "โทร 0897654321 ค่ะ", "+66 89 765 4321", "๐๘๙ ๗๖๕ ๔๓๒๑"]
)
def test_a_phone_in_any_form(text):
    assert facts.phone_in(text) == "+66897654321"


def test_a_phone_one_digit_short_or_long():
    assert facts.almost_phone("081234567") == "short"
    assert facts.almost_phone("08123456789") == "long"
    assert facts.almost_phone("1234") is None


@pytest.mark.parametrize("text", ["ไม่มีรูปค่ะ กลางคืนถ่ายไม่ติด", "ไม่มีรูปครับ ข้ามไป", "ถ่ายไม่ทันค่ะ", "ไม่ได้ถ่ายไว้ครับ", "ไม่มีภาพค่ะ"])
def test_no_photo_variants(text):
    assert facts.says_no_photo(text)


def test_emergencies_are_danger_now_not_a_recurring_nuisance():
    assert facts.is_emergency("ด่วนๆๆ แอมโมเนียรั่วที่โรงน้ำแข็งแถวมหาชัย ตอนนี้เลย คนแถวนั้นแสบตาหายใจไม่ออก!!")
    assert facts.is_emergency("ไฟไหม้โรงงานพลาสติก ควันดำเต็มเลยค่ะ")
    assert facts.is_emergency("อาคารโรงงานถล่มทับคนงาน")
    assert not facts.is_emergency("โรงงานแถวบ้านปล่อยกลิ่นเหม็นมากทุกคืนเลยค่ะ หายใจไม่ออก")
    assert not facts.is_emergency("เหมืองระเบิดหินทุกวัน บ้านร้าว")
    assert not facts.is_emergency("ถังสารเคมีรั่วซึมวางทิ้งไว้หลังโรงงาน")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("ต้องบอกชื่อด้วยหรอคะ ถ้าบอกไปโรงงานจะรู้มั้ยว่าใครแจ้ง", "identity"),
        ("เหตุการณ์อะไรคะ? หนูแค่อยากกู้เงิน 555", "question"),
        ("กลับมาแล้วครับ ต่อเรื่องเมื่อกี้", "chitchat"),
        ("ก็บอกไปแล้วไงครับว่าทุกเช้ามืด", "already_said"),
        ("บริษัท สยามเคมีภัณฑ์ จำกัด", None),
        ("วันจันทร์ที่แล้วครับ", None),
    ],
)
def test_what_is_not_an_answer(text, problem):
    assert facts.answer_problem(text) == problem


def test_a_misspelt_province_is_guessed():
    assert facts.guess_province("สระบรี") == "สระบุรี"
    assert facts.guess_province("จ.ฉะเชิงเซา") == "ฉะเชิงเทรา"
    assert facts.guess_province("ไม่รู้") is None
