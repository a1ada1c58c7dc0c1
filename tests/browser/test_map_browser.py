"""The console map in real headless Chromium with every request outside the app refused:
tickets clustered, the factory marker, popups linking to the ticket and the factory."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from cases.db import make_engine, make_session_factory
from cases.registry.importer import import_csv_text
from cases.registry.links import factory_by_number, link_factory
from cases.accounts import Role
from tests.cases.factories import PASSWORD, officer, ticket

pytestmark = pytest.mark.browser

REGISTRY = (
    "เลขทะเบียนโรงงาน,ชื่อโรงงาน,จังหวัด,อำเภอ,ตำบล,ละติจูด,ลองจิจูด\n"
    "3-89-1149/67สค,บริษัท น้ำแข็งบางกอก จำกัด,สมุทรสาคร,เมืองสมุทรสาคร,มหาชัย,13.52586,100.294057\n"
)


def test_the_map_clusters_tickets_and_shows_the_factory_offline(stack, phone, tmp_path):
    url = f"sqlite:///{tmp_path / 'browser.db'}"  # the stack fixture's database
    engine = make_engine(url)
    with make_session_factory(engine).begin() as s:
        import_csv_text(s, REGISTRY)
        officer(s, "map-admin", "OPS", Role.ADMIN)  # sees every agency's tickets but ACOC's
        ice = factory_by_number(s, "3-89-1149/67สค")
        near = ticket(
            s, province="สมุทรสาคร", description="โรงงานน้ำแข็งแถวมหาชัยส่งกลิ่นแอมโมเนีย", latitude=13.5300, longitude=100.2990
        )
        link_factory(s, ticket=near, factory=ice, actor="test")
        for i in range(12):  # a crowd around Chon Buri: drawn as clusters
            ticket(s, latitude=13.36 + i * 0.001, longitude=100.98 + i * 0.001)
        number = near.tracking_number
        factory_id = ice.id
    engine.dispose()
    outside = []

    def guard(route):  # type: ignore[no-untyped-def]
        host = urlparse(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    phone.route("**/*", guard)
    phone.goto(f"{stack.url}/console/login")
    phone.get_by_label("ชื่อผู้ใช้").fill("map-admin")
    phone.get_by_label("รหัสผ่าน").fill(PASSWORD)
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    phone.wait_for_url(f"{stack.url}/console")
    phone.goto(f"{stack.url}/console/map")
    phone.wait_for_selector("#map[data-ready='1']")
    assert phone.locator(".leaflet-marker-cluster, .marker-cluster").count() >= 1  # the crowd clustered
    assert phone.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() >= 1  # outlines drawn
    # Thailand's 77 provinces, served by the app and drawn over the countries, named on hover.
    phone.wait_for_selector("#map[data-provinces-drawn]")
    assert phone.locator("#map").get_attribute("data-provinces-drawn") == "77"
    assert phone.locator("path.province-outline").count() == 77
    phone.goto(f"{stack.url}/console/map?province=สมุทรสาคร")
    phone.wait_for_selector("#map[data-ready='1']")
    phone.wait_for_selector("#map[data-provinces-drawn]")
    phone.locator("#map").scroll_into_view_if_needed()  # below the filters on a phone
    box = phone.locator("#map").bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    phone.mouse.move(
        box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5
    )  # over the ice factory's province
    assert "สมุทรสาคร" in phone.locator(".leaflet-tooltip").inner_text(timeout=5000)
    phone.goto(f"{stack.url}/console/map")
    phone.wait_for_selector("#map[data-ready='1']")
    phone.locator(".factory-pin").first.click()
    popup = phone.locator(".leaflet-popup-content")
    assert "บริษัท น้ำแข็งบางกอก จำกัด" in popup.inner_text()
    assert popup.get_by_role("link").get_attribute("href") == f"/console/factories/{factory_id}"
    phone.goto(f"{stack.url}/console/map?q=แอมโมเนีย")
    phone.wait_for_selector("#map[data-ready='1']")
    phone.locator(".ticket-pin").first.click()
    assert number in phone.locator(".leaflet-popup-content").inner_text()
    assert outside == []  # nothing fetched from the internet
    phone.locator(".leaflet-popup-content a").first.click()
    phone.wait_for_url(f"**/console/tickets/{number}")
    assert "บริษัท น้ำแข็งบางกอก จำกัด" in phone.locator("#linked-factory").inner_text()
