"""Start, watch and stop the stack's server processes (Rasa, actions, web app)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"


@dataclass
class ManagedProcess:
    """One server process with its log file; stopped with SIGTERM, then SIGKILL."""

    name: str
    argv: list[str]
    env: dict[str, str]
    health_url: str
    log_path: Path
    nice: int = 0  # > 0: yields the CPU to the processes at 0 when the machine is busy
    cpus: tuple[int, ...] = ()  # non-empty: runs only on these CPUs (sched_setaffinity)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=self._set_priority if (self.nice or self.cpus) else None,
        )
        log.close()

    def _set_priority(self) -> None:  # in the child, before exec
        if self.nice:
            os.nice(self.nice)
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_healthy(self, timeout: float, progress: bool = False) -> None:
        started = time.monotonic()
        deadline = started + timeout
        next_note = started + 60
        while time.monotonic() < deadline:
            if progress and time.monotonic() >= next_note:
                print(f"  {self.name} is still starting ({time.monotonic() - started:.0f}s) ...", flush=True)
                next_note += 60
            if not self.is_running():
                raise RuntimeError(
                    f"{self.name} exited (code {self.process.returncode if self.process else '?'}); "
                    f"see {self.log_path}:\n{tail(self.log_path)}"
                )
            if http_ok(self.health_url):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name} not healthy after {timeout:.0f}s; see {self.log_path}")

    def stop(self, timeout: float = 15) -> None:
        if not self.is_running():
            return
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stack_tokens() -> dict[str, str]:
    """Rasa's API token and the action server's token, one pair per run of the stack: taken
    from the environment when set, else made here and put into this process's environment
    (so in-process clients such as the hot swap send them too)."""
    for name in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN"):
        if not os.environ.get(name):
            os.environ[name] = secrets.token_urlsafe(32)
            get_settings.cache_clear()  # this process's settings must see the token just made
    return {name: os.environ[name] for name in ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN")}


def with_token(url: str, token: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'token': token})}"


def base_env(extra: dict[str, str]) -> dict[str, str]:
    stack_tokens()
    env = dict(os.environ)
    # make run, the e2e and scaled stacks are development stacks; anything else defaults to production.
    env.setdefault("IDEE_ENVIRONMENT", "embedded")
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def rasa_server(
    *,
    model: Path,
    port: int,
    action_url: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    endpoints: Path = ROOT / "endpoints.yml",
    name: str = "rasa",
    tracker_db: Path | None = None,
) -> ManagedProcess:
    """A Rasa server; with endpoints.yml its conversations live in the SQLite file
    ``tracker_db`` (default: beside its log), so they survive a model swap or a restart."""
    tracker_db = tracker_db or log_dir / f"{name}-conversations.db"
    tracker_db.parent.mkdir(parents=True, exist_ok=True)
    tokens = stack_tokens()
    return ManagedProcess(
        name=name,
        argv=[
            str(RASA_PYTHON),
            "-m",
            "rasa_server",  # `python -m rasa` with the action answers checked cheaply
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--connector",
            "rest",
            "--enable-api",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            # The HTTP API (trackers, PUT /model) answers only with the token.
            "--auth-token",
            tokens["RASA_AUTH_TOKEN"],
        ],
        env=base_env(
            {
                # The action server accepts only callers with its token (web/security/action_server.py).
                "ACTION_ENDPOINT_URL": with_token(action_url, tokens["ACTION_SERVER_TOKEN"]),
                "RASA_TRACKER_DB": str(tracker_db.resolve()),
                **(env or {}),
            }
        ),
        health_url=with_token(f"http://127.0.0.1:{port}/status", tokens["RASA_AUTH_TOKEN"]),
        log_path=log_dir / f"{name}.log",
    )


def action_server(*, port: int, log_dir: Path, env: dict[str, str], name: str = "actions") -> ManagedProcess:
    return ManagedProcess(
        name=name,
        argv=[str(APP_PYTHON), "-m", "web.security.action_server", "--actions", "actions", "--port", str(port)],
        env=base_env({"SANIC_HOST": "127.0.0.1", **env}),  # loopback only
        health_url=f"http://127.0.0.1:{port}/health",
        log_path=log_dir / f"{name}.log",
    )


def web_app(*, port: int, log_dir: Path, env: dict[str, str]) -> ManagedProcess:
    return ManagedProcess(
        name="web",
        argv=[
            str(APP_PYTHON),
            "-m",
            "uvicorn",
            "--factory",
            "web.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws",
            "none",
        ],
        env=base_env(env),
        health_url=f"http://127.0.0.1:{port}/healthz",
        log_path=log_dir / "web.log",
    )


def stop_all(processes: list[ManagedProcess]) -> None:
    for process in reversed(processes):
        process.stop()


def python_ok() -> bool:
    return sys.version_info[:2] == (3, 10)
