"""Every fact a citizen's message gives, read with pure functions (no wording, no tracker).

The form takes these from every message, whatever question was open, so that a field the
citizen has already given is never asked. Times are kept as the citizen's own phrase
(``ทุกเช้ามืด``, ``วันจันทร์ที่แล้ว``): officers read them, and dateparser 1.5 reads only a few
Thai expressions (``เมื่อวาน``, absolute dates; not ``วันจันทร์ที่แล้ว``, ``ทุกคืน`` or
``ตอนนี้``), so a phrase pattern is more faithful here than a parsed date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers
from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize
from rapidfuzz import fuzz, process

from cases.places import all_provinces, find_province

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_DAYS = r"(?:จันทร์|อังคาร|พุธ|พฤหัส(?:บดี)?|ศุกร์|เสาร์|อาทิตย์)"
_PERIODS = r"(?:เช้ามืด|เช้า|สาย|เที่ยง|บ่าย|เย็น|ค่ำ|คืน|กลางคืน|กลางวัน|ดึก(?:\s*ๆ)?|ตี\s*\d+|\d+\s*ทุ่ม)"

# When it happens, as written: the longest phrase wins (``เมื่อวานตอนเย็น`` over ``เมื่อวาน``).
_OCCURRED = re.compile(
    r"(?:ทุก\s*(?:วัน\s*)?(?:เช้ามืด|เช้า|เย็น|ค่ำ|คืน|วัน|สัปดาห์|อาทิตย์|เดือน|มื้อ|ครั้งที่ฝนตก|วันหยุด|วัน" + _DAYS + r")"
    r"|ทั้ง\s*(?:คืน|วัน|วันทั้งคืน|กลางวันกลางคืน)"
    r"|ตลอด\s*(?:เวลา|ทั้งวัน|ทั้งคืน|คืน|วัน)"
    r"|ตอน\s*นี้(?:\s*เลย)?|ขณะ\s*นี้|เดี๋ยวนี้|เมื่อ\s*กี้(?:\s*นี้)?|เมื่อ\s*ครู่|เพิ่ง\s*เกิด"
    r"|เมื่อ\s*(?:วาน(?:\s*ซืน)?(?:\s*นี้)?|คืน(?:\s*นี้)?|เช้า(?:\s*นี้)?|สัปดาห์ที่แล้ว|อาทิตย์ที่แล้ว|เดือนที่แล้ว|\d+\s*(?:วัน|สัปดาห์|เดือน)\s*(?:ก่อน|ที่แล้ว))"
    r"|\d+\s*(?:วัน|สัปดาห์|อาทิตย์|เดือน)\s*(?:ก่อน|ที่แล้ว|มาแล้ว|แล้ว)"
    r"|วัน\s*" + _DAYS + r"(?:\s*ที่แล้ว|\s*นี้)?"
    r"|วันนี้|คืนนี้|เช้านี้|กลางดึก|ช่วงดึก|เช้ามืด"
    r"|(?:ตอน|ช่วง)\s*" + _PERIODS + r"(?:\s*ๆ)?"
    r"|หลัง\s*\d+\s*ทุ่ม|\d+\s*ทุ่ม|ตี\s*\d+"
    r"|\d{1,2}\s*(?:ม\.?ค\.?|ก\.?พ\.?|มี\.?ค\.?|เม\.?ย\.?|พ\.?ค\.?|มิ\.?ย\.?|ก\.?ค\.?|ส\.?ค\.?|ก\.?ย\.?|ต\.?ค\.?|พ\.?ย\.?|ธ\.?ค\.?|มกรา\S*|กุมภา\S*|มีนา\S*|เมษา\S*|พฤษภา\S*|มิถุนา\S*|กรกฎา\S*|สิงหา\S*|กันยา\S*|ตุลา\S*|พฤศจิกา\S*|ธันวา\S*)(?:\s*\d{2,4})?"
    r")"
    r"(?:\s*(?:ตอน|ช่วง)?\s*" + _PERIODS + r")?"
)

# A name the citizen gives: "ชื่อ X", "บริษัท X จำกัด", "หจก. X", "ร้านชื่อ X", "ร้าน X".
_COMPANY = re.compile(
    r"(?:บริษัท|บจก\.?|หจก\.?|ห้างหุ้นส่วน(?:จำกัด)?)\s*[^\s,]+(?:\s+[^\s,]+){0,3}?\s*(?:จำกัด(?:\s*\(มหาชน\))?|จก\.)"
)
_NAME = re.compile(
    r"(?:(?:ร้าน|โรงงาน|บริษัท|เพจ|แบรนด์|ยี่ห้อ)\s*|(?<![\u0E00-\u0E7F]))ชื่อ\s*(?:ว่า\s*)?(?P<named>[^\s,]+(?:\s+(?:จำกัด|จก\.))?)"
)
# What is a description, not a name ("ไม่รู้ชื่อ ... โรงงานหลังวัด มีปล่องควันสูง").
_DESCRIPTION = re.compile(r"ไม่\s*(?:รู้|ทราบ)\s*ชื่อ|ไม่มีชื่อ|หลัง|ข้าง|ตรงข้าม|ใกล้|แถว|มีปล่อง|ที่อยู่|สีขาว|สีฟ้า|ป้าย")
_NOT_A_NAME = re.compile(r"^(?:ว่า|อะไร|ไร|ด้วย|ไม่|หรอ|เหรอ|ครับ|ค่ะ|คะ|นะ)")

# Place detail as written: subdistrict, district, Bangkok's khet/khwaeng, road, landmark.
_PLACE_PARTS = re.compile(
    r"(?:(?:ต\.|ตำบล|อ\.|อำเภอ|เขต|แขวง|ถ\.|ถนน|ซ\.|ซอย|หมู่บ้าน|ม\.\s*\d+|หมู่\s*\d+|คลอง|นิคม(?:อุตสาหกรรม)?|สวนอุตสาหกรรม)\s*[^\s,]+)"
)
_PLACE_LEAD = re.compile(r"(?:แถว|อยู่|ที่|ย่าน|ตรง)\s*([^\s,]+?)(?=\s|$|,)")
_PROVINCE_PREFIX = re.compile(r"^(?:จ\.|จังหวัด)\s*")

_NO_PHOTO = re.compile(
    r"ไม่\s*มี\s*(?:รูป|ภาพ|หลักฐาน)|ไม่\s*ได้\s*ถ่าย|ถ่าย\s*ไม่\s*(?:ทัน|ติด|ได้)|ไม่\s*(?:ส่ง|มี)\s*(?:รูป|ภาพ)|^\s*(?:ข้าม|ไม่มี|ไม่มีค่ะ|ไม่มีครับ)"
)

# Danger happening now. An acute event (leak, fire, explosion, collapse, people hurt) is an
# emergency unless it is said to recur; symptoms alone (cannot breathe, stinging eyes) only
# when said as now ("ตอนนี้", "ด่วน", "ช่วยด้วย") and not as every night.
_ACUTE = re.compile(
    r"รั่ว(?!\s*ซึม)|ไฟ\s*ไหม้|ไฟ\s*ลุก|เพลิง\s*ไหม้|ระเบิด(?!หิน)|ถล่ม|ทับคน|บาดเจ็บ|มีคนเจ็บ|คนเจ็บ|เสียชีวิต|หมดสติ|ควันพิษ|ก๊าซพิษ|แก๊สพิษ"
)
_SYMPTOM = re.compile(r"หายใจไม่ออก|หายใจไม่สะดวก|แสบตา|แสบจมูก|เวียนหัว|อพยพ")
_NOW = re.compile(r"ตอน\s*นี้|ขณะ\s*นี้|เดี๋ยวนี้|เมื่อ\s*กี้|เมื่อ\s*ครู่|ด่วน|ช่วยด้วย|กำลัง|!!")
_RECURRING = re.compile(r"ทุก\s*(?:วัน|คืน|เช้า|เย็น|ค่ำ|สัปดาห์|อาทิตย์|เดือน|ครั้ง)|ประจำ|บ่อย|หลายวัน|หลายเดือน|มานาน")

# Asking after an earlier complaint ("เรื่องที่แจ้งไปถึงไหนแล้ว", "จำเลขไม่ได้").
_STATUS = re.compile(
    r"ถึงไหน|คืบหน้า|สถานะ|ติดตามเรื่อง|เรื่องของ\s*(?:ฉัน|ผม|หนู|เรา)|จำ\s*เลข\S*\s*ไม่ได้|เลขที่เรื่อง|IDEE-\d", re.IGNORECASE
)

# A question back, chit-chat or a request: never a field's value.
_QUESTION = re.compile(r"\?|？|ไหม|มั้ย|มั๊ย|หรอ|เหรอ|หรือเปล่า|รึเปล่า|ยังไง|อย่างไร|ทำไม|ได้ไหม|อะไรคะ|อะไรครับ|ต้อง.*ด้วย")
_CHITCHAT = re.compile(r"กลับมาแล้ว|ต่อเรื่อง|ขอโทษ|555|ฮ่า|โอเค$|^อ๋อ|^เอ่อ$|รอแป๊บ|เดี๋ยวนะ")
_IDENTITY = re.compile(r"รู้.*(?:ใคร|ว่าใคร)|ใครแจ้ง|เปิดเผย|ความลับ|บอกชื่อ|ชื่อ(?:ผม|หนู|ฉัน|เรา)|ตัวตน|ไม่ปลอดภัย|กลัว")
_ALREADY_SAID = re.compile(r"บอก\s*(?:ไป)?\s*แล้ว|ก็\s*บอก|พิมพ์\s*ไป\s*แล้ว|แจ้ง\s*ไป\s*แล้ว")
_DONT_KNOW = re.compile(r"ไม่\s*(?:ทราบ|รู้|แน่ใจ|ได้สังเกต)|ไม่รู้|จำไม่ได้|^\s*(?:ข้าม|skip)", re.IGNORECASE)


@dataclass(frozen=True)
class Facts:
    occurred: Optional[str] = None
    subject_name: Optional[str] = None
    place_detail: Optional[str] = None
    province: Optional[str] = None
    phone: Optional[str] = None
    no_photo: bool = False


def clean(text: str | None) -> str:
    """The text with Thai digits as Arabic ones and repeated vowels/tone marks normalised."""
    return normalize((text or "").translate(_THAI_DIGITS)).strip()


def occurred_phrase(text: str | None) -> Optional[str]:
    """The time phrase in a message ("ทุกเช้ามืด", "เมื่อวานตอนเย็น", "ตอนนี้เลย"), or None."""
    found = list(dict.fromkeys(m.group(0).strip() for m in _OCCURRED.finditer(clean(text))))
    return " ".join(found[:2]) if found else None


def subject_name(text: str | None) -> Optional[str]:
    """A name the citizen gave ("บริษัท ไทยสตีล จำกัด", "powerplus_shop"), never a description."""
    cleaned = clean(text)
    company = _COMPANY.search(cleaned)
    if company:
        return company.group(0).strip()
    for match in _NAME.finditer(cleaned):
        name = match.group("named").strip()
        if name and not _NOT_A_NAME.match(name) and not re.match(r"^(?:จ\.|อ\.|ต\.)", name):
            return name
    return None


def is_description_not_name(text: str | None) -> bool:
    """ "ไม่รู้ชื่อค่ะ โรงงานหลังวัด มีปล่องควันสูงๆ" describes the subject; it names nothing."""
    return bool(_DESCRIPTION.search(clean(text))) and subject_name(text) is None


def _province_at(text: str) -> Optional[tuple[int, int, str]]:
    province = find_province(text)
    if not province:
        return None
    names = [province] + [alias for alias in _aliases(province) if alias in text]
    for name in sorted(names, key=len, reverse=True):
        start = text.find(name)
        if start >= 0:
            return start, start + len(name), province
    return None


def _aliases(province: str) -> list[str]:
    aliases = {"กรุงเทพมหานคร": ["กรุงเทพฯ", "กรุงเทพ", "กทม."], "พระนครศรีอยุธยา": ["อยุธยา"]}
    return aliases.get(province, [])


def place_detail(text: str | None) -> Optional[str]:
    """District, subdistrict, road or landmark as written, without the province itself
    ("ต.บางพลีใหญ่ อ.บางพลี", "หน้าพระลาน", "มหาชัย"); None when only a province was said."""
    cleaned = clean(text)
    parts = [m.group(0).strip() for m in _PLACE_PARTS.finditer(cleaned)]
    parts = [p for p in parts if not _JUNK.search(p)]
    located = _province_at(cleaned)
    if not parts and located:
        # "ที่บางปู สมุทรปราการ", "อยู่ปากเกร็ด นนทบุรี": the word just before the province.
        before = cleaned[: located[0]].rstrip()
        before = _PROVINCE_PREFIX.sub("", before[-40:])
        lead = list(_PLACE_LEAD.finditer(before))
        if lead and lead[-1].end() >= len(before) - 1:
            parts.append(lead[-1].group(1))
        else:
            words = before.split()
            word = re.sub(r"^.*(หน้า)", r"\1", words[-1]) if words else ""
            if word.startswith("หน้า") and len(word) <= 20 and not _PLACE_STOP.search(word):
                parts.append(word)
    if not parts:
        match = re.search(r"แถว\s*([^\s,]+)", cleaned)
        if match and not _PLACE_STOP.search(match.group(1)):
            parts.append(match.group(1))
    parts = [place for place in map(_before_the_story, parts) if not _PLACE_STOP.search(place)]
    parts = [p for p in parts if not _JUNK.search(p) and (not find_province(p) or _is_district(p))]
    detail = " ".join(dict.fromkeys(parts))
    return detail[:256] or None


# Words that show a candidate ran on into the story ("บ้านเสียงดังทั้งคืนเลย").
_JUNK = re.compile(r"ค่ะ|ครับ|เลย|มาก|ทุก|ทั้ง|เสียง|เหม็น|ดัง|ข้าง|ที่|แสบ|ควัน|น้ำเสีย|ปล่อย|โรงงาน")
_PLACE_STOP = re.compile(r"^(?:บ้าน|นี้|นั้น|นั้นๆ|นี่)$|ค่ะ|ครับ|เลย|มาก")


# Words that start the story after a place written without a space ("แถวมหาชัยส่งกลิ่น...").
_STORY_WORDS = frozenset(
    "ส่ง ส่งกลิ่น กลิ่น เหม็น มี ปล่อย ทิ้ง เผา รั่ว ไหล ฝุ่น ควัน เสียง เสียงดัง ดัง ระเบิด ทำ เปิด ตอน "
    "ตอนนี้ ทุก ทุกคืน ทุกวัน ค่ะ ครับ คะ นะ เลย มาก เยอะ ทั้ง แสบ น้ำเสีย โรงงาน".split()
)


def _before_the_story(part: str) -> str:
    """The place at the start of ``part``, cut where the story begins. Thai runs words
    together, so a place and its complaint arrive as one run; the cut is at the first word
    (PyThaiNLP's dictionary segmentation) that tells what happened rather than where."""
    words = word_tokenize(part, engine="newmm", keep_whitespace=False)
    for index, word in enumerate(words):
        if index and word in _STORY_WORDS:
            return "".join(words[:index])
    return part


def _is_district(part: str) -> bool:
    """ "อ.เมือง" or "อ.บ้านโป่ง" is a place detail even where it names a province's town."""
    return bool(re.match(r"^(?:ต\.|ตำบล|อ\.|อำเภอ|เขต|แขวง|นิคม)", part))


def phone_in(text: str | None) -> Optional[str]:
    """A valid Thai phone number anywhere in the message, in E.164; None without one."""
    for match in phonenumbers.PhoneNumberMatcher(clean(text), "TH"):
        if phonenumbers.is_valid_number_for_region(match.number, "TH"):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def almost_phone(text: str | None) -> Optional[str]:
    """ "short" or "long" when the digits look like a phone number with one digit missing or extra."""
    digits = re.sub(r"\D", "", clean(text))
    if digits.startswith("0") and len(digits) in (8, 9) and digits[:2] in {"06", "08", "09"}:
        return "short"
    if digits.startswith("0") and len(digits) == 11:
        return "long"
    return None


def says_no_photo(text: str | None) -> bool:
    return bool(_NO_PHOTO.search(clean(text)))


def is_emergency(text: str | None) -> bool:
    """Danger happening now: a leak, fire, explosion, collapse or people hurt (not said to
    recur), or people unable to breathe said as happening now."""
    cleaned = clean(text)
    now = bool(_NOW.search(cleaned))
    recurring = bool(_RECURRING.search(cleaned))
    if _ACUTE.search(cleaned):
        return now or not recurring
    return bool(_SYMPTOM.search(cleaned)) and now and not recurring


def answer_problem(text: str | None) -> Optional[str]:
    """Why a typed answer is not a field's value: "identity" (asks whether the factory will
    know who reported), "question", "chitchat", "already_said"; None when it is an answer."""
    cleaned = clean(text)
    if not cleaned or cleaned.startswith("/"):
        return None
    if _STATUS.search(cleaned):
        return "status"
    if _QUESTION.search(cleaned) and _IDENTITY.search(cleaned):
        return "identity"
    if _QUESTION.search(cleaned):
        return "question"
    if _CHITCHAT.search(cleaned):
        return "chitchat"
    if _ALREADY_SAID.search(cleaned):
        return "already_said"
    return None


def is_status_request(text: str | None) -> bool:
    return bool(_STATUS.search(clean(text)))


def is_dont_know(text: str | None) -> bool:
    return bool(_DONT_KNOW.search(clean(text)))


def guess_province(text: str | None, *, score_cutoff: float = 80) -> Optional[str]:
    """The province a misspelt name most likely means ("สระบรี" → "สระบุรี"), or None."""
    word = _PROVINCE_PREFIX.sub("", re.sub(r"(?:ค่ะ|ครับ|คะ|จ้า|นะ)+$", "", clean(text))).strip()
    if not word or len(word) > 30:
        return None
    names = list(all_provinces())
    best = process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=score_cutoff)
    return best[0] if best else None


