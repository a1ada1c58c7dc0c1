"""Open311 GeoReport v2 (SQLite and PostgreSQL): no personal data, no confidential tickets."""

import pytest

from tests.console.conftest import CITIZEN, make_console


@pytest.fixture
def open311(database_url, fake_line_url, tracker_url, domain_file):
    for console in make_console(database_url, fake_line_url, tracker_url, OPEN311_API_KEYS="k1"):
        yield console


def test_services_exclude_corruption(console):
    codes = {s["service_code"] for s in console.client.get("/open311/v2/services.json").json()}
    assert "odor" in codes and "corruption" not in codes


def test_requests_hide_personal_data_and_confidential(console, world):
    body = console.client.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in body} == {world.cbi, world.cmi, world.fire}
    assert CITIZEN not in str(body) and "ไฟไหม้โกดัง" not in str(body)
    one = console.client.get(f"/open311/v2/requests/{world.cbi}.json").json()
    assert one[0]["status"] == "open" and one[0]["agency_responsible"] == "PIO-CBI"
    assert console.client.get(f"/open311/v2/requests/{world.bribe}.json").status_code == 404
    ids = f"{world.bribe},{world.cmi}"
    assert [
        r["service_request_id"]
        for r in console.client.get("/open311/v2/requests.json", params={"service_request_id": ids}).json()
    ] == [world.cmi]
    assert console.client.get("/open311/v2/requests.json", params={"status": "closed"}).json() == []
    assert len(console.client.get("/open311/v2/requests.json", params={"service_code": "hazard"}).json()) == 1


def test_post_needs_a_key_and_files_a_routed_ticket(open311):
    form = {"service_code": "odor", "description": "กลิ่นเหม็นจากโรงงาน", "province": "ชลบุรี"}
    assert open311.client.post("/open311/v2/requests.json", data={**form, "api_key": "bad"}).status_code == 403
    created = open311.client.post("/open311/v2/requests.json", data={**form, "api_key": "k1"})
    assert created.status_code == 201
    number = created.json()[0]["service_request_id"]
    shown = open311.client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert shown["agency_responsible"] == "PIO-CBI"
    bribe = {**form, "service_code": "corruption", "api_key": "k1"}
    assert open311.client.post("/open311/v2/requests.json", data=bribe).status_code == 400
