"""`make run` in simulator mode fills an empty factory registry with the demo one, once."""

from __future__ import annotations

from sqlalchemy import func, select

from cases.db import make_engine, make_session_factory
from cases.registry.importer import import_csv_text
from cases.registry.models import Factory
from tools.run_stack import DEMO_FACTORIES, ensure_demo_registry


def _count(url: str) -> int:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        count = session.scalar(select(func.count(Factory.id))) or 0
    engine.dispose()
    return count


def test_an_empty_registry_gets_the_demo_one_and_a_filled_one_is_left_alone(new_sqlite_database):
    url = new_sqlite_database("run.db")
    assert ensure_demo_registry(url) == DEMO_FACTORIES
    assert ensure_demo_registry(url) == 0 and _count(url) == DEMO_FACTORIES

    other = new_sqlite_database("real.db")
    engine = make_engine(other)
    with make_session_factory(engine).begin() as session:
        import_csv_text(session, "เลขทะเบียนโรงงาน,ชื่อโรงงาน,จังหวัด\n3-89-1/50สค,โรงน้ำแข็งจริง,สมุทรสาคร\n")
    engine.dispose()
    assert ensure_demo_registry(other) == 0 and _count(other) == 1
