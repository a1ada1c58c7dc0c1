import pytest

from cases.agencies import all_agencies, get_agency
from cases.routing import route, route_agency
from cases.taxonomy import FACTORY_CATEGORIES, Category, Priority, SubjectType


@pytest.mark.parametrize("category", sorted(FACTORY_CATEGORIES, key=lambda c: c.value))
def test_factory_category_in_an_industrial_estate_goes_to_ieat(category):
    assert route_agency(category, "ระยอง", "นิคมอุตสาหกรรมมาบตาพุด") == "IEAT"


@pytest.mark.parametrize("bangkok", ["กรุงเทพมหานคร", "กทม", "กทม.", "กรุงเทพฯ", "Bangkok"])
def test_factory_category_in_bangkok_goes_to_diw(bangkok):
    assert route_agency(Category.ODOR, bangkok) == "DIW"


@pytest.mark.parametrize(
    ("province", "agency"),
    [("ชลบุรี", "PIO-CBI"), ("จังหวัดระยอง", "PIO-RYG"), ("โคราช", "PIO-NMA"), ("อยุธยา", "PIO-AYA")],
)
def test_factory_category_elsewhere_goes_to_the_provincial_office(province, agency):
    assert route_agency(Category.WASTEWATER, province) == agency


def test_factory_category_without_a_province_goes_to_ops_for_triage():
    assert route_agency(Category.NOISE, None) == "OPS"
    assert route_agency(Category.NOISE, "ดาวอังคาร") == "OPS"


def test_factory_category_about_a_mine_goes_to_dpim():
    assert route_agency(Category.AIR_POLLUTION, "สระบุรี", subject_type=SubjectType.MINE) == "DPIM"


@pytest.mark.parametrize(
    ("category", "agency"),
    [
        (Category.MINING, "DPIM"),
        (Category.PRODUCT_STANDARD, "TISI"),
        (Category.SUGARCANE, "OCSB"),
        (Category.BUSINESS_SUPPORT, "DIPROM"),
        (Category.CORRUPTION, "ACOC"),
        (Category.SERVICE, "OPS"),
        (Category.OTHER, "OPS"),
    ],
)
def test_other_categories_have_a_fixed_agency_whatever_the_place(category, agency):
    assert route_agency(category, "ชลบุรี") == agency
    assert route_agency(category, None, "นิคมอุตสาหกรรมบางปู") == agency


def test_hazard_is_urgent_and_corruption_confidential():
    assert route(Category.HAZARD, "ระยอง").priority is Priority.URGENT
    assert route(Category.ODOR, "ระยอง").priority is Priority.NORMAL
    assert route(Category.CORRUPTION).confidential is True
    assert route(Category.SERVICE).confidential is False


def test_every_province_has_exactly_one_provincial_office():
    offices = [a for a in all_agencies() if a.code.startswith("PIO-")]
    assert len(offices) == 77
    assert len({a.code for a in offices}) == 77
    assert get_agency("PIO-CBI").name_th.startswith("สำนักงานอุตสาหกรรมจังหวัดชลบุรี")
    assert get_agency("PIO-XXX") is None