# Industrial localities citizens name instead of their province (a town, district or area
# whose province is not in its name). Only used when no province is named.
LOCALITY_PROVINCES = {
    "มหาชัย": "สมุทรสาคร",
    "กระทุ่มแบน": "สมุทรสาคร",
    "อ้อมน้อย": "สมุทรสาคร",
    "บ้านแพ้ว": "สมุทรสาคร",
    "บางปู": "สมุทรปราการ",
    "บางพลี": "สมุทรปราการ",
    "พระประแดง": "สมุทรปราการ",
    "บางบ่อ": "สมุทรปราการ",
    "มาบตาพุด": "ระยอง",
    "บ้านฉาง": "ระยอง",
    "ปลวกแดง": "ระยอง",
    "แหลมฉบัง": "ชลบุรี",
    "ศรีราชา": "ชลบุรี",
    "บ้านบึง": "ชลบุรี",
    "พนัสนิคม": "ชลบุรี",
    "บ่อวิน": "ชลบุรี",
    "ปากเกร็ด": "นนทบุรี",
    "บางบัวทอง": "นนทบุรี",
    "บางใหญ่": "นนทบุรี",
    "ลาดกระบัง": "กรุงเทพมหานคร",
    "บางขุนเทียน": "กรุงเทพมหานคร",
    "มีนบุรี": "กรุงเทพมหานคร",
    "รังสิต": "ปทุมธานี",
    "ลาดหลุมแก้ว": "ปทุมธานี",
    "นวนคร": "ปทุมธานี",
    "บางปะอิน": "พระนครศรีอยุธยา",
    "โรจนะ": "พระนครศรีอยุธยา",
    "หน้าพระลาน": "สระบุรี",
    "แก่งคอย": "สระบุรี",
    "บางปะกง": "ฉะเชิงเทรา",
    "บ้านโป่ง": "ราชบุรี",
    "โคราช": "นครราชสีมา",
    "ปักธงชัย": "นครราชสีมา",
    "แม่สอด": "ตาก",
}


def province_of(text: str | None) -> Optional[str]:
    """The province named in the text, else the one of an industrial locality it names."""
    cleaned = clean(text)
    named = find_province(cleaned)
    if named:
        return named
    for locality, province in LOCALITY_PROVINCES.items():
        if locality in cleaned:
            return province
    return None


def facts_from_text(text: str | None) -> Facts:
    return Facts(
        occurred=occurred_phrase(text),
        subject_name=subject_name(text),
        place_detail=place_detail(text),
        province=province_of(text),
        phone=phone_in(text),
        no_photo=says_no_photo(text),
    )
