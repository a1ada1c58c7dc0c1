"""Reading the citizen's answers to the intake questions (pure functions, no wording).

Each function returns the value to store, a marker (``slots.NOT_GIVEN``,
``slots.UNKNOWN_PROVINCE``) or None when the answer is unclear and the question is asked again.
"""

from __future__ import annotations

import re
from typing import Any, Optional

import phonenumbers

from actions import slots
from cases.places import find_province, normalise_province
from cases.taxonomy import Category, SubjectType

# A first message at least this long already describes the problem: no detail question.
MIN_DESCRIPTION_CHARS = 25

DONT_KNOW = re.compile(r"ไม่\s*(ทราบ|รู้|แน่ใจ|ระบุ|สะดวก)|ไม่รู้|ไม่ทราบ|ไม่แน่ใจ|^\s*(ข้าม|skip)\b", re.IGNORECASE)
ANONYMOUS_WORDS = re.compile(
    r"ไม่\s*ประสงค์\s*(ออก|แสดง)?\s*นาม|ไม่\s*(เปิดเผย|ระบุ)\s*(ตัวตน|ชื่อ)|ปกปิด|ไม่\s*(ขอ)?\s*ให้\s*เบอร์|ไม่ออกนาม|anonymous",
    re.IGNORECASE,
)
_YES = re.compile(r"^\s*(ยืนยัน|ใช่|ตกลง|โอเค|ok|okay|yes|ถูกต้อง|แจ้งเลย|ได้เลย|ยินยอม|ได้ค่ะ|ได้ครับ|ได้)", re.IGNORECASE)
_NO = re.compile(r"^\s*(ไม่|ยกเลิก|no|cancel)", re.IGNORECASE)
_EDIT = re.compile(r"^\s*(ขอ)?\s*แก้", re.IGNORECASE)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PAYLOAD_VALUE = r'"{key}"\s*:\s*"([^"]+)"'

# When it happens: short time phrases a first message often already contains.
_OCCURRED = re.compile(
    r"(ทุก\s*(คืน|วัน|เช้า|เย็น|สัปดาห์|อาทิตย์|เดือน|ครั้งที่ฝนตก)"
    r"|ตอน\s*(กลางคืน|กลางวัน|เช้า|เย็น|ดึก|ตี\s*\d+)"
    r"|กลางดึก|เมื่อ\s*(วาน(นี้)?|คืน(นี้)?|เช้า(นี้)?|สัปดาห์ที่แล้ว|\d+\s*วันก่อน)"
    r"|เมื่อกี้|เมื่อครู่|วันนี้|คืนนี้|เมื่อคืน|หลัง\s*\d+\s*ทุ่ม|\d+\s*ทุ่ม|ตี\s*\d+)"
)

_SUBJECT_WORDS: tuple[tuple[re.Pattern[str], SubjectType], ...] = (
    (re.compile(r"เหมือง|โรงโม่|บ่อดิน|บ่อทราย|ระเบิดหิน|ดูดทราย"), SubjectType.MINE),
    (re.compile(r"วิสาหกิจชุมชน"), SubjectType.COMMUNITY_ENTERPRISE),
    (re.compile(r"เจ้าหน้าที่|ข้าราชการ|เจ้าพนักงาน|หน่วยงานรัฐ|ราชการ"), SubjectType.OFFICIAL),
    (re.compile(r"\bsme|เอสเอ็มอี|ร้าน|ผู้ประกอบการ|บริษัทเล็ก|ห้าง|โรงงานเล็ก", re.IGNORECASE), SubjectType.SME),
    # "รง." and any โรง… that makes things (โรงน้ำแข็ง, โรงสี, โรงหล่อ), not a school or hospital.
    (re.compile(r"โรงงาน|นิคม|ปล่อง|รง\.|โรง(?!เรียน|พยาบาล|แรม|หนัง|ละคร|อาหาร|พัก|จอด|ครัว|ทาน)"), SubjectType.FACTORY),
)

# Categories whose subject is obvious from the category alone.
_SUBJECT_BY_CATEGORY = {
    Category.MINING.value: SubjectType.MINE,
    Category.CORRUPTION.value: SubjectType.OFFICIAL,
    Category.SERVICE.value: SubjectType.OFFICIAL,
}

# Fields the citizen may edit from the confirmation, and the words that name them.
EDIT_FIELDS: dict[str, re.Pattern[str]] = {
    # First: "ประเภทเรื่อง" also contains the subject's "ประเภท" and the description's "ปัญหา".
    "category": re.compile(r"ประเภทเรื่อง|ประเภทของเรื่อง|ประเภทปัญหา|เรื่องประเภท|หมวด"),
    "description": re.compile(r"รายละเอียด|เนื้อหา|เล่า|ปัญหา"),
    "place": re.compile(r"สถานที่|จังหวัด|ที่ตั้ง|ตำแหน่ง|ที่อยู่|พิกัด"),
    "subject": re.compile(r"ชื่อ|ประเภท|โรงงาน|ผู้ถูกร้อง|สถานประกอบการ"),
    "occurred": re.compile(r"เวลา|เมื่อ|วัน|ช่วง"),
    "contact": re.compile(r"เบอร์|โทร|ติดต่อ|ออกนาม|ตัวตน|ยินยอม"),
}


def payload_value(text: str, key: str) -> Optional[str]:
    """``factory`` from a button payload such as ``/inform{"subject_type":"factory"}``."""
    match = re.search(_PAYLOAD_VALUE.format(key=re.escape(key)), text)
    return match.group(1) if match else None


