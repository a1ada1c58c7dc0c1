"""End to end with real processes: a freshly trained model in a real Rasa server, the real
action server, the real LINE gateway and a fake LINE Messaging API, all on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from cases.migrate import upgrade
from gateway.signing import new_reply_token, signed_webhook
from tools.processes import (
    APP_PYTHON,
    RASA_PYTHON,
    ROOT,
    ManagedProcess,
    action_server,
    base_env,
    rasa_server,
    stack_tokens,
    stop_all,
    tail,
    web_app,
)

CHANNEL_SECRET = "e2e-channel-secret"
ACCESS_TOKEN = "e2e-access-token"
# The epochs of `make train` (config.yml, 20/20) unless E2E_*_EPOCHS say fewer: a real
# training run on the real data and domain (the trainers' loop retrains with these).
DIET_EPOCHS = int(os.environ.get("E2E_DIET_EPOCHS", "20"))
TED_EPOCHS = int(os.environ.get("E2E_TED_EPOCHS", "20"))
TRAIN_DATA = ["data", "bot/dialogue"]
# Loading the model takes about a minute on an idle machine, five or more on a shared busy
# one; the wait ends as soon as every process answers, so a long limit costs nothing.
START_TIMEOUT = float(os.environ.get("E2E_START_TIMEOUT", "900"))


def free_port() -> int:
    """A free loopback port: from E2E_PORTS ("6500-6599") when set, so that engineers sharing
    a machine keep to their own range, else any the system gives."""
    first, _, last = os.environ.get("E2E_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        if port and port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            found = s.getsockname()[1]
        _TAKEN.add(found)
        return found
    raise RuntimeError(f"no free port in E2E_PORTS={os.environ['E2E_PORTS']}")


_TAKEN: set[int] = set()  # handed out in this run, maybe not yet bound by their process


def e2e_config(path: Path) -> Path:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = DIET_EPOCHS
    for policy in config["policies"]:
        if policy["name"] == "TEDPolicy":
            policy["epochs"] = TED_EPOCHS
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory) -> Path:
    """A model trained from today's data: E2E_MODEL when `make test` has just trained one
    (models/idee.tar.gz, the production pipeline), else a fresh run with fewer epochs here."""
    given = os.environ.get("E2E_MODEL")
    if given:
        model = Path(given).resolve()
        assert model.is_file(), f"E2E_MODEL={given} is not a model file"
        return model
    work = tmp_path_factory.mktemp("model")
    config = e2e_config(work / "config.yml")
    log = work / "train.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        result = subprocess.run(
            [
                str(RASA_PYTHON),
                "-m",
                "rasa",
                "train",
                "--config",
                str(config),
                "--domain",
                "bot/domain",
                "--data",
                *TRAIN_DATA,
                "--out",
                str(work),
                "--fixed-model-name",
                "e2e",
            ],
            cwd=ROOT,
            env=base_env({"RASA_MAX_CACHE_SIZE": "0"}),  # no cache: a fresh run
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1200,
        )
    assert result.returncode == 0, f"rasa train failed:\n{tail(log, 60)}"
    print(f"\ne2e model trained in {time.monotonic() - started:.0f}s")
    return work / "e2e.tar.gz"


@dataclass
class Stack:
    gateway_url: str
    fake_line_url: str
    database_url: str
    http: httpx.Client
    rasa: ManagedProcess
    rasa_url: str
    rasa_api: httpx.Client  # Rasa's HTTP API (trackers, parse, PUT /model): sends the stack's token

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same model, port and tracker store."""
        self.rasa.stop()
        self.rasa.start()
        self.rasa.wait_healthy(timeout=START_TIMEOUT)

    def deliveries(self, user_id: str, after: int = 0) -> list[dict]:
        response = self.http.get(f"{self.fake_line_url}/_fake/messages", params={"user_id": user_id, "after": after})
        response.raise_for_status()
        return [m for m in response.json()["messages"] if m["kind"] in ("reply", "push")]

    def post_webhook(self, *events: dict, signature: str | None = "valid") -> httpx.Response:
        body, headers = signed_webhook(CHANNEL_SECRET, *events)
        if signature is None:
            headers.pop("X-Line-Signature", None)
            headers.pop("x-line-signature", None)
        elif signature != "valid":
            headers = {**headers, "X-Line-Signature": signature}
        return self.http.post(f"{self.gateway_url}/line/webhook", content=body, headers=headers)

    def turn(self, user_id: str, event_factory, *args, timeout: float = 60) -> list[dict]:
        """Send one event with a fresh reply token; wait for what LINE receives for it."""
        before = self.deliveries(user_id)
        last_seq = max((m["seq"] for m in before), default=0)
        token = new_reply_token()
        self.http.post(
            f"{self.fake_line_url}/_fake/reply-tokens", json={"reply_token": token, "user_id": user_id}
        ).raise_for_status()
        response = self.post_webhook(event_factory(user_id, *args, reply_token=token))
        assert response.status_code == 200, response.text
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [m for m in self.deliveries(user_id) if m["seq"] > last_seq]
            if new:
                time.sleep(0.3)  # a reply is one call; give a late push the chance to show up
                return [m for m in self.deliveries(user_id) if m["seq"] > last_seq]
            time.sleep(0.2)
        raise AssertionError(f"no LINE delivery for the turn within {timeout}s")


