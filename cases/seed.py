"""Fill the case database with realistic demo tickets over the past year.

``python -m cases.seed --tickets 5000`` (DATABASE_URL as usual). Tickets are routed by
the real routing rules, numbered from the real counter, and worked through states with
audited events, so the console's list, SLA figures and hotspots have something to show.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert
from sqlalchemy.orm import Session

from cases.db import make_engine, make_session_factory
from cases.models import Ticket, TicketEvent
from cases.repository import next_tracking_number
from cases.routing import route
from cases.service_levels import due_dates
from settings import get_settings
from cases.taxonomy import Category, SubjectType

PROVINCES = [
    "ชลบุรี",
    "ระยอง",
    "สมุทรปราการ",
    "กรุงเทพมหานคร",
    "พระนครศรีอยุธยา",
    "สระบุรี",
    "ขอนแก่น",
    "เชียงใหม่",
    "นครราชสีมา",
    "ราชบุรี",
    "สงขลา",
    "ปทุมธานี",
    "ลำปาง",
    "กาญจนบุรี",
]
SUBJECTS = [
    f"บริษัท {n} จำกัด"
    for n in (
        "ยางไทยรุ่งเรือง",
        "เคมีภัณฑ์สยาม",
        "หินอ่อนทอง",
        "น้ำตาลมิตรภาพ",
        "เหล็กกล้าตะวันออก",
        "อาหารทะเลสด",
        "พลาสติกรีไซเคิล",
        "ปูนซีเมนต์เหนือ",
    )
]
TEXTS = {
    Category.ODOR: "ส่งกลิ่นเหม็นเหมือนยางไหม้ทุกคืน",
    Category.NOISE: "เครื่องจักรเสียงดังตลอดคืน",
    Category.WASTEWATER: "ปล่อยน้ำเสียสีดำลงคลอง ปลาตาย",
    Category.AIR_POLLUTION: "ปล่องควันดำ ฝุ่นเต็มบ้าน",
    Category.INDUSTRIAL_WASTE: "ลักลอบทิ้งถังสารเคมีในที่ดินว่างเปล่า",
    Category.HAZARD: "สารเคมีรั่วไหล แสบตา",
    Category.UNLICENSED_FACTORY: "โรงงานเถื่อนไม่มีใบอนุญาต",
    Category.MINING: "ระเบิดหินบ้านสั่นร้าว",
    Category.PRODUCT_STANDARD: "ปลั๊กพ่วงไม่มี มอก. ไหม้",
    Category.SUGARCANE: "เผาไร่อ้อย ขี้เถ้าปลิวเข้าบ้าน",
    Category.BUSINESS_SUPPORT: "สมัครอบรมแล้วไม่ได้รับการติดต่อ",
    Category.CORRUPTION: "เจ้าหน้าที่เรียกรับเงิน",
    Category.SERVICE: "ติดต่อราชการล่าช้า",
}
WEIGHTS = {
    Category.ODOR: 20,
    Category.NOISE: 14,
    Category.WASTEWATER: 12,
    Category.AIR_POLLUTION: 12,
    Category.INDUSTRIAL_WASTE: 6,
    Category.HAZARD: 3,
    Category.UNLICENSED_FACTORY: 5,
    Category.MINING: 6,
    Category.PRODUCT_STANDARD: 8,
    Category.SUGARCANE: 5,
    Category.BUSINESS_SUPPORT: 3,
    Category.CORRUPTION: 2,
    Category.SERVICE: 4,
}
BATCH = 1000


def _one(rng: random.Random, now: datetime, tracking_number: str) -> tuple[dict, list[dict]]:
    category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    province = rng.choice(PROVINCES) if rng.random() > 0.05 else None
    subject = SubjectType.MINE if category is Category.MINING else SubjectType.FACTORY
    routed = route(category, province, None, subject)
    created = now - timedelta(seconds=rng.randint(0, 365 * 86400))
    due = due_dates(created, routed.priority)
    events = [{"actor": "bot", "kind": "state", "from_state": None, "to_state": "new", "created_at": created}]
    state, first, resolved, at = "new", None, None, created
    for step in ("acknowledged", "in_progress", "resolved", "closed"):
        if rng.random() > (0.9 if (now - at).days > 3 else 0.4):
            break
        at = at + timedelta(hours=rng.expovariate(1 / (20 if step == "acknowledged" else 120)))
        if at > now:
            break
        events.append({"actor": "seed", "kind": "state", "from_state": state, "to_state": step, "created_at": at})
        state, first = step, first or at
        resolved = at if step == "resolved" else resolved
    row = {
        "tracking_number": tracking_number,
        "category": category.value,
        "agency": routed.agency,
        "priority": routed.priority.value,
        "confidential": routed.confidential,
        "state": state,
        "description": TEXTS[category],
        "province": province,
        "subject_type": subject.value,
        "subject_name": rng.choice(SUBJECTS) if rng.random() < 0.3 else None,
        "created_at": created,
        "updated_at": at,
        "ack_due_at": due.acknowledge_by,
        "resolve_due_at": due.resolve_by,
        "first_action_at": first,
        "resolved_at": resolved,
    }
    return row, events


def seed(session_factory, *, tickets: int, seed_value: int = 5) -> int:
    rng, now, done = random.Random(seed_value), datetime.now(timezone.utc), 0
    while done < tickets:
        size = min(BATCH, tickets - done)
        with session_factory.begin() as session:
            _batch(session, rng, now, size)
        done += size
        print(f"seed: {done}/{tickets} tickets", flush=True)
    return done


def _batch(session: Session, rng: random.Random, now: datetime, size: int) -> None:
    pairs = [_one(rng, now, next_tracking_number(session)) for _ in range(size)]
    ids = session.scalars(insert(Ticket).returning(Ticket.id), [p[0] for p in pairs]).all()
    events = [dict(e, ticket_id=i) for i, (_, evs) in zip(ids, pairs) for e in evs]
    session.execute(insert(TicketEvent), events)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m cases.seed")
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    start = time.monotonic()
    engine = make_engine(get_settings().database.sqlalchemy_url)
    count = seed(make_session_factory(engine), tickets=args.tickets, seed_value=args.seed)
    print(f"seed: {count} demo tickets written in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
