"""A realistic demo factory registry: thousands of factories across provinces and industrial
estates, named the way Thai companies are (บริษัท … จำกัด, ห้างหุ้นส่วนจำกัด …, โรงน้ำแข็ง …,
transliterated English names with (ประเทศไทย)), with both forms of registration number.

``python -m cases.registry.demo --factories 3000`` imports it through the real CSV importer
(``--csv FILE`` writes the CSV instead; ``--link-tickets`` ties some seeded tickets about
factories to a factory of their province, so the console's pages have something to show).
Deterministic for a given seed: the labelled matching set in benchmarks/ refers to it.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cases.places import all_provinces
from cases.registry.demo_places import PLACES, ROADS, TYPICAL_BOOST, TYPICAL_PRODUCTS

# (product word for names, business as the DIW writes it, category number, short "โรง…" form)
BUSINESSES: list[tuple[str, str, str, str | None, int]] = [
    ("น้ำแข็ง", "ผลิตน้ำแข็งซอง น้ำแข็งหลอด", "89", "โรงน้ำแข็ง", 6),
    ("ห้องเย็น", "ห้องเย็น แช่แข็งอาหารทะเล", "9(1)", None, 4),
    ("อาหารทะเล", "แปรรูปอาหารทะเล บรรจุกระป๋อง", "9(3)", None, 5),
    ("ปลาป่น", "ผลิตปลาป่น", "9(2)", "โรงปลาป่น", 2),
    ("พลาสติก", "ผลิตผลิตภัณฑ์พลาสติก", "53(5)", None, 8),
    ("เหล็กกล้า", "หลอม รีด ดึง เหล็ก", "59", None, 5),
    ("ชุบโลหะ", "ชุบ เคลือบ ขัดผิวโลหะ", "65", None, 3),
    ("ยางพารา", "ผลิตยางแผ่นรมควัน ยางแท่ง", "52(1)", None, 4),
    ("กระดาษ", "ผลิตเยื่อกระดาษ กระดาษ", "38(1)", None, 3),
    ("เคมีภัณฑ์", "ผลิตเคมีภัณฑ์ สารเคมี", "42(1)", None, 4),
    ("สิ่งทอ", "ปั่นด้าย ทอผ้า ฟอกย้อม", "22(1)", None, 4),
    ("ชิ้นส่วนยานยนต์", "ผลิตชิ้นส่วนและอุปกรณ์ยานยนต์", "60", None, 6),
    ("อาหารสัตว์", "ผลิตอาหารสัตว์", "17", None, 3),
    ("น้ำมันปาล์ม", "สกัดน้ำมันปาล์มดิบ", "13(1)", None, 2),
    ("แป้งมัน", "ผลิตแป้งมันสำปะหลัง", "12(1)", "โรงแป้ง", 2),
    ("น้ำตาล", "ผลิตน้ำตาลทราย", "14", "โรงงานน้ำตาล", 2),
    ("คอนกรีต", "ผลิตคอนกรีตผสมเสร็จ", "77(2)", None, 4),
    ("ข้าว", "สีข้าว", "10(1)", "โรงสีข้าว", 4),
    ("ฟอกหนัง", "ฟอกหนัง อัดหนัง", "36", "โรงฟอกหนัง", 1),
    ("ค้าไม้", "เลื่อยไม้ แปรรูปไม้", "30", "โรงเลื่อย", 2),
    ("รีไซเคิล", "คัดแยกวัสดุที่ไม่ใช้แล้ว", "105", None, 4),
    ("รีไซเคิลโลหะ", "นำผลิตภัณฑ์ที่ใช้แล้วกลับมาผลิตเป็นวัตถุดิบใหม่", "106", None, 2),
    ("อิเล็กทรอนิกส์", "ผลิตชิ้นส่วนอิเล็กทรอนิกส์", "75", None, 3),
    ("บรรจุภัณฑ์", "ผลิตกล่องกระดาษ บรรจุภัณฑ์", "39", None, 3),
    ("สี", "ผลิตสี น้ำมันชักเงา", "44", None, 2),
    ("เครื่องดื่ม", "ผลิตเครื่องดื่ม น้ำดื่ม", "29", None, 2),
]
AUSPICIOUS = [
    "ศรีสมบูรณ์",
    "เจริญผล",
    "รุ่งเรือง",
    "มั่นคง",
    "ทวีผล",
    "ยิ่งยง",
    "เจริญชัย",
    "รุ่งโรจน์",
    "สหกิจ",
    "ไทยรุ่งเรือง",
    "ศิริมงคล",
    "เพิ่มพูน",
    "อุดมสุข",
    "ประเสริฐ",
    "นำชัย",
    "โชคชัย",
    "ทองไทย",
    "สยาม",
    "ไทย",
    "เอเชีย",
    "มิตรภาพ",
    "สหไทย",
    "กิจเจริญ",
    "วัฒนา",
    "พัฒนกิจ",
    "ชัยมงคล",
    "ทรัพย์ทวี",
    "เกษมสุข",
    "ศรีไทย",
    "แสงทอง",
    "ธนากร",
    "บุญมา",
    "สุขเจริญ",
    "ชัยวัฒน์",
    "เลิศล้ำ",
    "บุญเรือง",
    "ศักดิ์ชัย",
    "พูลผล",
    "ทรัพย์สมบูรณ์",
    "กิตติ",
    "เอกชัย",
    "สมบัติ",
    "ธนวัฒน์",
    "ปิยะ",
    "วิวัฒน์",
    "เฮงเส็ง",
    "ฮั่วเฮง",
    "เซ่งหลี",
    "ง่วนฮวด",
    "กวงไถ่",
    "เตียเซ่ง",
    "จิตรภักดี",
    "อำนวยผล",
    "ไพบูลย์",
    "สุวรรณ",
    "ทองคำ",
    "เพชรรุ่ง",
    "มณีรัตน์",
    "ศรีสุข",
    "ประชา",
    "สามัคคี",
    "ร่วมใจ",
    "นครไทย",
    "บางกอก",
    "ตะวันออก",
    "บูรพา",
    "ภาคใต้",
    "ล้านนา",
    "อีสาน",
]
INITIALS = ["ส.", "ป.", "ว.", "ธ.", "ก.", "จ.", "ท.", "ร.", "ช.", "ต."]
LATIN = [
    "ไทย",
    "สยาม",
    "เอเชีย",
    "แปซิฟิก",
    "โกลเด้น",
    "ยูไนเต็ด",
    "โกลบอล",
    "อินเตอร์",
    "สตาร์",
    "รอยัล",
    "นิว",
    "ซัน",
    "เพอร์เฟค",
    "แกรนด์",
    "พรีเมียร์",
    "โอเรียนทอล",
    "ยูเนี่ยน",
    "เมโทร",
]
LATIN_PRODUCTS = {
    "พลาสติก": "พลาสติก",
    "เหล็กกล้า": "สตีล",
    "เคมีภัณฑ์": "เคมิคอล",
    "สิ่งทอ": "เท็กซ์ไทล์",
    "ชิ้นส่วนยานยนต์": "ออโต้พาร์ท",
    "อาหารทะเล": "ซีฟู้ด",
    "อาหารสัตว์": "ฟีด",
    "อิเล็กทรอนิกส์": "อิเล็คทรอนิคส์",
    "บรรจุภัณฑ์": "แพ็คเกจจิ้ง",
    "สี": "เพ้นท์",
    "กระดาษ": "เปเปอร์",
    "เครื่องดื่ม": "เบฟเวอเรจ",
    "ห้องเย็น": "โคลด์สตอเรจ",
}
LATIN_TAILS = ["อินดัสตรี", "แมนูแฟคเจอริ่ง", "โปรดักส์", "คอร์ปอเรชั่น", "กรุ๊ป", "อินดัสทรีส์"]
TOWN_KM = 2.0  # how far from a district's centre its town subdistrict reaches
LICENCES = [("ประกอบกิจการ", 85), ("หยุดประกอบกิจการชั่วคราว", 7), ("เลิกกิจการ", 6), ("ถูกเพิกถอนใบอนุญาต", 2)]
HEADER = [
    "เลขทะเบียนโรงงาน",
    "ชื่อโรงงาน",
    "ประกอบกิจการ",
    "ลำดับประเภท",
    "ที่ตั้ง",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "นิคมอุตสาหกรรม",
    "ละติจูด",
    "ลองจิจูด",
    "สถานะ",
]


@dataclass(frozen=True)
class DemoFactory:
    registration_number: str
    name: str
    business: str
    category_code: str
    product: str
    address: str
    subdistrict: str
    district: str
    province: str
    industrial_estate: str | None
    latitude: float | None
    longitude: float | None
    licence: str

    def csv_row(self) -> list[str]:
        return [
            self.registration_number,
            self.name,
            self.business,
            self.category_code,
            self.address,
            self.subdistrict,
            self.district,
            self.province,
            self.industrial_estate or "",
            "" if self.latitude is None else f"{self.latitude:.6f}",
            "" if self.longitude is None else f"{self.longitude:.6f}",
            self.licence,
        ]


def _name(rng: random.Random, product: str, short: str | None, place: str) -> str:
    style = rng.random()
    lucky = rng.choice(AUSPICIOUS)
    if short and style < 0.45:
        return f"{short}{lucky}" if rng.random() < 0.7 else f"{short}{place}"
    if style < 0.6 and product in LATIN_PRODUCTS:
        words = [rng.choice(LATIN), LATIN_PRODUCTS[product], rng.choice(LATIN_TAILS)]
        country = " (ประเทศไทย)" if rng.random() < 0.4 else ""
        return f"บริษัท {' '.join(words)}{country} จำกัด"
    stem = rng.choice(
        [f"{lucky}{product}", f"{product}{lucky}", f"{product}{place}", f"{rng.choice(INITIALS)}{lucky}{product}"]
    )
    if style < 0.75:
        return f"ห้างหุ้นส่วนจำกัด {stem}"
    if style < 0.8:
        return f"บริษัท {stem} จำกัด (มหาชน)"
    return f"บริษัท {stem} จำกัด"


def _number(rng: random.Random, category: str, province_abbr: str, serial: int) -> str:
    main = int(category.split("(")[0])
    year = rng.randint(30, 67)
    if rng.random() < 0.4:
        return f"3-{category}-{serial}/{year}{province_abbr}"
    return f"{rng.choice((1, 2, 3))}{main:03d}{serial % 100:02d}{serial:06d}{year:02d}"[:14].rjust(14, "1")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, math.radians(lat2 - lat1)) * 6371.0


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    radius, angle = abs(rng.gauss(0, km)), rng.uniform(0, 2 * math.pi)
    return (
        round(lat + radius / 111.0 * math.sin(angle), 6),
        round(lon + radius / (111.0 * math.cos(math.radians(lat))) * math.cos(angle), 6),
    )


def generate(count: int, seed: int = 17) -> Iterator[DemoFactory]:
    """``count`` demo factories, always the same ones for a seed."""
    rng = random.Random(seed)
    provinces = list(PLACES)
    weights = [PLACES[p][0] for p in provinces]
    business_weights = {
        province: [b[4] * (TYPICAL_BOOST if b[0] in TYPICAL_PRODUCTS.get(province, ()) else 1) for b in BUSINESSES]
        for province in provinces
    }
    abbr = {name: p.abbr_th for name, p in all_provinces().items()}
    for serial in range(1, count + 1):
        province = rng.choices(provinces, weights)[0]
        _, districts, estates = PLACES[province]
        product, business, category, short, _ = rng.choices(BUSINESSES, business_weights[province])[0]
        estate = rng.choice(estates) if estates and rng.random() < 0.35 else None
        district, dlat, dlon, subdistricts = rng.choice(districts)
        if estate:  # an estate lies in one district: the nearest one of the list
            district, dlat, dlon, subdistricts = min(
                districts, key=lambda d: (d[1] - estate[1]) ** 2 + (d[2] - estate[2]) ** 2
            )
        if estate:
            lat, lon = _jitter(rng, estate[1], estate[2], 0.8)
        else:
            lat, lon = _jitter(rng, dlat, dlon, 3.0)
        # The first subdistrict listed is the district's town, at its centre: a factory close
        # to the centre lies in it (an ice factory in ตำบลมหาชัย is near Mahachai), the others
        # in one of the outer subdistricts.
        town, outer = subdistricts[0], subdistricts[1:] or subdistricts
        in_town = not estate and _km(lat, lon, dlat, dlon) <= TOWN_KM
        subdistrict = town if in_town else rng.choice(outer)
        place = subdistrict if rng.random() < 0.5 else district.removeprefix("เมือง")
        has_point = rng.random() < 0.88
        road = f" ถนน{rng.choice(ROADS)}" if rng.random() < 0.6 else ""
        address = f"เลขที่ {rng.randint(1, 999)}/{rng.randint(1, 99)} หมู่ {rng.randint(1, 12)}{road}"
        yield DemoFactory(
            registration_number=_number(rng, category, abbr.get(province, "กท"), serial),
            name=_name(rng, product, short, place),
            business=business,
            category_code=category,
            product=product,
            address=address,
            subdistrict=subdistrict,
            district=district,
            province=province,
            industrial_estate=estate[0] if estate else None,
            latitude=lat if has_point else None,
            longitude=lon if has_point else None,
            licence=rng.choices([s for s, _ in LICENCES], [w for _, w in LICENCES])[0],
        )


def demo_csv(count: int, seed: int = 17) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for factory in generate(count, seed):
        writer.writerow(factory.csv_row())
    return buffer.getvalue()


def link_demo_tickets(session, *, share: float = 0.35, seed: int = 17) -> int:
    """Tie some seeded factory tickets to a factory of their province; a few factories take
    many complaints, as real repeat offenders do. Returns how many tickets were linked."""
    from sqlalchemy import select, update

    from cases.models import Ticket
    from cases.registry.models import Factory

    rng = random.Random(seed)
    by_province: dict[str, list[int]] = {}
    for factory_id, province in session.execute(select(Factory.id, Factory.province)):
        by_province.setdefault(province, []).append(factory_id)
    offenders = {p: rng.sample(ids, min(3, len(ids))) for p, ids in by_province.items()}
    linked = 0
    tickets = session.execute(
        select(Ticket.id, Ticket.province).where(
            Ticket.subject_type == "factory", Ticket.factory_id.is_(None), Ticket.province.is_not(None)
        )
    ).all()
    for ticket_id, province in tickets:
        ids = by_province.get(province)
        if not ids or rng.random() > share:
            continue
        choice = rng.choice(offenders[province]) if rng.random() < 0.5 else rng.choice(ids)
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(factory_id=choice))
        linked += 1
    return linked


def main(argv: list[str]) -> int:
    from cases.db import make_engine, make_session_factory
    from cases.registry.importer import import_csv_text
    from settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m cases.registry.demo")
    parser.add_argument("--factories", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--csv", type=Path, help="write the CSV here instead of importing it")
    parser.add_argument("--link-tickets", action="store_true")
    args = parser.parse_args(argv)
    text = demo_csv(args.factories, args.seed)
    if args.csv:
        args.csv.write_text(text, encoding="utf-8")
        print(f"demo registry: {args.factories} factories written to {args.csv}")
        return 0
    engine = make_engine(get_settings().database.sqlalchemy_url)
    with make_session_factory(engine).begin() as session:
        report = import_csv_text(session, text)
        linked = link_demo_tickets(session, seed=args.seed) if args.link_tickets else 0
    engine.dispose()
    print(
        f"demo registry: {report.inserted} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} bad rows; {linked} tickets linked"
    )
    return 0 if not report.errors else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
