"""Trainers in the console (SQLite and PostgreSQL): who sees the queue, who sees tickets,
review decisions through the pages and the API, export from the console, model figures."""

from __future__ import annotations

import pytest
import yaml

from cases.accounts import Role
from cases.models import ReviewItem
from cases.review_queue import Source, enqueue
from tests.cases.factories import officer
from tests.console.test_pages import _csrf, page_login


def use_settings(console, **variables: str) -> None:  # type: ignore[no-untyped-def]
    """The running console's settings with ``variables`` changed (the app reads its own settings)."""
    context = console.client.app.state.console
    context.settings = context.settings.replacing(**variables)


@pytest.fixture
def queue(console, world, tmp_path, monkeypatch):
    """A trainer account, three queued messages, and a training-data folder of the test's own."""
    data = tmp_path / "data"
    (data / "nlu").mkdir(parents=True)
    (data / "nlu" / "base.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: complaint_noise\n  examples: |\n    - เสียงดังทั้งคืน\n', encoding="utf-8"
    )
    use_settings(console, TRAINER_DATA_DIR=str(data))
    with console.sessions.begin() as s:
        officer(s, "trainer", "OPS", Role.TRAINER)
        ids = {
            "fallback": enqueue(
                s,
                text="ควันดำลอยมาจากปล่องที่ระยอง โทร 0812345678",
                source=Source.FALLBACK,
                predicted_intent="nlu_fallback",
                confidence=0.3,
            ).id,
            "choice": enqueue(
                s,
                text="น้ำในคลองดำและเหม็น",
                source=Source.CITIZEN_CHOICE,
                predicted_intent="complaint_odor",
                confidence=0.5,
                corrected_intent="complaint_wastewater",
            ).id,
            "conflict": enqueue(
                s, text="เสียงดัง ทั้งคืน", source=Source.LOW_CONFIDENCE, predicted_intent="complaint_odor", confidence=0.55
            ).id,
        }
    return ids, data


# -- authorization matrix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "may_train"),
    [("trainer", True), ("admin", True), ("cbi-officer", False), ("cbi-super", False), ("acoc-officer", False)],
)
def test_trainer_pages_and_api_only_for_trainers_and_admins(console, world, queue, username, may_train):
    headers = console.login(username)
    api = console.client.get("/api/review", headers=headers)
    assert api.status_code == (200 if may_train else 403)
    assert console.client.post(f"/api/review/{queue[0]['choice']}/discard", headers=headers).status_code == (
        200 if may_train else 403
    )
    page_login(console, username)
    for path in ("/console/trainer", f"/console/trainer/items/{queue[0]['fallback']}", "/console/trainer/model"):
        response = console.client.get(path)
        assert response.status_code == (200 if may_train else 403), path
    nav = console.client.get("/console/dashboard").text
    assert ('href="/console/trainer"' in nav) is may_train


