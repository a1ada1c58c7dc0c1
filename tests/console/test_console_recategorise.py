"""Recategorising a ticket in the officer API and the console page:
supervisors and administrators only, CSRF on the page, corruption only by ACOC, the
trainers' queue fed. SQLite and PostgreSQL (the ``console`` fixture)."""

import re

from sqlalchemy import select

from cases.accounts import Role
from cases.models import ReviewItem
from tests.cases.factories import officer
from tests.console.test_pages import _csrf, page_login


def _queue(console):
    with console.sessions() as s:
        return list(s.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def test_supervisor_recategorises_through_the_api(console, world):
    sup = console.login("cbi-super")
    r = console.client.post(
        f"/api/tickets/{world.cbi}/recategorise", json={"category": "noise", "reason": "เสียงเครื่องจักร"}, headers=sup
    )
    assert r.status_code == 200, r.text
    assert (r.json()["ticket"]["category"], r.json()["ticket"]["agency"]) == ("noise", "PIO-CBI")
    events = console.client.get(f"/api/tickets/{world.cbi}", headers=sup).json()["events"]
    assert (events[-1]["kind"], events[-1]["note"]) == ("recategorise", "odor → noise: เสียงเครื่องจักร")
    [item] = _queue(console)
    assert item.source == "officer_recategorise" and item.corrected_intent == "complaint_noise"
    assert "ยางไทย" not in item.text

    same = console.client.post(
        f"/api/tickets/{world.cbi}/recategorise", json={"category": "noise", "reason": "x"}, headers=sup
    )
    assert same.status_code == 422
    junk = console.client.post(
        f"/api/tickets/{world.cbi}/recategorise", json={"category": "roads", "reason": "x"}, headers=sup
    )
    assert junk.status_code == 422
    plain = console.client.post(
        f"/api/tickets/{world.cbi}/recategorise",
        json={"category": "odor", "reason": "x"},
        headers=console.login("cbi-officer"),
    )
    assert plain.status_code == 403


def test_recategorising_to_another_agency_moves_the_ticket_out_of_scope(console, world):
    sup = console.login("cbi-super")
    r = console.client.post(
        f"/api/tickets/{world.cbi}/recategorise",
        json={"category": "product_standard", "reason": "ปลั๊กพ่วงปลอม"},
        headers=sup,
    )
    assert r.status_code == 200 and r.json()["ticket"]["agency"] == "TISI"
    assert console.client.get(f"/api/tickets/{world.cbi}", headers=sup).status_code == 404


def test_corruption_is_acoc_s_alone(console, world):
    with console.sessions.begin() as s:
        officer(s, "acoc-super", "ACOC", Role.SUPERVISOR)
    admin = console.login("admin")
    into = console.client.post(
        f"/api/tickets/{world.cmi}/recategorise", json={"category": "corruption", "reason": "สินบน"}, headers=admin
    )
    assert into.status_code == 403
    hidden = console.client.post(
        f"/api/tickets/{world.bribe}/recategorise", json={"category": "service", "reason": "x"}, headers=admin
    )
    assert hidden.status_code == 404  # not even visible to an administrator outside ACOC
    acoc = console.login("acoc-super")
    out = console.client.post(
        f"/api/tickets/{world.bribe}/recategorise",
        json={"category": "service", "reason": "เป็นเรื่องบริการล่าช้า"},
        headers=acoc,
    )
    assert out.status_code == 200 and out.json()["ticket"]["agency"] == "OPS"
    assert _queue(console) == []  # corruption never reaches trainers


def test_the_page_form_needs_csrf_and_a_supervisor(console, world):
    page_login(console, "cbi-officer")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    assert "recategorise-form" not in html
    csrf = _csrf(html)
    url = f"/console/tickets/{world.cbi}/recategorise"
    r = console.client.post(url, data={"category": "noise", "reason": "x", "csrf_token": csrf}, follow_redirects=False)
    assert r.headers["location"].endswith("?error=403")

    page_login(console, "cbi-super")
    html = console.client.get(f"/console/tickets/{world.cbi}").text
    form = html[html.index('id="recategorise-form"') :]
    form = form[: form.index("</form>")]
    options = re.findall(r'<option value="(\w+)"', form)
    assert "noise" in options and "odor" not in options and "corruption" not in options
    csrf = _csrf(html)
    assert (
        console.client.post(url, data={"category": "noise", "reason": "x"}, follow_redirects=False).status_code == 403
    )
    bad = console.client.post(
        url, data={"category": "roads", "reason": "x", "csrf_token": csrf}, follow_redirects=False
    )
    assert bad.headers["location"].endswith("?error=422")
    r = console.client.post(
        url, data={"category": "noise", "reason": "เสียงเครื่องจักร", "csrf_token": csrf}, follow_redirects=False
    )
    assert r.headers["location"] == f"/console/tickets/{world.cbi}?msg=recategorise"
    html = console.client.get(r.headers["location"]).text
    assert "เปลี่ยนประเภทเรื่องแล้ว" in html and "เสียงเครื่องจักร" in html
    r = console.client.post(
        url, data={"category": "mining", "reason": "เป็นโรงโม่หิน", "csrf_token": csrf}, follow_redirects=False
    )
    assert r.headers["location"] == "/console?msg=recategorise"  # now DPIM's
    assert console.client.get(f"/console/tickets/{world.cbi}").status_code == 404
