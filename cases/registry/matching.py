"""Candidate factories for a complaint: by Thai name similarity, distance to a LINE location,
and province and district.

``FactoryIndex`` holds the registry in memory (built once from the database, rebuilt when
the registry changes) so that one match takes milliseconds with 100,000 factories:

* names: a character-trigram index over the distinct normalised names picks a few hundred
  names that share the most trigrams with the complaint, then rapidfuzz's ``partial_ratio``
  scores them (a name written inside a longer description scores as the name itself);
* places: a grid of ~2 km cells finds the factories near a location without scanning all;
* the candidates from both are scored together: name, business words ("โรงงานน้ำแข็ง" for a
  factory whose business is ice), the district or subdistrict named in the text, distance,
  and the province / district the complaint gives.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from cases.registry.names import name_key, text_key

GRID_DEGREES = 0.02
NEAR_KM = 2.0
NEAR_POOL = 100  # nearest factories considered for a location
NAME_SHORTLIST = 300  # distinct names scored by rapidfuzz after the trigram shortlist
NAME_POOL = 40  # best-scoring names kept as candidates
NAME_CUTOFF = 55.0
PER_NAME = 12  # factories kept per distinct name (the nearest, or those of the province)
COMMON_GRAM_SHARE = 0.05  # a trigram in more names than this says nothing about which one
PROXIMITY_KM = 0.8  # the distance at which proximity counts about a third
OTHER_PROVINCE = 0.6  # score kept by a factory outside the province the complaint gives
# A complaint with words needs this much to be offered a candidate: below it candidates are
# mostly wrong on the labelled set, and many complaints about places the registry does not
# hold fall under it (benchmarks/registry.md). Set where a name with two typing mistakes still
# passes: a wrong offer costs the citizen one "ไม่ใช่", a missed one costs the link.
MIN_SCORE = 0.25
# Words that say what kind of place, not which one: they would make every factory match.
GENERIC_WORDS = ("โรงงาน", "โรง", "ผลิต", "บริษัท", "แถว", "ใกล้", "ข้าง", "หลัง", "ตรงข้าม")


@dataclass(frozen=True)
class FactoryRecord:
    id: int
    registration_number: str
    name: str
    business: str | None
    address: str | None
    subdistrict: str | None
    district: str | None
    province: str
    latitude: float | None
    longitude: float | None
    licence_state: str = "unknown"


@dataclass(frozen=True)
class Candidate:
    factory: FactoryRecord
    score: float
    name_score: float
    distance_km: float | None


def _grams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)} if len(text) >= 3 else ({text} if text else set())


def _business_terms(business: str | None) -> tuple[str, ...]:
    terms = []
    for word in (business or "").split():
        word = name_key(word).removeprefix("ผลิต")
        if len(word) >= 3:
            terms.append(word)
    return tuple(terms)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough within tens of kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, math.radians(lat2 - lat1)) * 6371.0


class FactoryIndex:
    def __init__(self, records: Iterable[FactoryRecord]) -> None:
        self.records: list[FactoryRecord] = list(records)
        self._keys: list[str] = []
        self._key_records: list[list[int]] = []
        self._key_of: list[int] = []
        key_index: dict[str, int] = {}
        self._cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._business: list[tuple[str, ...]] = []
        business_cache: dict[str | None, tuple[str, ...]] = {}
        for position, record in enumerate(self.records):
            key = _strip_generic(name_key(record.name)) or name_key(record.name)
            if key not in key_index:
                key_index[key] = len(self._keys)
                self._keys.append(key)
                self._key_records.append([])
            self._key_records[key_index[key]].append(position)
            self._key_of.append(key_index[key])
            if record.business not in business_cache:
                business_cache[record.business] = _business_terms(record.business)
            self._business.append(business_cache[record.business])
            if record.latitude is not None and record.longitude is not None:
                self._cells[self._cell(record.latitude, record.longitude)].append(position)
        postings: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(self._keys):
            for gram in _grams(key):
                postings[gram].append(index)
        limit = max(50, int(len(self._keys) * COMMON_GRAM_SHARE))
        self._grams = {g: p for g, p in postings.items() if len(p) <= limit}
        self._by_id = {r.id: r for r in self.records}

    def __len__(self) -> int:
        return len(self.records)

    def get(self, factory_id: int) -> FactoryRecord | None:
        return self._by_id.get(factory_id)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / GRID_DEGREES), math.floor(lon / GRID_DEGREES))

    def near(self, latitude: float, longitude: float, km: float = NEAR_KM) -> list[tuple[int, float]]:
        """(record position, km) of the factories within ``km``, nearest first."""
        # Cells around the point's own cell far enough to hold every point within ``km``.
        reach = math.ceil(km / (GRID_DEGREES * 111.0 * max(0.2, math.cos(math.radians(latitude)))))
        row, col = self._cell(latitude, longitude)
        found = []
        for r in range(row - reach, row + reach + 1):
            for c in range(col - reach, col + reach + 1):
                for position in self._cells.get((r, c), ()):
                    record = self.records[position]
                    distance = _km(latitude, longitude, record.latitude, record.longitude)  # type: ignore[arg-type]
                    if distance <= km:
                        found.append((position, distance))
        found.sort(key=lambda item: item[1])
        return found

    def _likeliest(
        self, positions: list[int], latitude: float | None, longitude: float | None, province: str | None
    ) -> list[int]:
        def rank(position: int) -> tuple[int, float]:
            record = self.records[position]
            distance = (
                _km(latitude, longitude, record.latitude, record.longitude)
                if latitude is not None
                and longitude is not None
                and record.latitude is not None
                and record.longitude is not None
                else 1e6
            )
            return (0 if province is None or record.province == province else 1, distance)

        return sorted(positions, key=rank)[:PER_NAME]

    def _name_candidates(self, query: str) -> list[tuple[int, float]]:
        """(key index, partial_ratio) of the names most like the query."""
        counts: Counter[int] = Counter()
        for gram in sorted(_grams(query)):  # fixed order: ties in the shortlist never depend on hashing
            posting = self._grams.get(gram)
            if posting:
                counts.update(posting)
        if not counts:
            return []
        shortlist = {index: self._keys[index] for index, _ in counts.most_common(NAME_SHORTLIST)}
        scored = process.extract(query, shortlist, scorer=fuzz.partial_ratio, limit=NAME_POOL, score_cutoff=NAME_CUTOFF)
        return [(index, score) for _, score, index in scored]

    def match(
        self,
        *,
        text: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        province: str | None = None,
        district: str | None = None,
        limit: int = 3,
        min_score: float = MIN_SCORE,
    ) -> list[Candidate]:
        """The ``limit`` likeliest factories, best first; when the complaint has words, only
        those scoring at least ``min_score`` (empty when nothing fits: the complaint is then
        about a place the registry does not hold)."""
        query = _strip_generic(text_key(text))
        located = latitude is not None and longitude is not None
        raw_text = (text or "").replace(" ", "")
        business_cache: dict[tuple[str, ...], float] = {}
        locality_cache: dict[tuple[str | None, str | None], float] = {}

        def business_of(position: int) -> float:
            terms = self._business[position]
            if terms not in business_cache:
                business_cache[terms] = (
                    max((fuzz.partial_ratio(t, query) for t in terms), default=0.0) if query else 0.0
                )
            return business_cache[terms]

        def locality_of(record: FactoryRecord) -> float:
            places = (record.subdistrict, record.district)
            if places not in locality_cache:
                locality_cache[places] = (
                    1.0
                    if any(place and len(place) >= 3 and place.removeprefix("เมือง") in raw_text for place in places)
                    else 0.0
                )
            return locality_cache[places]

        name_scores: dict[int, float] = {}
        if len(query) >= 2:
            for key_index, score in self._name_candidates(query):
                positions = self._key_records[key_index]
                if len(positions) > PER_NAME:  # one name, many factories: keep the likeliest
                    positions = self._likeliest(positions, latitude, longitude, province)
                for position in positions:
                    name_scores[position] = score
        pool: dict[int, float | None] = {}
        if located:
            # Every factory nearby, ranked first on what is cheap to know (distance, business
            # words, the place named); the best of them are then scored on the name too.
            near = self.near(latitude, longitude)  # type: ignore[arg-type]
            if len(near) > NEAR_POOL:
                records = self.records
                ranked = [
                    (-(math.exp(-d / PROXIMITY_KM) + _business_part(business_of(p)) + locality_of(records[p])), d, p)
                    for p, d in near
                ]
                ranked.sort()
                near = [(p, d) for _, d, p in ranked[:NEAR_POOL]]
            for position, distance in near:
                pool[position] = distance
        for position in name_scores:
            pool.setdefault(position, None)
        if not pool and (province or district):
            pool = {
                p: None
                for p, r in enumerate(self.records)
                if r.province == province and (district is None or r.district == district)
            }
        if not pool:
            return []
        scored = []
        for position, pooled_km in pool.items():
            record = self.records[position]
            km = pooled_km
            if (
                km is None
                and latitude is not None
                and longitude is not None
                and record.latitude is not None
                and record.longitude is not None
            ):
                km = _km(latitude, longitude, record.latitude, record.longitude)
            if position in name_scores:
                name = name_scores[position]
            else:
                name = fuzz.partial_ratio(query, self._keys[self._key_of[position]]) if query else 0.0
            score = _combine(
                name,
                business_of(position),
                locality_of(record),
                km,
                located,
                province is not None and record.province == province,
                district is not None and record.district == district,
            )
            if province is not None and record.province != province:
                # The complaint says where it is: a factory of another province fits only by
                # name, and a like name is common (the registry has dozens of "โรงน้ำแข็ง…").
                score *= OTHER_PROVINCE
            if query and score < min_score:
                # Only words can be wrong: a bare location or province is always offered what
                # lies there (the pool is already limited to it).
                continue
            scored.append((score, position, name, km))
        scored.sort(key=lambda item: (-item[0], item[3] if item[3] is not None else 1e9, item[1]))
        return [
            Candidate(self.records[p], round(s, 4), n, None if d is None else round(d, 3))
            for s, p, n, d in scored[:limit]
        ]


def _strip_generic(query: str) -> str:
    for word in GENERIC_WORDS:
        query = query.replace(word, "")
    return query


def _proximity(distance: float | None) -> float:
    return 0.0 if distance is None else math.exp(-distance / PROXIMITY_KM)


def _business_part(score: float) -> float:
    return max(0.0, score - 60.0) / 40.0


def _combine(
    name: float,
    business: float,
    locality: float,
    distance: float | None,
    located: bool,
    same_province: bool,
    same_district: bool,
) -> float:
    """One score in 0..1. Weights chosen on the labelled set (benchmarks/registry.md)."""
    name_part = max(0.0, name - 50.0) / 50.0  # partial_ratio below 50 is noise in Thai
    business_part = _business_part(business)
    region = 0.5 * same_province + 0.5 * same_district
    if located:
        proximity = _proximity(distance)
        score = 0.45 * name_part + 0.15 * business_part + 0.1 * locality + 0.25 * proximity + 0.05 * region
        # A citizen who sends a location is near the factory: one far away, or of unknown
        # place, is unlikely however well its name fits.
        if distance is None:
            return score * 0.7
        return score * math.exp(-max(0.0, distance - NEAR_KM) / 10.0)
    return 0.6 * name_part + 0.15 * business_part + 0.15 * locality + 0.1 * region


def load_index(session) -> FactoryIndex:
    """The whole registry as a FactoryIndex (only the columns matching needs)."""
    from sqlalchemy import select

    from cases.registry.models import Factory

    columns = (
        Factory.id,
        Factory.registration_number,
        Factory.name,
        Factory.business,
        Factory.address,
        Factory.subdistrict,
        Factory.district,
        Factory.province,
        Factory.latitude,
        Factory.longitude,
        Factory.licence_state,
    )
    return FactoryIndex(FactoryRecord(*row) for row in session.execute(select(*columns)))


def records_from_rows(rows: Sequence) -> list[FactoryRecord]:
    return [FactoryRecord(*row) for row in rows]
