"""The authorization matrix as one table: every role against every officer endpoint.

Rows are endpoints, columns are callers. ``OK`` means the caller got past the access
rules (any answer but 401/403/404); a number is the exact denial. A forbidden ticket
answers 404, like a missing one, so its existence is not revealed. Corruption (ACOC)
tickets are visible to ACOC accounts only, administrators included in the refusal.
Runs on SQLite and PostgreSQL (the ``console`` fixture).
"""

from __future__ import annotations

from cases.accounts import Role
from tests.cases.factories import officer

OK = "ok"
DENIED = {401, 403, 404}
ROLES = ["anonymous", "cbi-officer", "cbi-super", "cmi-officer", "admin", "acoc-officer", "trainer"]


def _matrix(w, ids):
    """(method, path, body, {role: expected}); rows that change a ticket come last."""
    every = lambda value: {r: value for r in ROLES[1:]}  # noqa: E731
    return [
        ("GET", "/api/auth/me", None, every(OK)),
        ("GET", "/api/tickets", None, every(OK)),
        ("GET", "/api/tickets/export.csv", None, every(OK)),
        (
            "GET",
            f"/api/tickets/{w.cbi}",
            None,
            {"cbi-officer": OK, "cbi-super": OK, "cmi-officer": 404, "admin": OK, "acoc-officer": 404, "trainer": 404},
        ),
        (
            "GET",
            f"/api/tickets/{w.cbi}/evidence",
            None,
            {"cbi-officer": OK, "cbi-super": OK, "cmi-officer": 404, "admin": OK, "acoc-officer": 404, "trainer": 404},
        ),
        (
            "GET",
            f"/api/tickets/{w.cmi}",
            None,
            {"cbi-officer": 404, "cbi-super": 404, "cmi-officer": OK, "admin": OK, "acoc-officer": 404, "trainer": 404},
        ),
        # ACOC confidentiality: nobody outside ACOC, administrators included.
        (
            "GET",
            f"/api/tickets/{w.bribe}",
            None,
            {
                "cbi-officer": 404,
                "cbi-super": 404,
                "cmi-officer": 404,
                "admin": 404,
                "acoc-officer": OK,
                "trainer": 404,
            },
        ),
        (
            "GET",
            f"/api/tickets/{w.bribe}/evidence",
            None,
            {
                "cbi-officer": 404,
                "cbi-super": 404,
                "cmi-officer": 404,
                "admin": 404,
                "acoc-officer": OK,
                "trainer": 404,
            },
        ),
        (
            "POST",
            f"/api/tickets/{w.bribe}/reply",
            {"text": "สวัสดีค่ะ"},
            {
                "cbi-officer": 404,
                "cbi-super": 404,
                "cmi-officer": 404,
                "admin": 404,
                "acoc-officer": OK,
                "trainer": 404,
            },
        ),
        (
            "POST",
            f"/api/tickets/{w.bribe}/state",
            {"state": "acknowledged"},
            {
                "cbi-officer": 404,
                "cbi-super": 404,
                "cmi-officer": 404,
                "admin": 404,
                "acoc-officer": OK,
                "trainer": 404,
            },
        ),
        (
            "POST",
            f"/api/tickets/{w.bribe}/assign",
            {"officer_id": ids["acoc-officer"]},
            {
                "cbi-officer": 403,
                "cbi-super": 404,
                "cmi-officer": 403,
                "admin": 404,
                "acoc-officer": 403,
                "trainer": 403,
            },
        ),
        (
            "GET",
            "/api/officers",
            None,
            {"cbi-officer": 403, "cbi-super": OK, "cmi-officer": 403, "admin": OK, "acoc-officer": 403, "trainer": 403},
        ),
        (
            "POST",
            "/api/officers",
            {"username": "new-one", "password": "a long enough password", "agency": "PIO-CBI", "role": "officer"},
            {
                "cbi-officer": 403,
                "cbi-super": 403,
                "cmi-officer": 403,
                "admin": OK,
                "acoc-officer": 403,
                "trainer": 403,
            },
        ),
        (
            "GET",
            "/api/review",
            None,
            {"cbi-officer": 403, "cbi-super": 403, "cmi-officer": 403, "admin": OK, "acoc-officer": 403, "trainer": OK},
        ),
        (
            "POST",
            f"/api/tickets/{w.cbi}/reply",
            {"text": "ได้รับเรื่องแล้วค่ะ"},
            {"cbi-officer": OK, "cbi-super": OK, "cmi-officer": 404, "admin": OK, "acoc-officer": 404, "trainer": 404},
        ),
        (
            "POST",
            f"/api/tickets/{w.cbi}/state",
            {"state": "acknowledged"},
            {"cbi-officer": OK, "cbi-super": OK, "cmi-officer": 404, "admin": OK, "acoc-officer": 404, "trainer": 404},
        ),
        (
            "POST",
            f"/api/tickets/{w.cbi}/assign",
            {"officer_id": ids["cbi-officer"]},
            {"cbi-officer": 403, "cbi-super": OK, "cmi-officer": 403, "admin": OK, "acoc-officer": 403, "trainer": 403},
        ),
        # Recategorising re-routes: supervisors and administrators; corruption stays ACOC's.
        (
            "POST",
            f"/api/tickets/{w.bribe}/recategorise",
            {"category": "service", "reason": "ล่าช้า"},
            {
                "cbi-officer": 403,
                "cbi-super": 404,
                "cmi-officer": 403,
                "admin": 404,
                "acoc-officer": 403,
                "trainer": 403,
            },
        ),
        (
            "POST",
            f"/api/tickets/{w.cmi}/recategorise",
            {"category": "noise", "reason": "เสียงเครื่องจักร"},
            {
                "cbi-officer": 403,
                "cbi-super": 404,
                "cmi-officer": 403,
                "admin": OK,
                "acoc-officer": 403,
                "trainer": 403,
            },
        ),
        (
            "POST",
            f"/api/tickets/{w.fire}/reroute",
            {"agency": "DIW", "reason": "โรงงานจำพวก 3"},
            {"cbi-officer": 403, "cbi-super": OK, "cmi-officer": 403, "admin": OK, "acoc-officer": 403, "trainer": 403},
        ),
    ]


