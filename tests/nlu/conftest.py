"""One trained NLU model per test session, shared by the tests that need one.

``models/idee.tar.gz`` is reused when it is newer than config.yml, nlu/ and every file
under data/ (after ``make train``); otherwise an NLU-only model is trained once into a
temporary directory with config.yml as is (about a minute on 2 cores).
"""

from __future__ import annotations

# Property tests explore new random examples on a developer's machine; in CI (CI=true)
# they replay a fixed, derandomised set so that a red CI always means a reproducible bug.
import os as _os

from hypothesis import settings as _hypothesis_settings

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if _os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _inputs_mtime() -> float:
    files = [ROOT / "config.yml", *ROOT.glob("nlu/*.py"), *(ROOT / "data").rglob("*.yml")]
    return max(f.stat().st_mtime for f in files)


@pytest.fixture(scope="session")
def nlu_model_path(tmp_path_factory) -> Path:
    existing = ROOT / "models" / "idee.tar.gz"
    if existing.exists() and existing.stat().st_mtime > _inputs_mtime() and not os.environ.get("NLU_TEST_RETRAIN"):
        return existing
    out = tmp_path_factory.mktemp("nlu-model")
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(ROOT),
        "RASA_MAX_CACHE_SIZE": "0",
    }
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            "nlu-test",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"\nNLU test model trained in {time.monotonic() - started:.0f}s")
    return out / "nlu-test.tar.gz"


@pytest.fixture(scope="session")
def parse(nlu_model_path):
    """parse(text) -> Rasa parse result (intent, entities) from the session's model."""
    from rasa.core.agent import Agent

    loop = asyncio.new_event_loop()
    agent = Agent.load(str(nlu_model_path))

    def run(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    yield run
    loop.close()
