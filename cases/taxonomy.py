"""The domain contract of docs/taxonomy.md as data: one place per fact.

Intent, category and agency codes are fixed by the contract; Thai names are the
official names of the categories and agencies (data, not conversation wording).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Category(str, Enum):
    ODOR = "odor"
    NOISE = "noise"
    WASTEWATER = "wastewater"
    AIR_POLLUTION = "air_pollution"
    INDUSTRIAL_WASTE = "industrial_waste"
    HAZARD = "hazard"
    UNLICENSED_FACTORY = "unlicensed_factory"
    MINING = "mining"
    PRODUCT_STANDARD = "product_standard"
    SUGARCANE = "sugarcane"
    BUSINESS_SUPPORT = "business_support"
    CORRUPTION = "corruption"
    SERVICE = "service"
    OTHER = "other"


class SubjectType(str, Enum):
    FACTORY = "factory"
    SME = "sme"
    MINE = "mine"
    COMMUNITY_ENTERPRISE = "community_enterprise"
    OFFICIAL = "official"
    UNKNOWN = "unknown"


class Priority(str, Enum):
    NORMAL = "normal"
    URGENT = "urgent"


class TicketState(str, Enum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REFERRED = "referred"
    REJECTED = "rejected"
    REOPENED = "reopened"


COMPLAINT_INTENT_PREFIX = "complaint_"

# Categories handled by factory supervision (the rule in the taxonomy).
FACTORY_CATEGORIES: frozenset[Category] = frozenset(
    {
        Category.ODOR,
        Category.NOISE,
        Category.WASTEWATER,
        Category.AIR_POLLUTION,
        Category.INDUSTRIAL_WASTE,
        Category.HAZARD,
        Category.UNLICENSED_FACTORY,
    }
)

# Categories whose place matters, so the bot asks for the province.
PLACE_BOUND_CATEGORIES: frozenset[Category] = FACTORY_CATEGORIES | {
    Category.MINING,
    Category.SUGARCANE,
}

CATEGORY_NAMES_TH: dict[Category, str] = {
    Category.ODOR: "กลิ่นเหม็น กลิ่นสารเคมี",
    Category.NOISE: "เสียงดัง แรงสั่นสะเทือน",
    Category.WASTEWATER: "น้ำเสีย",
    Category.AIR_POLLUTION: "ฝุ่น ควัน เขม่า",
    Category.INDUSTRIAL_WASTE: "ลักลอบทิ้งกากอุตสาหกรรม",
    Category.HAZARD: "อันตราย อุบัติภัย",
    Category.UNLICENSED_FACTORY: "โรงงานไม่มีใบอนุญาต",
    Category.MINING: "เหมืองแร่ โรงโม่หิน",
    Category.PRODUCT_STANDARD: "สินค้าไม่ได้มาตรฐาน มอก.",
    Category.SUGARCANE: "เผาอ้อย โรงงานน้ำตาล",
    Category.BUSINESS_SUPPORT: "ปัญหาการส่งเสริม SMEs วิสาหกิจชุมชน",
    Category.CORRUPTION: "ทุจริต ประพฤติมิชอบ",
    Category.SERVICE: "การให้บริการของหน่วยงาน",
    Category.OTHER: "เรื่องอื่น ๆ",
}

STATE_NAMES_TH: dict[TicketState, str] = {
    TicketState.NEW: "รับเรื่องแล้ว รอเจ้าหน้าที่ตรวจสอบ",
    TicketState.ACKNOWLEDGED: "เจ้าหน้าที่รับทราบแล้ว",
    TicketState.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    TicketState.RESOLVED: "ดำเนินการแก้ไขแล้ว",
    TicketState.CLOSED: "ปิดเรื่องแล้ว",
    TicketState.REFERRED: "ส่งต่อหน่วยงานอื่นแล้ว",
    TicketState.REJECTED: "ไม่รับเป็นเรื่องร้องเรียน",
    TicketState.REOPENED: "เปิดเรื่องใหม่อีกครั้ง",
}


@dataclass(frozen=True)
class Agency:
    code: str
    name_en: str
    name_th: str


CENTRAL_AGENCIES: dict[str, Agency] = {
    a.code: a
    for a in (
        Agency("DIW", "Department of Industrial Works", "กรมโรงงานอุตสาหกรรม (กรอ.)"),
        Agency(
            "IEAT",
            "Industrial Estate Authority of Thailand",
            "การนิคมอุตสาหกรรมแห่งประเทศไทย (กนอ.)",
        ),
        Agency(
            "DPIM",
            "Department of Primary Industries and Mines",
            "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่ (กพร.)",
        ),
        Agency(
            "TISI",
            "Thai Industrial Standards Institute",
            "สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม (สมอ.)",
        ),
        Agency(
            "OCSB",
            "Office of the Cane and Sugar Board",
            "สำนักงานคณะกรรมการอ้อยและน้ำตาลทราย (สอน.)",
        ),
        Agency("DIPROM", "Department of Industrial Promotion", "กรมส่งเสริมอุตสาหกรรม (กสอ.)"),
        Agency(
            "ACOC",
            "Anti-Corruption Operation Center, Ministry of Industry",
            "ศูนย์ปฏิบัติการต่อต้านการทุจริต กระทรวงอุตสาหกรรม (ศปท.)",
        ),
        Agency(
            "OPS",
            "Office of the Permanent Secretary, central complaint unit",
            "สำนักงานปลัดกระทรวงอุตสาหกรรม (สป.อก.)",
        ),
    )
}

# Categories with a fixed agency (everything not under factory supervision).
FIXED_AGENCY: dict[Category, str] = {
    Category.MINING: "DPIM",
    Category.PRODUCT_STANDARD: "TISI",
    Category.SUGARCANE: "OCSB",
    Category.BUSINESS_SUPPORT: "DIPROM",
    Category.CORRUPTION: "ACOC",
    Category.SERVICE: "OPS",
    Category.OTHER: "OPS",
}

CONFIDENTIAL_CATEGORIES: frozenset[Category] = frozenset({Category.CORRUPTION})
URGENT_CATEGORIES: frozenset[Category] = frozenset({Category.HAZARD})


def category_from_intent(intent: str | None) -> Category | None:
    """``complaint_odor`` → ``Category.ODOR``; anything else → None."""
    if not intent or not intent.startswith(COMPLAINT_INTENT_PREFIX):
        return None
    try:
        return Category(intent[len(COMPLAINT_INTENT_PREFIX) :])
    except ValueError:
        return None


def complaint_intents() -> list[str]:
    return [COMPLAINT_INTENT_PREFIX + c.value for c in Category if c is not Category.OTHER]