def test_the_authorization_matrix(console, world):
    with console.sessions.begin() as s:
        officer(s, "trainer", "OPS", Role.TRAINER)
    headers = {"anonymous": {}} | {role: console.login(role) for role in ROLES[1:]}
    ids = {role: console.client.get("/api/auth/me", headers=headers[role]).json()["id"] for role in ROLES[1:]}
    mismatches = []
    for method, path, body, expected in _matrix(world, ids):
        expected = {"anonymous": 401} | expected
        assert set(expected) == set(ROLES), path
        for role in ROLES:
            status = console.client.request(method, path, headers=headers[role], json=body).status_code
            want = expected[role]
            if (want == OK and status in DENIED) or (want != OK and status != want):
                mismatches.append(f"{role:13} {method} {path}: got {status}, want {want}")
    assert mismatches == []


def test_lists_and_exports_never_show_acoc_tickets_outside_acoc(console, world):
    for role in ROLES[1:-1]:
        headers = console.login(role) if role != "trainer" else None
        listed = {t["tracking_number"] for t in console.client.get("/api/tickets", headers=headers).json()["items"]}
        exported = console.client.get("/api/tickets/export.csv", headers=headers).text
        if role == "acoc-officer":
            assert listed == {world.bribe} and world.bribe in exported
        else:
            assert world.bribe not in listed and world.bribe not in exported, role
    opened = console.client.get("/open311/v2/requests.json").text
    assert world.bribe not in opened
    assert console.client.get(f"/open311/v2/requests/{world.bribe}.json").status_code == 404
