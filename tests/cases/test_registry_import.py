"""The factory registry: registration numbers, name keys, the idempotent CSV import, the demo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cases.db import make_engine, make_session_factory
from cases.registry.demo import demo_csv, generate
from cases.registry.importer import RegistryFileError, decode, import_csv_text
from cases.registry.models import Factory
from cases.registry.names import name_key
from cases.registry.numbers import RegistrationNumberError, canonical_registration_number

HEADER = "เลขทะเบียนโรงงาน,ชื่อโรงงาน,ประกอบกิจการ,ลำดับประเภท,ที่ตั้ง,ตำบล,อำเภอ,จังหวัด,ละติจูด,ลองจิจูด,สถานะ\n"


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("3-105-1/50ชบ", "3-105-1/50ชบ"),
        (" ๓-๑๐๕-๑/๕๐ชบ ", "3-105-1/50ชบ"),
        ("จ3-53(5)-012/45สค", "จ3-53(5)-12/45สค"),
        ("10200100125431", "10200100125431"),
        ("1-0200-10012-5431", "10200100125431"),
        ("๑๐๒๐๐๑๐๐๑๒๕๔๓๑", "10200100125431"),
    ],
)
def test_both_forms_of_registration_number_are_canonical(raw, canonical):
    assert canonical_registration_number(raw) == canonical


@pytest.mark.parametrize("raw", ["", "1234", "102001001254311", "ABC-1/2", "3-105/50ชบ"])
def test_a_malformed_registration_number_is_refused(raw):
    with pytest.raises(RegistrationNumberError):
        canonical_registration_number(raw)


def test_legal_forms_spacing_and_digits_do_not_change_the_name_key():
    keys = {
        name_key(n)
        for n in (
            "บริษัท น้ำแข็งมหาชัย 2 จำกัด",
            "บจก.น้ำแข็ง มหาชัย ๒",
            "น้ำแข็งมหาชัย2 จำกัด (มหาชน)",
            "บริษัทน้ำแข็งมหาชัย ๒ จำกัด(มหาชน)",
            "ห้างหุ้นส่วนจำกัด น้ำแข็งมหาชัย 2",
            "หจก. น้ำแข็งมหาชัย 2",
        )
    }
    assert keys == {"น้ำแข็งมหาชัย2"}
    assert name_key("Siam Steel Co., Ltd.") == "siamsteel"


def _factories(url):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        return {f.registration_number: f for f in session.scalars(select(Factory))}


def _import(url, text):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        return import_csv_text(session, text)


def test_import_reports_bad_rows_by_line_and_imports_the_rest(database_url):
    text = HEADER + (
        "3-105-1/50ชบ,บริษัท รีไซเคิลบ้านบึง จำกัด,คัดแยกวัสดุ,105,เลขที่ 1,หนองชาก,บ้านบึง,ชลบุรี,13.31,101.10,ประกอบกิจการ\n"
        "10890300000365,โรงน้ำแข็งเจริญผล,ผลิตน้ำแข็ง,89,,มหาชัย,เมืองสมุทรสาคร,จ.สมุทรสาคร,,,หยุดประกอบกิจการชั่วคราว\n"
        "12-34,ไม่มีเลข,,,,,,ชลบุรี,,,\n"  # line 4: bad number
        "3-89-2/50สค,,,,,,,สมุทรสาคร,,,\n"  # line 5: no name
        "3-89-3/50สค,โรงน้ำแข็งใหม่,,,,,,เมืองสมมติ,,,\n"  # line 6: province
        "3-89-4/50สค,โรงน้ำแข็งใหม่,,,,,,สมุทรสาคร,135.4,100.2,\n"  # line 7: latitude
        "3-89-5/50สค,โรงน้ำแข็งใหม่,,,,,,สมุทรสาคร,13.5,,\n"  # line 8: half a point
        "3-89-6/50สค,โรงน้ำแข็งใหม่,,,,,,สมุทรสาคร,,,ขายกิจการ\n"  # line 9: licence state
        "๓-๑๐๕-๑/๕๐ชบ,ซ้ำ,,,,,,ชลบุรี,,,\n"  # line 10: repeats line 2
    )
    report = _import(database_url, text)
    assert (report.inserted, report.updated) == (2, 0)
    lines = dict(report.errors)
    assert sorted(lines) == [4, 5, 6, 7, 8, 9, 10]
    assert "14 digits" in lines[4] and "name" in lines[5] and "province" in lines[6]
    assert "outside Thailand" in lines[7] and "together" in lines[8] and "licence" in lines[9]
    assert "line 2" in lines[10]
    rows = _factories(database_url)
    ice = rows["10890300000365"]
    assert (ice.province, ice.licence_state, ice.latitude, ice.name_key) == (
        "สมุทรสาคร",
        "suspended",
        None,
        "โรงน้ำแข็งเจริญผล",
    )
    assert rows["3-105-1/50ชบ"].latitude == pytest.approx(13.31)


def test_a_second_import_updates_and_never_duplicates(database_url):
    first = _import(database_url, demo_csv(300))
    assert first.inserted == 300 and not first.errors
    again = _import(database_url, demo_csv(300))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 300)
    one = next(iter(generate(1)))
    changed = (
        HEADER
        + f"{one.registration_number},{one.name},{one.business},{one.category_code},ย้ายที่อยู่แล้ว,{one.subdistrict},{one.district},{one.province},,,เลิกกิจการ\n"
    )
    report = _import(database_url, changed)
    assert (report.inserted, report.updated) == (0, 1)
    rows = _factories(database_url)
    assert len(rows) == 300
    moved = rows[canonical_registration_number(one.registration_number)]
    assert (moved.address, moved.licence_state) == ("ย้ายที่อยู่แล้ว", "closed")


def test_a_file_without_the_required_columns_is_refused_whole(database_url):
    with pytest.raises(RegistryFileError, match="ชื่อโรงงาน"):
        _import(database_url, "เลขทะเบียนโรงงาน,จังหวัด\n3-105-1/50ชบ,ชลบุรี\n")


def test_a_tis620_file_is_read():
    text = HEADER + "3-105-1/50ชบ,โรงงานทดสอบ,,,,,,ชลบุรี,,,\n"
    assert decode(text.encode("cp874")) == text


def test_the_demo_registry_is_realistic_and_deterministic():
    factories = list(generate(3000))
    assert [f.registration_number for f in factories[:50]] == [f.registration_number for f in generate(50)]
    assert len({f.registration_number for f in factories}) == 3000
    assert len({f.province for f in factories}) >= 20
    assert sum(1 for f in factories if f.industrial_estate) > 300
    styles = ("บริษัท ", "ห้างหุ้นส่วนจำกัด ", "โรง")
    assert all(any(f.name.startswith(s) for s in styles) for f in factories)
    assert any("(มหาชน)" in f.name for f in factories) and any("(ประเทศไทย)" in f.name for f in factories)
    assert any("/" in f.registration_number for f in factories)
    assert any(f.registration_number.isdigit() for f in factories)


def test_make_import_registry_imports_a_file(tmp_path: Path, new_sqlite_database):
    url = new_sqlite_database("reg.db")
    path = tmp_path / "factories.csv"
    path.write_text(demo_csv(50) + "bad,row,,,,,,ชลบุรี,,,\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    for expected in ("50 added", "0 added, 0 updated, 50 unchanged"):
        done = subprocess.run(
            [
                "make",
                "-s",
                "--no-print-directory",
                "-o",
                "setup",
                "import-registry",
                f"FILE={path}",
            ],  # environments as they are
            cwd=root,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert expected in done.stdout
        assert ":52: skipped:" in done.stderr
    assert len(_factories(url)) == 50


def test_make_seed_links_some_factory_tickets_to_a_factory_of_their_province(new_sqlite_database):
    from cases.models import Ticket
    from cases.registry.demo import link_demo_tickets
    from cases.seed import seed

    url = new_sqlite_database("seed.db")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seed(sessions, tickets=400)
    with sessions.begin() as session:
        import_csv_text(session, demo_csv(1000))
        linked = link_demo_tickets(session)
    with sessions() as session:
        rows = session.execute(
            select(Ticket.province, Factory.province, Ticket.subject_type).join(
                Factory, Factory.id == Ticket.factory_id
            )
        ).all()
    assert linked == len(rows) > 30
    assert all(t == f and kind == "factory" for t, f, kind in rows)
    with sessions() as session:
        session_counts = dict(
            session.execute(
                select(Ticket.factory_id, func.count())
                .where(Ticket.factory_id.is_not(None))
                .group_by(Ticket.factory_id)
            ).all()
        )
    assert max(session_counts.values()) >= 3  # some repeat offenders for the dashboard
    engine.dispose()
