"""Hot swap against a scripted Rasa HTTP API (the real one is exercised in tests/e2e)."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select

from actions.case_store import _session_factory, session_factory
from cases.models import NluModelDeployment
from tests.training.test_versioning import fake_model
from training.compare import gate_record_path
from settings import RasaSettings
from training.hot_swap import SwapError, check_gate, deploy
from settings import get_settings

NEW_ID, OLD_ID = "n" * 32, "o" * 32


class FakeRasa:
    """GET /status and PUT /model of `rasa run --enable-api`, for one or more servers."""

    def __init__(self, fail_with: int | None = None):
        self.loaded: dict[str, str] = {}
        self.model_ids: dict[str, str] = {}
        self.fail_with = fail_with

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host + str(request.url.port)
        if request.method == "GET" and request.url.path == "/status":
            return httpx.Response(
                200,
                json={"model_file": self.loaded.get(host, "old.tar.gz"), "model_id": self.model_ids.get(host, OLD_ID)},
            )
        if request.method == "PUT" and request.url.path == "/model":
            if self.fail_with:
                return httpx.Response(self.fail_with, json={"message": "could not be loaded"})
            self.loaded[host] = json.loads(request.content)["model_file"]
            self.model_ids[host] = NEW_ID
            return httpx.Response(204)
        return httpx.Response(404)


@pytest.fixture
def registry(monkeypatch, new_sqlite_database):
    url = new_sqlite_database("cases.db")
    monkeypatch.setenv("DATABASE_URL", url)
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed
    yield url
    _session_factory.cache_clear()
    get_settings.cache_clear()  # DATABASE_URL changed


def accepted(model, model_id=NEW_ID, accepted=True):
    gate_record_path(model).write_text(
        json.dumps(
            {
                "candidate_model_id": model_id,
                "accepted": accepted,
                "verdict": "accepted" if accepted else "refused",
                "candidate_scores": {"macro_f1": 0.87},
            }
        )
    )


def test_gate_check_needs_an_accepting_verdict_for_that_very_model(tmp_path):
    model = fake_model(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz", NEW_ID)
    assert not check_gate(model, NEW_ID).ok and "training.compare" in check_gate(model, NEW_ID).message
    accepted(model, accepted=False)
    assert "refused" in check_gate(model, NEW_ID).message
    accepted(model, model_id="someone else")
    assert not check_gate(model, NEW_ID).ok
    accepted(model)
    assert check_gate(model, NEW_ID).ok and check_gate(model, NEW_ID).macro_f1 == 0.87


def test_deploy_swaps_every_server_and_records_the_version(tmp_path, registry):
    model = fake_model(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz", NEW_ID)
    accepted(model)
    rasa = FakeRasa()
    settings = RasaSettings(RASA_URL="http://127.0.0.1:5005, http://127.0.0.1:5006")
    summary = deploy(model, settings=settings, deployed_by="trainer", transport=httpx.MockTransport(rasa.handler))
    assert [s["after"] for s in summary["servers"]] == [NEW_ID, NEW_ID]
    assert set(rasa.loaded.values()) == {str(model.resolve())}
    with session_factory()() as session:
        row = session.scalars(select(NluModelDeployment)).one()
    assert (row.model_id, row.version, row.data_hash, row.gate_verdict, row.macro_f1) == (
        NEW_ID,
        "idee-20261125-1600-0a1b2c3d",
        "0a1b2c3d",
        "accepted",
        0.87,
    )


def test_refused_or_unknown_model_is_not_deployed_unless_forced(tmp_path, registry):
    model = fake_model(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz", NEW_ID)
    accepted(model, accepted=False)
    rasa = FakeRasa()
    transport = httpx.MockTransport(rasa.handler)
    with pytest.raises(SwapError, match="refused"):
        deploy(model, settings=RasaSettings(), transport=transport)
    assert rasa.loaded == {}
    deploy(model, settings=RasaSettings(), force=True, transport=transport)
    assert rasa.loaded


def test_a_model_rasa_cannot_load_is_an_error_and_not_recorded(tmp_path, registry):
    model = fake_model(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz", NEW_ID)
    accepted(model)
    with pytest.raises(SwapError, match="HTTP 400"):
        deploy(model, settings=RasaSettings(), transport=httpx.MockTransport(FakeRasa(fail_with=400).handler))
    with session_factory()() as session:
        assert session.scalars(select(NluModelDeployment)).all() == []
    with pytest.raises(SwapError, match="no model file"):
        deploy(tmp_path / "missing.tar.gz", settings=RasaSettings())


def test_a_containerised_rasa_gets_the_file_under_its_own_models_folder(tmp_path, registry):
    model = fake_model(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz", NEW_ID)
    accepted(model)
    rasa = FakeRasa()
    deploy(model, settings=RasaSettings(RASA_MODELS_DIR="/app/models/"), transport=httpx.MockTransport(rasa.handler))
    assert list(rasa.loaded.values()) == ["/app/models/idee-20261125-1600-0a1b2c3d.tar.gz"]
