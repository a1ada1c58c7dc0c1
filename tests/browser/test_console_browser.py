"""an officer on a phone resolves an overdue ticket; the citizen hears on LINE."""

import httpx
import pytest

from tests.browser.conftest import CITIZEN, SCREENSHOTS, load_ms
from tests.cases.factories import PASSWORD

pytestmark = pytest.mark.browser


def _pushes(stack):  # type: ignore[no-untyped-def]
    body = httpx.get(f"{stack.fake_line_url}/_fake/messages", params={"user_id": CITIZEN}).json()
    return [d["payload"] for d in body["messages"] if d["kind"] == "push"]


def test_officer_on_a_phone_resolves_an_overdue_ticket_and_the_citizen_is_told(stack, phone):
    timings = {}
    phone.goto(f"{stack.url}/console")
    assert phone.url.startswith(f"{stack.url}/console/login")
    phone.get_by_label("ชื่อผู้ใช้").fill("cbi-officer")
    phone.get_by_label("รหัสผ่าน").fill(PASSWORD)
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    phone.wait_for_url(f"{stack.url}/console")
    timings["list"] = load_ms(phone)
    assert phone.locator(".ticket").count() == 4  # CBI's four; CMI's is not shown
    assert stack.other not in phone.content()

    phone.get_by_label("เฉพาะเรื่องเกินกำหนด").check()
    phone.get_by_role("button", name="กรอง").click()
    phone.wait_for_url("**overdue=1**")
    tickets = phone.locator(".ticket")
    assert tickets.count() == 1 and "เกินกำหนด" in tickets.first.inner_text()

    tickets.first.get_by_role("link").click()
    phone.wait_for_url(f"**/console/tickets/{stack.overdue}")
    timings["ticket"] = load_ms(phone)
    assert "ยางไหม้" in phone.locator(".description").inner_text()
    phone.get_by_label("เปลี่ยนสถานะเป็น").select_option("resolved")
    phone.get_by_label("บันทึก (แจ้งผู้ร้องด้วย)").fill("ลงพื้นที่แล้ว สั่งปรับปรุงระบบบำบัดกลิ่น")
    phone.get_by_role("button", name="บันทึกสถานะ").click()
    phone.wait_for_url("**msg=state_notified")
    assert phone.locator("#state").inner_text() == "แก้ไขแล้ว"
    assert "สั่งปรับปรุงระบบบำบัดกลิ่น" in phone.locator(".history").inner_text()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "ticket-phone.png"), full_page=True)

    [push] = _pushes(stack)
    text = push["messages"][0]["text"]
    assert stack.overdue in text and "สั่งปรับปรุงระบบบำบัดกลิ่น" in text

    phone.get_by_role("link", name="แดชบอร์ด").click()
    phone.wait_for_selector("body[data-charts=ready]")
    timings["dashboard"] = load_ms(phone)
    assert "บริษัท ยางไทย จำกัด" in phone.locator("#subject-hotspots").inner_text()
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-phone.png"), full_page=True)
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-desktop.png"), full_page=True)
    print("page load (ms, loopback): " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    assert all(v < 3000 for v in timings.values()), timings
