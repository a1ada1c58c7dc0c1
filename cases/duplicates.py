"""Is a new complaint about a case that is already open? (pure functions, no I/O)

A complaint duplicates an open case when all of these hold:
same category; the same subject (normalised name) or a place within MAX_DISTANCE_KM;
the case was opened within WINDOW and is still open; and the two descriptions share
enough words (PyThaiNLP tokens, MIN_TEXT_SIMILARITY). Corruption complaints are never
merged: telling one citizen that another reported the same official would expose both.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from cases.taxonomy import Category, TicketState

MAX_DISTANCE_KM = 1.0
WINDOW = timedelta(days=30)
MIN_TEXT_SIMILARITY = 0.3
# A token this long or longer also matches a token it is part of (ส่งกลิ่น ~ กลิ่น).
MIN_CONTAINED_TOKEN_CHARS = 3
EARTH_RADIUS_KM = 6371.0088

OPEN_STATES = frozenset(
    {
        TicketState.NEW.value,
        TicketState.ACKNOWLEDGED.value,
        TicketState.IN_PROGRESS.value,
        TicketState.REOPENED.value,
    }
)
NEVER_MERGED = frozenset({Category.CORRUPTION.value, Category.OTHER.value})

# Words around a Thai business name that do not tell two subjects apart.
_SUBJECT_NOISE = re.compile(
    r"บริษัท|บจก\.?|บมจ\.?|หจก\.?|ห้างหุ้นส่วนจำกัด|ห้างหุ้นส่วน|จำกัด|\(มหาชน\)|มหาชน"
    r"|โรงงาน|เหมือง|ร้าน|company|co\.|ltd\.?|limited|public|plc\.?|inc\.?",
    re.IGNORECASE,
)
# Thai vowel and tone marks are not \w in Python: keep the whole Thai block.
_NOT_NAME_CHARS = re.compile(r"(?:[^\w\u0E00-\u0E7F]|_)+")
_NOT_GIVEN = {"", "-"}


@dataclass(frozen=True)
class CaseFacts:
    """What duplicate detection compares, for a new complaint or a stored ticket."""

    category: str
    description: str
    created_at: datetime
    state: str = TicketState.NEW.value
    subject_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    confidential: bool = False
    ticket_id: int | None = None


@dataclass(frozen=True)
class DuplicateMatch:
    ticket_id: int | None
    text_similarity: float
    same_subject: bool
    distance_km: float | None


def normalise_subject(name: str | None) -> str | None:
    """``บริษัท เอบีซี เคมีคอล จำกัด`` and ``โรงงานเอบีซีเคมีคอล`` both give ``เอบีซีเคมีคอล``."""
    if name is None or name.strip() in _NOT_GIVEN:
        return None
    text = unicodedata.normalize("NFC", name).lower()
    text = _NOT_NAME_CHARS.sub("", _SUBJECT_NOISE.sub(" ", text))
    return text or None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


@lru_cache(maxsize=4096)
def content_tokens(text: str) -> frozenset[str]:
    """The words that carry meaning: PyThaiNLP tokens without stop words and punctuation."""
    from pythainlp.tokenize import word_tokenize

    tokens = word_tokenize(unicodedata.normalize("NFC", text or "").lower(), keep_whitespace=False)
    stop = _stopwords()
    return frozenset(
        token
        for token in (t.strip() for t in tokens)
        if token and token not in stop and not _NOT_NAME_CHARS.fullmatch(token)
    )


def _matched(tokens: frozenset[str], other: frozenset[str]) -> int:
    count = 0
    for token in tokens:
        if token in other or (
            len(token) >= MIN_CONTAINED_TOKEN_CHARS
            and any(len(o) >= MIN_CONTAINED_TOKEN_CHARS and (token in o or o in token) for o in other)
        ):
            count += 1
    return count


def text_similarity(a: str, b: str) -> float:
    """0..1: the share of both texts' content words found in the other (Dice-like)."""
    tokens_a, tokens_b = content_tokens(a), content_tokens(b)
    if not tokens_a or not tokens_b:
        return 0.0
    matched = _matched(tokens_a, tokens_b) + _matched(tokens_b, tokens_a)
    return matched / (len(tokens_a) + len(tokens_b))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def duplicate_match(new: CaseFacts, case: CaseFacts) -> DuplicateMatch | None:
    """How ``new`` matches the open ``case``, or None if it is not a duplicate of it."""
    if new.category != case.category or new.category in NEVER_MERGED:
        return None
    if case.confidential or new.confidential or case.state not in OPEN_STATES:
        return None
    age = _aware(new.created_at) - _aware(case.created_at)
    if age > WINDOW or age < -timedelta(minutes=5):
        return None
    subject_new, subject_case = normalise_subject(new.subject_name), normalise_subject(case.subject_name)
    same_subject = subject_new is not None and subject_new == subject_case
    distance = None
    if None not in (new.latitude, new.longitude, case.latitude, case.longitude):
        distance = haversine_km(new.latitude, new.longitude, case.latitude, case.longitude)  # type: ignore[arg-type]
    if not same_subject and (distance is None or distance > MAX_DISTANCE_KM):
        return None
    similarity = text_similarity(new.description, case.description)
    if similarity < MIN_TEXT_SIMILARITY:
        return None
    return DuplicateMatch(case.ticket_id, similarity, same_subject, distance)


def find_duplicate(new: CaseFacts, cases: list[CaseFacts]) -> DuplicateMatch | None:
    """The best open case ``new`` duplicates: most similar text, then nearest, then oldest."""
    matches = [(m, c) for c in cases if (m := duplicate_match(new, c)) is not None]
    if not matches:
        return None
    best = min(
        matches,
        key=lambda pair: (
            -round(pair[0].text_similarity, 3),
            pair[0].distance_km if pair[0].distance_km is not None else MAX_DISTANCE_KM,
            _aware(pair[1].created_at),
        ),
    )
    return best[0]
