"""Write the labelled matching set: complaints written against the demo registry.

``python -m benchmarks.registry_labelled`` rewrites benchmarks/data/registry_complaints.jsonl
(deterministic). Each line is one complaint as the matcher receives it (text, maybe a LINE
location, maybe the province and district the form asked for) and the registration number
of the factory it is about. Four kinds, each in the way citizens write:

* ``misspelled``: the name with typing mistakes (a dropped, doubled or swapped letter, a
  wrong tone mark), legal form dropped or abbreviated (บจก., หจก.);
* ``shortened``: only part of the name ("ยูเนี่ยน ซีฟู้ด", "ศรีสมบูรณ์"), with the province;
* ``described``: no name: what the factory makes and where ("โรงงานน้ำแข็งแถวมหาชัย
  ส่งกลิ่นแอมโมเนีย"), with a LINE location a few hundred metres away;
* ``near_two``: a location between the factory and another one of a different business
  within 1.5 km, and a description of what the complained-about one makes;
* ``unregistered_name``: a factory that is not in the registry, by its name (written by the
  same generator with another seed, kept only when no registered factory bears that name);
  the right answer is no candidate;
* ``unregistered_place``: "an ice factory near here" with a location in a province where the
  registry has no factory at all (a workshop nobody registered); no candidate either.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

from cases.registry.demo import BUSINESSES, generate
from cases.registry.demo_places import PLACES
from cases.registry.names import name_key

REGISTRY_SIZE = 3000
UNREGISTERED_SEED = 1717
# Province towns with no factory in the demo registry: (place, lat, lon).
UNREGISTERED_TOWNS = [
    ("เมืองน่าน", 18.783, 100.779),
    ("เมืองแพร่", 18.145, 100.141),
    ("เมืองเลย", 17.486, 101.722),
    ("เมืองชุมพร", 10.493, 99.180),
    ("เมืองตราด", 12.243, 102.515),
    ("เมืองพิษณุโลก", 16.821, 100.265),
    ("เมืองสกลนคร", 17.155, 104.148),
    ("เมืองตรัง", 7.559, 99.611),
]
OUT = Path(__file__).with_name("data") / "registry_complaints.jsonl"
PROBLEMS = [
    "ส่งกลิ่นเหม็นมาก",
    "ส่งกลิ่นแอมโมเนีย",
    "ปล่อยน้ำเสียลงคลอง",
    "เสียงดังทั้งคืน",
    "ปล่อยควันดำ",
    "ฝุ่นเต็มบ้าน",
    "กลิ่นเหม็นเข้าบ้านทุกคืน",
    "น้ำเสียไหลลงนา",
    "เสียงเครื่องจักรดังรบกวน",
]
TONE_SWAPS = {"่": "้", "้": "่", "๊": "้", "ั": "", "ี": "ิ", "ิ": "ี", "ุ": "ู", "ู": "ุ"}
LEGAL_SHORT = {"บริษัท ": "บจก.", "ห้างหุ้นส่วนจำกัด ": "หจก."}


def _typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    thai = [i for i, c in enumerate(chars) if "\u0e01" <= c <= "\u0e7f"]
    if not thai:
        return text
    i = rng.choice(thai)
    kind = rng.random()
    if chars[i] in TONE_SWAPS and kind < 0.4:
        chars[i] = TONE_SWAPS[chars[i]]
    elif kind < 0.65:
        del chars[i]
    elif kind < 0.85 and i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        chars.insert(i, chars[i])
    return "".join(chars)


def _strip_form(rng: random.Random, name: str) -> str:
    for full, short in LEGAL_SHORT.items():
        if name.startswith(full):
            name = (short if rng.random() < 0.5 else "") + name[len(full) :]
    return name.replace(" จำกัด (มหาชน)", "").replace(" จำกัด", "").strip()


def _stem(name: str) -> str:
    for full in LEGAL_SHORT:
        name = name.removeprefix(full)
    return name.replace(" (ประเทศไทย)", "").replace(" จำกัด (มหาชน)", "").replace(" จำกัด", "").strip()


def _short(rng: random.Random, name: str, product: str) -> str:
    stem = _stem(name)
    words = stem.split()
    if len(words) >= 3:  # transliterated: the first two words
        return " ".join(words[:2])
    without = stem.replace(product, "").strip(" .")
    if len(without) >= 4 and rng.random() < 0.6:
        return without
    return stem[: max(5, int(len(stem) * 0.7))]


def _near(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0.2, 1.0) * metres / 1000
    return (
        round(lat + radius / 111.0 * math.sin(angle), 6),
        round(lon + radius / (111.0 * math.cos(math.radians(lat))) * math.cos(angle), 6),
    )


def _km(a, b) -> float:  # type: ignore[no-untyped-def]
    x = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return math.hypot(x, math.radians(b.latitude - a.latitude)) * 6371.0


def build(seed: int = 170) -> list[dict]:
    rng = random.Random(seed)
    registry = list(generate(REGISTRY_SIZE))
    active = [f for f in registry if f.licence != "เลิกกิจการ"]
    located = [f for f in active if f.latitude is not None]
    cases: list[dict] = []

    def add(kind: str, factory, text: str, **extra) -> None:  # type: ignore[no-untyped-def]
        cases.append(
            {
                "id": f"{kind}-{len(cases) + 1:03d}",
                "kind": kind,
                "text": text,
                "registration_number": factory.registration_number if factory else None,
                **extra,
            }
        )

    for factory in rng.sample(active, 60):
        text = _strip_form(rng, factory.name) if rng.random() < 0.6 else factory.name
        text = _typo(rng, text)
        if rng.random() < 0.4:
            text = _typo(rng, text)
        extra = {"province": factory.province} if rng.random() < 0.5 else {}
        add("misspelled", factory, text, **extra)
    for factory in rng.sample(active, 55):
        add("shortened", factory, _short(rng, factory.name, factory.product), province=factory.province)
    for factory in rng.sample(located, 55):
        place = factory.subdistrict if rng.random() < 0.6 else factory.district.removeprefix("เมือง")
        lat, lon = _near(rng, factory.latitude, factory.longitude, 400)
        add(
            "described",
            factory,
            f"โรงงาน{factory.product}แถว{place}{rng.choice(PROBLEMS)}",
            latitude=lat,
            longitude=lon,
        )
    pairs = 0
    for factory in rng.sample(located, len(located)):
        if pairs >= 45:
            break
        others = [
            o
            for o in located
            if o is not factory
            and o.product != factory.product
            and o.province == factory.province
            and _km(factory, o) <= 1.5
        ]
        if not others:
            continue
        other = rng.choice(others)
        share = rng.uniform(0.35, 0.65)  # somewhere between the two, maybe nearer the other one
        lat = round(factory.latitude + share * (other.latitude - factory.latitude), 6)
        lon = round(factory.longitude + share * (other.longitude - factory.longitude), 6)
        add(
            "near_two",
            factory,
            f"โรงงาน{factory.product}{rng.choice(PROBLEMS)}",
            latitude=lat,
            longitude=lon,
            other=other.registration_number,
        )
        pairs += 1
    registered = {name_key(f.name) for f in registry}
    unregistered = [
        f
        for f in generate(REGISTRY_SIZE, seed=UNREGISTERED_SEED)
        if f.licence != "เลิกกิจการ" and name_key(f.name) not in registered
    ]
    for factory in rng.sample(unregistered, 30):
        text = _strip_form(rng, factory.name) if rng.random() < 0.6 else factory.name
        extra = {"province": factory.province} if rng.random() < 0.5 else {}
        add("unregistered_name", None, text, **extra)
    assert not any(town.removeprefix("เมือง") in PLACES for town, _, _ in UNREGISTERED_TOWNS)
    for _ in range(20):
        town, lat, lon = rng.choice(UNREGISTERED_TOWNS)
        product = rng.choice(BUSINESSES)[0]
        lat, lon = _near(rng, lat, lon, 3000)
        add(
            "unregistered_place",
            None,
            f"โรงงาน{product}แถว{town.removeprefix('เมือง')}{rng.choice(PROBLEMS)}",
            latitude=lat,
            longitude=lon,
        )
    return cases


def main(argv: list[str]) -> int:
    cases = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(cases)} labelled complaints written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