def is_payload(text: str) -> bool:
    return text.lstrip().startswith("/")


def province_from_answer(text: str | None) -> Optional[str]:
    """An answer to "which province?": the official name, UNKNOWN_PROVINCE, or None if unclear."""
    if not text:
        return None
    if text.strip().startswith("/deny"):  # the "ไม่ทราบ" button
        return slots.UNKNOWN_PROVINCE
    official = normalise_province(text) or find_province(text)
    if official:
        return official
    if DONT_KNOW.search(text):
        return slots.UNKNOWN_PROVINCE
    return None


def province_from_address(address: str | None) -> Optional[str]:
    """The province in a LINE location address, Thai (``... ชลบุรี 20000``) or English."""
    if not address:
        return None
    found = find_province(address)
    if found:
        return found
    for part in reversed(re.split(r"[,\n]", address)):
        name = normalise_province(re.sub(r"\d{5}|Thailand|ประเทศไทย", "", part).strip())
        if name:
            return name
    # Thai addresses end "<province> <postcode>": a short name (เลย, ตาก) is safe right there.
    tail = re.search(r"([\u0E00-\u0E7F]+)\s+\d{5}", address)
    return normalise_province(tail.group(1)) if tail else None


def confirmation_from_answer(value: Any) -> Any:
    """True/False from the affirm/deny intents or typed words, "edit" for แก้ไข; None if unclear."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    if value == slots.EDIT or _EDIT.search(value):
        return slots.EDIT
    if _NO.search(value):
        return False
    if _YES.search(value):
        return True
    return None


def yes_no_from_answer(value: Any, *, no_words: re.Pattern[str] | None = None) -> Optional[bool]:
    """A yes/no answer (consent, anonymity) from intents or words; None when unclear."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    if no_words is not None and no_words.search(value):
        return False
    if _NO.search(value):
        return False
    if _YES.search(value):
        return True
    return None


def anonymity_from_answer(value: Any) -> Optional[bool]:
    """The answer to "do you want to stay anonymous?": True, False or None when unclear."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and ANONYMOUS_WORDS.search(value):
        return True
    if isinstance(value, str) and re.search(r"เปิดเผย|ระบุตัวตน|แสดงตัว|ให้ติดต่อ", value):
        return False
    return yes_no_from_answer(value)


def consent_from_answer(value: Any) -> Optional[bool]:
    """PDPA consent: True (agree), False (declined: the complaint is filed anonymously)."""
    if isinstance(value, str) and ANONYMOUS_WORDS.search(value):
        return False
    return yes_no_from_answer(value)


def phone_from_answer(value: Any) -> Optional[str]:
    """A Thai phone number in E.164 (``+66812345678``), NOT_GIVEN for anonymity, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.translate(_THAI_DIGITS)
    if text.strip().startswith("/deny"):
        return slots.NOT_GIVEN
    if ANONYMOUS_WORDS.search(text) or DONT_KNOW.search(text):
        return slots.NOT_GIVEN
    for match in phonenumbers.PhoneNumberMatcher(text, "TH"):
        number = match.number
        if phonenumbers.is_valid_number_for_region(number, "TH"):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    try:
        number = phonenumbers.parse(re.sub(r"[^\d+]", "", text), "TH")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number_for_region(number, "TH"):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def optional_text_from_answer(value: Any, *, max_chars: int = 256) -> Optional[str]:
    """A free-text answer to an optional question; NOT_GIVEN for "ไม่ทราบ"/"ข้าม"."""
    if not isinstance(value, str) or not value.strip():
        return None
    if is_payload(value):
        return slots.NOT_GIVEN if "not_given" in value or "deny" in value else None
    text = value.strip()
    if DONT_KNOW.fullmatch(text) or (len(text) <= 20 and DONT_KNOW.search(text)):
        return slots.NOT_GIVEN
    return text[:max_chars]


def subject_type_from_text(text: str | None) -> Optional[SubjectType]:
    """The kind of subject named in free text (โรงงาน, เหมือง, ร้าน ...), or None."""
    if not text:
        return None
    for pattern, subject_type in _SUBJECT_WORDS:
        if pattern.search(text):
            return subject_type
    return None


def infer_subject_type(category: str | None, text: str | None) -> Optional[str]:
    """subject_type when the category or the first message makes it obvious."""
    if category in _SUBJECT_BY_CATEGORY:
        return _SUBJECT_BY_CATEGORY[category].value
    found = subject_type_from_text(text)
    return found.value if found else None


def subject_type_from_answer(value: Any) -> Optional[str]:
    """A subject type code from a button payload or typed words; None when unclear."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = payload_value(value, "subject_type") or value.strip()
    if code in {t.value for t in SubjectType}:
        return code
    if DONT_KNOW.search(value):
        return SubjectType.UNKNOWN.value
    found = subject_type_from_text(value)
    return found.value if found else None


def occurred_from_text(text: str | None) -> Optional[str]:
    """A time phrase already in the first message ("ทุกคืน", "เมื่อวาน"), or None."""
    if not text:
        return None
    match = _OCCURRED.search(text)
    return match.group(0).strip() if match else None


def edit_field_from_answer(value: Any) -> Optional[str]:
    """Which field the citizen wants to change (a code of EDIT_FIELDS), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = payload_value(value, "edit_field") or value.strip()
    if code in EDIT_FIELDS:
        return code
    for field, pattern in EDIT_FIELDS.items():
        if pattern.search(value):
            return field
    return None
