"""The bare address leads somewhere: the simulator without LINE credentials, else the console."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.web import gateway_settings
from web.app import create_app


@pytest.mark.parametrize(
    ("credentials", "target"),
    [({}, "/console"), ({"LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""}, "/simulator")],
)
def test_the_root_redirects_to_the_simulator_or_the_console(tmp_path, credentials, target):
    app = create_app(gateway_settings(**credentials, DATABASE_URL=f"sqlite:///{tmp_path / 'cases.db'}"))
    response = TestClient(app).get("/", follow_redirects=False)
    assert response.status_code in (302, 307) and response.headers["location"] == target