def test_trainers_see_no_ticket(console, world, queue):
    headers = console.login("trainer")
    assert console.client.get("/api/tickets", headers=headers).json()["items"] == []
    for number in (world.cbi, world.bribe):
        assert console.client.get(f"/api/tickets/{number}", headers=headers).status_code == 404
    page_login(console, "trainer")
    start = console.client.get("/console", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/console/trainer"
    assert console.client.get(f"/console/tickets/{world.cbi}").status_code == 404
    html = console.client.get("/console/trainer").text
    assert "0812345678" not in html and "[phone]" in html  # masked text only


# -- review through the pages -----------------------------------------------------------------


def test_queue_filters_accept_relabel_entities_and_discard(console, world, queue):
    ids, _ = queue
    page_login(console, "trainer")
    html = console.client.get("/console/trainer").text
    assert all(f'id="item-{i}"' in html for i in ids.values())
    only_fallback = console.client.get("/console/trainer", params={"source": "fallback"}).text
    assert f'id="item-{ids["fallback"]}"' in only_fallback and f'id="item-{ids["choice"]}"' not in only_fallback
    by_intent = console.client.get("/console/trainer", params={"intent": "complaint_wastewater"}).text
    assert f'id="item-{ids["choice"]}"' in by_intent and f'id="item-{ids["conflict"]}"' not in by_intent
    # Bad filter values are ignored, never an error.
    assert (
        console.client.get("/console/trainer", params={"source": "x", "status": "y", "page": "-3"}).status_code == 200
    )

    item_page = console.client.get(f"/console/trainer/items/{ids['fallback']}")
    csrf = _csrf(item_page.text)
    # Without the CSRF token: refused.
    assert (
        console.client.post(
            f"/console/trainer/items/{ids['fallback']}/accept", data={"intent": "complaint_air_pollution"}
        ).status_code
        == 403
    )
    # A span outside the text: refused with a message, nothing saved.
    bad = console.client.post(
        f"/console/trainer/items/{ids['fallback']}/accept",
        data={
            "csrf_token": csrf,
            "intent": "complaint_air_pollution",
            "spans": "1",
            "start": ["0"],
            "end": ["999"],
            "entity": ["province"],
            "value": [""],
        },
    )
    assert bad.status_code == 200 and "บันทึกไม่ได้" in bad.text
    # Relabel with an entity given by its words.
    ok = console.client.post(
        f"/console/trainer/items/{ids['fallback']}/accept",
        data={
            "csrf_token": csrf,
            "intent": "complaint_air_pollution",
            "spans": "1",
            "start": ["", ""],
            "end": ["", ""],
            "entity": ["province", ""],
            "value": ["ระยอง", ""],
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/console/trainer?msg=accepted"
    # Quick accept from the queue keeps the citizen's label.
    assert (
        console.client.post(
            f"/console/trainer/items/{ids['choice']}/accept",
            data={"csrf_token": csrf, "intent": "complaint_wastewater"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert (
        console.client.post(
            f"/console/trainer/items/{ids['conflict']}/discard", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    with console.sessions() as s:
        fallback = s.get(ReviewItem, ids["fallback"])
        start = fallback.text.index("ระยอง")
        assert (fallback.status, fallback.label, fallback.reviewed_by) == (
            "accepted",
            "complaint_air_pollution",
            "trainer",
        )
        assert fallback.entities == [{"start": start, "end": start + 5, "entity": "province", "value": "ระยอง"}]
        assert s.get(ReviewItem, ids["choice"]).status == "accepted"
        assert s.get(ReviewItem, ids["conflict"]).status == "discarded"


def test_api_accept_validates_and_relabels(console, world, queue):
    ids, _ = queue
    headers = console.login("trainer")
    assert console.client.post("/api/review/999999/accept", json={}, headers=headers).status_code == 404
    assert console.client.post(f"/api/review/{ids['fallback']}/accept", json={}, headers=headers).status_code == 422
    assert (
        console.client.post(
            f"/api/review/{ids['fallback']}/accept", json={"intent": "nope"}, headers=headers
        ).status_code
        == 422
    )
    done = console.client.post(
        f"/api/review/{ids['fallback']}/accept", json={"intent": "complaint_air_pollution"}, headers=headers
    )
    assert done.status_code == 200 and done.json()["label"] == "complaint_air_pollution"
    listed = console.client.get("/api/review", params={"status": "accepted"}, headers=headers).json()
    assert [i["id"] for i in listed["items"]] == [ids["fallback"]] and listed["total"] == 1


# -- export and model figures -----------------------------------------------------------------


def test_export_button_writes_training_data_and_reports_conflicts(console, world, queue):
    ids, data = queue
    headers = console.login("trainer")
    for key, intent in (("fallback", "complaint_air_pollution"), ("choice", None), ("conflict", None)):
        body = {"intent": intent} if intent else {}
        assert console.client.post(f"/api/review/{ids[key]}/accept", json=body, headers=headers).status_code == 200
    page_login(console, "trainer")
    csrf = _csrf(console.client.get("/console/trainer").text)
    response = console.client.post("/console/trainer/export", data={"csrf_token": csrf})
    assert response.status_code == 409  # a conflict: the same text is complaint_noise in data/
    assert "complaint_noise" in response.text and "nlu/base.yml" in response.text
    written = sorted(p.name for p in (data / "nlu" / "reviewed").glob("*.yml"))
    assert written == ["complaint_air_pollution.yml", "complaint_wastewater.yml"]
    document = yaml.safe_load((data / "nlu" / "reviewed" / "complaint_wastewater.yml").read_text())
    assert document["nlu"][0]["intent"] == "complaint_wastewater"
    # The API's export: nothing new, the conflict still there.
    again = console.client.post("/api/review/export", headers=console.login("trainer")).json()
    assert again["ok"] is False and again["added"] == 0 and len(again["conflicts"]) == 1


def test_model_page_shows_the_report_figures_and_the_trend(console, world, queue, tmp_path, monkeypatch):
    report = tmp_path / "nlu.md"
    report.write_text(
        "# NLU evaluation\n\n- date: 2026-11-25 14:21 UTC\n- model: `models/idee.tar.gz`\n\n"
        "## Targets\n\n| target | wanted | measured | |\n|---|---|---|---|\n"
        "| held-out intent macro-F1 | >= 0.95 | 0.954 | met |\n\n"
        "## Per intent (Rasa)\n\n| intent | support | P | R | F1 | baseline F1 |\n|---|---|---|---|---|---|\n"
        "| complaint_odor | 26 | 0.963 | 1.000 | 0.981 | 0.981 |\n| complaint_noise | 25 | 0.962 | 1.000 | 0.980 | 0.962 |\n",
        encoding="utf-8",
    )
    use_settings(console, TRAINER_REPORT=str(report))
    page_login(console, "trainer")
    html = console.client.get("/console/trainer/model").text
    assert "0.954" in html and "ผ่าน" in html
    assert "complaint_odor" in html and "0.981" in html and "0.963" in html
    use_settings(console, TRAINER_REPORT=str(tmp_path / "missing.md"))
    assert "make evaluate" in console.client.get("/console/trainer/model").text


@pytest.fixture
def guessing_rasa():
    """A stand-in for Rasa's /model/parse: a fixed ranking, nlu_fallback first."""
    from fastapi import FastAPI

    from tests.support.web import serve

    app = FastAPI()
    seen: list[str] = []

    @app.post("/model/parse")
    def parse(body: dict) -> dict:
        seen.append(body["text"])
        return {
            "intent": {"name": "nlu_fallback", "confidence": 0.4},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.4},
                {"name": "complaint_air_pollution", "confidence": 0.38},
                {"name": "complaint_odor", "confidence": 0.21},
                {"name": "out_of_scope", "confidence": 0.2},
                {"name": "complaint_noise", "confidence": 0.1},
            ],
        }

    with serve(app) as url:
        yield url, seen


def test_unconfirmed_items_offer_no_label_and_the_models_top_three(
    database_url, fake_line_url, domain_file, world, guessing_rasa, tmp_path, monkeypatch
):
    from tests.console.conftest import make_console

    url, seen = guessing_rasa
    for console in make_console(database_url, fake_line_url, url, TRAINER_DATA_DIR=str(tmp_path)):
        with console.sessions.begin() as s:
            officer(s, "trainer", "OPS", Role.TRAINER)
            fallback = enqueue(
                s, text="ควันดำจากปล่อง", source=Source.FALLBACK, predicted_intent="nlu_fallback", confidence=0.3
            ).id
            low = enqueue(
                s, text="เหม็นไหม้ทั้งคืน", source=Source.LOW_CONFIDENCE, predicted_intent="complaint_odor", confidence=0.45
            ).id
            choice = enqueue(
                s,
                text="น้ำคลองดำ",
                source=Source.CITIZEN_CHOICE,
                predicted_intent="complaint_wastewater",
                confidence=0.6,
            ).id
        page_login(console, "trainer")
        html = console.client.get("/console/trainer").text
        for item_id in (fallback, low):
            block = html.split(f'id="item-{item_id}"')[1].split("</li>")[0]
            assert '<option value="" selected disabled>' in block
            assert "<option selected>" not in block
            assert "complaint_air_pollution (0.38), complaint_odor (0.21), out_of_scope (0.20)" in block
        confident = html.split(f'id="item-{choice}"')[1].split("</li>")[0]
        assert "<option selected>complaint_wastewater</option>" in confident and "โมเดลเดา" not in confident
        assert sorted(seen) == sorted(["ควันดำจากปล่อง", "เหม็นไหม้ทั้งคืน"])
        item_page = console.client.get(f"/console/trainer/items/{low}").text
        assert '<option value="" selected disabled>' in item_page and "complaint_odor (0.21)" in item_page
        # Accepting without a choice is refused: the guess is not taken as the label.
        refused = console.client.post(
            f"/console/trainer/items/{low}/accept", data={"csrf_token": _csrf(item_page)}, follow_redirects=False
        )
        assert refused.status_code == 303 and "/items/" in refused.headers["location"]
        with console.sessions() as s:
            assert s.get(ReviewItem, low).status == "pending"


def test_queue_works_without_rasa(console, world, queue):
    ids, _ = queue
    page_login(console, "trainer")
    html = console.client.get(f"/console/trainer/items/{ids['fallback']}").text
    assert '<option value="" selected disabled>' in html and "โมเดลเดา" not in html
