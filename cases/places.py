"""Thai provinces and industrial estates, from PyThaiNLP's bundled province list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from pythainlp.corpus import provinces as _pythainlp_provinces

BANGKOK = "กรุงเทพมหานคร"

# Common short forms and nicknames citizens use, beyond PyThaiNLP's abbreviations.
PROVINCE_ALIASES: dict[str, str] = {
    "กทม": BANGKOK,
    "กรุงเทพ": BANGKOK,
    "กรุงเทพฯ": BANGKOK,
    "บางกอก": BANGKOK,
    "โคราช": "นครราชสีมา",
    "โคราด": "นครราชสีมา",
    "อยุธยา": "พระนครศรีอยุธยา",
    "กรุงเก่า": "พระนครศรีอยุธยา",
    "อุบล": "อุบลราชธานี",
    "สุราษ": "สุราษฎร์ธานี",
    "สุราษฎร์": "สุราษฎร์ธานี",
    "ปากน้ำ": "สมุทรปราการ",
    "นครศรี": "นครศรีธรรมราช",
    "แปดริ้ว": "ฉะเชิงเทรา",
    "กาญ": "กาญจนบุรี",
    "เมืองกาญ": "กาญจนบุรี",
    "อุดร": "อุดรธานี",
    "บุรีรัม": "บุรีรัมย์",
    "สุพรรณ": "สุพรรณบุรี",
    "ประจวบ": "ประจวบคีรีขันธ์",
    "ปราจีน": "ปราจีนบุรี",
    "โคราชฯ": "นครราชสีมา",
    # Well-known cities and industrial towns that identify their province.
    "หาดใหญ่": "สงขลา",
    "พัทยา": "ชลบุรี",
    "ศรีราชา": "ชลบุรี",
    "แหลมฉบัง": "ชลบุรี",
    "มาบตาพุด": "ระยอง",
}


@dataclass(frozen=True)
class Province:
    name_th: str
    name_en: str
    abbr_th: str
    abbr_en: str


@lru_cache(maxsize=1)
def all_provinces() -> dict[str, Province]:
    """The 77 provinces keyed by official Thai name."""
    return {
        row["name_th"]: Province(row["name_th"], row["name_en"], row["abbr_th"], row["abbr_en"])
        for row in cast("list[dict[str, str]]", _pythainlp_provinces(details=True))  # details=True: dicts
    }


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Every accepted spelling (official, English, alias) → official Thai name."""
    index: dict[str, str] = {}
    for p in all_provinces().values():
        index[p.name_th] = p.name_th
        index[p.name_en.lower()] = p.name_th
        index[p.name_en.lower().replace(" ", "")] = p.name_th  # "Chonburi" as often as "Chon Buri"
        index[p.abbr_th] = p.name_th
        index[p.abbr_th + "."] = p.name_th
    for alias, official in PROVINCE_ALIASES.items():
        if official in all_provinces():
            index[alias] = official
    return index


_PREFIX = re.compile(r"^(จังหวัด|จ\.|จ\s)\s*")

# Province names that are also everyday words ("บ้านสั่นหมดเลย"): in free text they count
# only after จังหวัด / จ. (the NLU's province entity still finds them in context).
AMBIGUOUS_PROVINCE_NAMES = frozenset({"เลย", "ตาก", "แพร่", "น่าน", "กระบี่"})


def normalise_province(value: str | None) -> str | None:
    """Map a province as written (official, short form, English) to its official Thai name."""
    if not value:
        return None
    text = _PREFIX.sub("", value.strip()).strip().rstrip(".")
    if not text:
        return None
    index = _name_index()
    return index.get(text) or index.get(text.lower()) or index.get(text.rstrip("ฯ"))


@lru_cache(maxsize=1)
def _english_pattern() -> re.Pattern[str]:
    """English names as whole words, any case, the space inside optional ("chonburi")."""
    names = sorted((p.name_en for p in all_provinces().values()), key=len, reverse=True)
    spelled = (r"\s*".join(re.escape(word) for word in name.split()) for name in names)
    return re.compile(r"\b(?:" + "|".join(spelled) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _search_pattern() -> re.Pattern[str]:
    # Two-letter abbreviations (กบ, ชบ) are too ambiguous to look for inside free text.
    # English names are searched apart, as whole words (_english_pattern): "Nan" is inside "Nanny".
    names = sorted((n for n in _name_index() if len(n) >= 3 and not n.isascii()), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def find_province(text: str | None) -> str | None:
    """The first province named anywhere in free text (longest spelling wins)."""
    if not text:
        return None
    for match in _search_pattern().finditer(text):
        name = match.group(0)
        if name in AMBIGUOUS_PROVINCE_NAMES and not _PROVINCE_MARKER.search(text[: match.start()]):
            continue
        return normalise_province(name)
    english = _english_pattern().search(text)
    return normalise_province(re.sub(r"\s+", " ", english.group(0))) if english else None


_PROVINCE_MARKER = re.compile(r"(จังหวัด|จ\.|จ\s)\s*$")


def province_abbr_en(name_th: str) -> str | None:
    province = all_provinces().get(name_th)
    return province.abbr_en if province else None


_ESTATE = re.compile(r"นิคม(?:อุตสาหกรรม|ฯ)?\s*[\u0E00-\u0E7Fa-zA-Z0-9]+")

# Places whose names contain นิคม but are not industrial estates: districts (พนัสนิคม in
# Chon Buri, นิคมพัฒนา in Rayong, นิคมคำสร้อย in Mukdahan, นิคมน้ำอูน in Sakon Nakhon) and
# the state's land and cooperative settlements. A factory there is routed by its province.
NOT_ESTATE_NAMES: tuple[str, ...] = (
    "พนัสนิคม",
    "นิคมพัฒนา",
    "นิคมคำสร้อย",
    "นิคมน้ำอูน",
    "นิคมสร้างตนเอง",
    "นิคมสหกรณ์",
)


def _non_estate_starts(text: str) -> set[int]:
    """Offsets of every นิคม that belongs to one of NOT_ESTATE_NAMES in the text."""
    starts: set[int] = set()
    for name in NOT_ESTATE_NAMES:
        inner = name.index("นิคม")
        starts.update(found.start() + inner for found in re.finditer(re.escape(name), text))
    return starts


def find_industrial_estate(text: str | None) -> str | None:
    """An industrial estate (นิคมอุตสาหกรรม…, นิคมฯ…) named in free text, as written;
    a district or settlement whose name merely contains นิคม is not one."""
    if not text:
        return None
    skip = _non_estate_starts(text)
    match = _ESTATE.search(text)
    while match and match.start() in skip:  # search on from the next character, not the match's end
        match = _ESTATE.search(text, match.start() + 1)
    return match.group(0).strip() if match else None


def industrial_estate_or_none(value: str | None) -> str | None:
    """An estate the NLU tagged, unless it is one of the places that only sound like one."""
    if not value:
        return None
    return None if _non_estate_starts(value) else value
