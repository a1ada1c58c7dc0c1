"""Matching complaints to registered factories: names, places, the loaded registry."""

from __future__ import annotations

import time

import pytest

from cases.db import make_engine, make_session_factory
from cases.registry.demo import demo_csv, generate
from cases.registry.importer import import_csv_text
from cases.registry.matching import FactoryIndex, FactoryRecord, load_index
from cases.registry.numbers import canonical_registration_number
from tests.support.registry import COMPLAINT, citizen_location, mahachai_ice_factory, registration_number


def _record(i, name, province="สมุทรสาคร", lat=None, lon=None, business=None, district=None, subdistrict=None):  # type: ignore[no-untyped-def]
    return FactoryRecord(i, f"3-89-{i}/50สค", name, business, None, subdistrict, district, province, lat, lon)


@pytest.fixture(scope="module")
def demo_index() -> FactoryIndex:
    return FactoryIndex(
        FactoryRecord(
            i,
            canonical_registration_number(f.registration_number),
            f.name,
            f.business,
            f.address,
            f.subdistrict,
            f.district,
            f.province,
            f.latitude,
            f.longitude,
        )
        for i, f in enumerate(generate(3000), start=1)
    )


def test_a_name_is_found_whatever_legal_form_spacing_or_digits():
    index = FactoryIndex(
        [
            _record(1, "บริษัท น้ำแข็งมหาชัย 2 จำกัด"),
            _record(2, "บริษัท สยามพลาสติก จำกัด (มหาชน)"),
            _record(3, "ห้างหุ้นส่วนจำกัด เจริญผลอาหารทะเล"),
        ]
    )
    for text, expected in (("บจก.น้ำแข็ง มหาชัย ๒", 1), ("สยาม พลาสติก มหาชน", 2), ("หจก เจริญผล อาหารทะเล", 3)):
        assert index.match(text=text)[0].factory.id == expected, text


def test_a_misspelled_name_is_still_first():
    index = FactoryIndex(
        [_record(1, "ห้างหุ้นส่วนจำกัด ศรีสมบูรณ์พลาสติก"), _record(2, "บริษัท ศรีไทยเหล็กกล้า จำกัด"), _record(3, "โรงน้ำแข็งเจริญผล")]
    )
    assert index.match(text="ศรีสมบูนพาสติก")[0].factory.id == 1
    assert index.match(text="โรงน้ำแข็งเจิรญผล")[0].factory.id == 3


def test_the_location_decides_between_two_factories_of_one_name():
    index = FactoryIndex(
        [
            _record(1, "โรงน้ำแข็งเจริญผล", lat=13.547, lon=100.274),
            _record(2, "โรงน้ำแข็งเจริญผล", lat=14.9, lon=102.1),
        ]
    )
    assert index.match(text="โรงน้ำแข็งเจริญผล", latitude=14.901, longitude=102.101)[0].factory.id == 2
    assert index.match(text="โรงน้ำแข็งเจริญผล", latitude=13.548, longitude=100.275)[0].factory.id == 1


def test_a_location_alone_offers_the_nearest_and_business_words_pick_among_neighbours():
    index = FactoryIndex(
        [
            _record(1, "บริษัท สยามพลาสติก จำกัด", lat=13.5470, lon=100.2740, business="ผลิตผลิตภัณฑ์พลาสติก"),
            _record(2, "ห้างหุ้นส่วนจำกัด เจริญผล", lat=13.5500, lon=100.2760, business="ผลิตน้ำแข็งซอง น้ำแข็งหลอด"),
            _record(3, "บริษัท ไกลมาก จำกัด", lat=14.0, lon=100.5),
        ]
    )
    nearest = index.match(latitude=13.5471, longitude=100.2741)
    assert [c.factory.id for c in nearest] == [1, 2]
    assert nearest[0].distance_km < 0.05
    ice = index.match(text="โรงงานน้ำแข็งส่งกลิ่นแอมโมเนีย", latitude=13.5480, longitude=100.2748)
    assert ice[0].factory.id == 2


