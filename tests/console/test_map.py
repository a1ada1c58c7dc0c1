"""The map's data (SQLite and PostgreSQL): the list's visibility and filters, tickets placed
at their location or their factory, no personal data; every file served by the app."""

from cases.registry.importer import import_csv_text
from cases.registry.links import factory_by_number, link_factory
from tests.cases.factories import ticket
from tests.console.conftest import CITIZEN
from tests.console.test_pages import page_login

REGISTRY = "เลขทะเบียนโรงงาน,ชื่อโรงงาน,จังหวัด,ละติจูด,ลองจิจูด\n3-52(1)-7/45ชบ,บริษัท ยางไทย จำกัด,ชลบุรี,13.31,101.10\n"


def test_map_data_follows_the_list_rules_and_places_tickets(console, world):
    from sqlalchemy import select

    from cases.models import Ticket

    with console.sessions.begin() as s:
        import_csv_text(s, REGISTRY)
        rubber = factory_by_number(s, "3-52(1)-7/45ชบ")
        cbi = s.scalar(select(Ticket).where(Ticket.tracking_number == world.cbi))
        link_factory(s, ticket=cbi, factory=rubber, actor="test")  # placed at its factory
        located = ticket(s, latitude=13.36, longitude=100.98, line_user_id="U" + "d" * 32)
        bribe = s.scalar(select(Ticket).where(Ticket.tracking_number == world.bribe))
        bribe.latitude, bribe.longitude = 13.4, 100.9
        located_number = located.tracking_number
    page_login(console, "cbi-officer")
    body = console.client.get("/console/map/data.json").json()
    points = {t["n"]: t for t in body["tickets"]}
    assert set(points) == {world.cbi, located_number}  # fire has no place; CMI's and ACOC's not ours
    assert (points[world.cbi]["lat"], points[world.cbi]["lon"]) == (13.31, 101.10)
    assert (points[located_number]["lat"], points[located_number]["lon"]) == (13.36, 100.98)
    assert body["unplaced"] == 1
    assert [(f["number"], f["count"]) for f in body["factories"]] == [("3-52(1)-7/45ชบ", 1)]
    raw = console.client.get("/console/map/data.json").text
    assert CITIZEN not in raw and "U" + "d" * 32 not in raw and "ทุกคืน" not in raw  # no description
    filtered = console.client.get("/console/map/data.json", params={"category": "hazard"}).json()
    assert filtered["tickets"] == [] and filtered["unplaced"] == 1
    junk = console.client.get("/console/map/data.json", params={"state": "<x>", "province": "x"})
    assert junk.status_code == 200
    page_login(console, "acoc-officer")
    assert [t["n"] for t in console.client.get("/console/map/data.json").json()["tickets"]] == [world.bribe]
    console.client.cookies.clear()
    assert console.client.get("/console/map/data.json", follow_redirects=False).status_code == 303


def test_the_map_page_and_everything_it_loads_come_from_the_app(console, world):
    page_login(console, "cbi-officer")
    html = console.client.get("/console/map").text
    assert 'id="map"' in html and "http://" not in html.replace("http://www.w3.org", "")
    import re

    for path in re.findall(r'(?:src|href|data-outlines)="(/console/static/[^"]+)"', html):
        assert console.client.get(path).status_code == 200, path
    assert "https://" not in console.client.get("/console/static/map.js").text