@contextmanager
def running_stack(model: Path, work: Path) -> Iterator[Stack]:
    """Every process of the stack on a fresh SQLite case database. The e2e modules share one
    (the ``stack`` fixture): a module that changes its state beyond its own citizens and
    tickets puts it back."""
    logs = work / "logs"
    database_url = f"sqlite:///{work / 'cases.db'}"
    upgrade(database_url)
    ports = {name: free_port() for name in ("fake", "actions", "rasa", "web")}
    fake_url = f"http://127.0.0.1:{ports['fake']}"
    gateway_url = f"http://127.0.0.1:{ports['web']}"
    fake_line = ManagedProcess(
        name="fake-line",
        argv=[str(APP_PYTHON), "-m", "gateway.dev.fake_line", "--port", str(ports["fake"])],
        env=base_env({}),
        health_url=f"{fake_url}/_fake/messages",
        log_path=logs / "fake-line.log",
    )
    rasa = rasa_server(
        model=model,
        port=ports["rasa"],
        action_url=f"http://127.0.0.1:{ports['actions']}/webhook",
        log_dir=logs,
    )
    processes = [
        fake_line,
        action_server(port=ports["actions"], log_dir=logs, env={"DATABASE_URL": database_url}),
        rasa,
        web_app(
            port=ports["web"],
            log_dir=logs,
            env={
                "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
                "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
                "LINE_API_BASE_URL": fake_url,
                "LINE_DATA_API_BASE_URL": fake_url,  # image content (evidence photos)
                "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
                "PUBLIC_BASE_URL": gateway_url,
                "DATABASE_URL": database_url,  # the webhook stores inbound events there
            },
        ),
    ]
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.wait_healthy(timeout=START_TIMEOUT)
        rasa_url = f"http://127.0.0.1:{ports['rasa']}"
        token = {"token": stack_tokens()["RASA_AUTH_TOKEN"]}
        with httpx.Client(timeout=30) as http, httpx.Client(timeout=60, params=token) as rasa_api:
            yield Stack(gateway_url, fake_url, database_url, http, rasa, rasa_url, rasa_api)
    finally:
        stop_all(processes)
        for process in processes:
            print(f"\n--- {process.name} log (tail) ---\n{tail(process.log_path, 15)}")


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory) -> Iterator[Stack]:
    with running_stack(trained_model, tmp_path_factory.mktemp("stack")) as running:
        yield running