def test_province_and_district_alone_list_that_area():
    index = FactoryIndex([_record(1, "โรงงานหนึ่ง", district="บ้านแพ้ว"), _record(2, "โรงงานสอง", province="ชลบุรี")])
    assert [c.factory.id for c in index.match(province="สมุทรสาคร", district="บ้านแพ้ว")] == [1]
    assert index.match(text="") == [] and index.match() == []


def test_the_ice_factory_in_mahachai_is_offered_among_the_first_three(demo_index):
    ice = mahachai_ice_factory()  # the demo registry's working ice factory in ตำบลมหาชัย
    latitude, longitude = citizen_location(ice)
    found = demo_index.match(text=COMPLAINT, latitude=latitude, longitude=longitude, province="สมุทรสาคร")
    assert registration_number(ice) in [c.factory.registration_number for c in found[:3]]


def test_the_demo_registry_clusters_a_provinces_typical_industry():
    factories = list(generate(3000))
    samut_sakhon = [f for f in factories if f.province == "สมุทรสาคร"]
    share = sum(f.product in ("อาหารทะเล", "ห้องเย็น", "น้ำแข็ง", "ปลาป่น") for f in samut_sakhon) / len(samut_sakhon)
    elsewhere = [f for f in factories if f.province == "ปทุมธานี"]
    share_elsewhere = sum(f.product in ("อาหารทะเล", "ห้องเย็น", "น้ำแข็ง", "ปลาป่น") for f in elsewhere) / len(elsewhere)
    assert share > 0.4 and share_elsewhere < 0.25, (share, share_elsewhere)
    town = [f for f in factories if f.subdistrict == "มหาชัย" and f.latitude is not None]
    assert town and all(abs(f.latitude - 13.547) < 0.05 and abs(f.longitude - 100.274) < 0.05 for f in town)


def test_matching_is_fast_on_the_demo_registry(demo_index):
    start = time.perf_counter()
    for _ in range(20):
        demo_index.match(text="ยูเนี่ยน ซีฟู้ด", province="สมุทรสาคร")
    assert (time.perf_counter() - start) / 20 < 0.2  # generous: the benchmark measures the real figure


def test_the_index_loads_the_imported_registry(database_url):
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        import_csv_text(session, demo_csv(500))
    with make_session_factory(engine)() as session:
        index = load_index(session)
    assert len(index) == 500
    first = next(iter(generate(1)))
    found = index.match(text=first.name, province=first.province)
    assert found[0].factory.registration_number == canonical_registration_number(first.registration_number)


def test_words_that_fit_no_registered_factory_are_offered_nothing():
    index = FactoryIndex(
        [
            _record(1, "โรงน้ำแข็งเจริญผล", lat=13.547, lon=100.274, business="ผลิตน้ำแข็งซอง น้ำแข็งหลอด"),
            _record(2, "บริษัท สยามพลาสติก จำกัด", province="ชลบุรี", business="ผลิตผลิตภัณฑ์พลาสติก"),
        ]
    )
    assert index.match(text="หจก.ทองคำปลาป่น") == []  # nothing like it is registered
    # An ice factory 600 km from the citizen (in Nan) is no answer either: the threshold decides.
    far = {"text": "โรงงานน้ำแข็งแถวน่านส่งกลิ่นเหม็น", "latitude": 18.78, "longitude": 100.78}
    assert index.match(**far) == []
    assert [c.factory.id for c in index.match(**far, min_score=0.0)] == [1]
    # The province the complaint gives weighs against a like name elsewhere.
    elsewhere = index.match(text="สยามพลาสติก", province="สมุทรสาคร", min_score=0.0)[0]
    there = index.match(text="สยามพลาสติก", province="ชลบุรี", min_score=0.0)[0]
    assert elsewhere.factory.id == there.factory.id == 2 and elsewhere.score < there.score
