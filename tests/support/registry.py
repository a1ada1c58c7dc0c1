"""The done-when complaint ("an ice factory near Mahachai smells of ammonia") against the demo
registry: which factory it is about is looked up in the generated registry by what the
complaint says (an ice factory, in ตำบลมหาชัย, working, with a location), never written down,
so the tests follow the generator and fail if it stops producing one."""

from __future__ import annotations

import math

from cases.registry.demo import DemoFactory, generate
from cases.registry.numbers import canonical_registration_number

COMPLAINT = "โรงงานน้ำแข็งแถวมหาชัยส่งกลิ่นแอมโมเนีย"
DEMO_SIZE = 3000  # the registry `make seed` imports
CITIZEN_METRES = 150  # how far from the factory the citizen sends their LINE location


def mahachai_ice_factory(count: int = DEMO_SIZE) -> DemoFactory:
    """The first working ice factory of ตำบลมหาชัย (สมุทรสาคร) with a location."""
    found = [
        f
        for f in generate(count)
        if "น้ำแข็ง" in f.business
        and f.subdistrict == "มหาชัย"
        and f.province == "สมุทรสาคร"
        and f.licence == "ประกอบกิจการ"
        and f.latitude is not None
    ]
    assert found, "the demo registry has no working ice factory in ตำบลมหาชัย"
    return found[0]


def registration_number(factory: DemoFactory) -> str:
    return canonical_registration_number(factory.registration_number)


def citizen_location(factory: DemoFactory, metres: float = CITIZEN_METRES) -> tuple[float, float]:
    """A point ``metres`` south-west of the factory: a neighbour's house."""
    assert factory.latitude is not None and factory.longitude is not None
    step = metres / math.sqrt(2) / 1000 / 111.0
    return (
        round(factory.latitude - step, 6),
        round(factory.longitude - step / math.cos(math.radians(factory.latitude)), 6),
    )
