"""The scale-out topology as local processes, without Docker (benchmarks, fault tests).

    python -m tools.run_scaled --model /path/model.tar.gz [--rasa 2 --actions 2 --workers 2]

Starts a private PostgreSQL cluster (case database + Rasa tracker database; the machine's
shared PostgreSQL is never touched), then: the fake LINE, N action servers, N Rasa servers
(deploy/endpoints.yml: SQL tracker store on that PostgreSQL, Redis lock store on the local
Redis with a key prefix of its own), the web app (webhook; stores and enqueues on RabbitMQ)
and N gateway workers (python -m gateway.worker). Rasa server i uses
action server i % N; the gateway spreads turns over the Rasa servers (rasa_pool.py).
Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from settings import get_settings
from tools.private_postgres import PrivatePostgres
from tools.processes import (
    APP_PYTHON,
    ROOT,
    ManagedProcess,
    action_server,
    base_env,
    rasa_server,
    tail,
    web_app,
)

CHANNEL_SECRET = "scaled-channel-secret"
ACCESS_TOKEN = "scaled-access-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_taker(base: int) -> Callable[[], int]:
    """Free ports from ``base`` upwards (a range of one's own on a shared machine); any
    free port when ``base`` is 0."""
    if not base:
        return free_port
    candidates = iter(range(base, base + 1000))

    def take() -> int:
        for port in candidates:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"no free port from {base}")

    return take


@dataclass
class ScaledConfig:
    model: Path
    work: Path
    rasa: int = 2
    actions: int = 2
    workers: int = 2
    worker_threads: int = 8
    broker_url: str = field(default_factory=lambda: get_settings().dev.scaled_broker_url)
    redis: str = field(default_factory=lambda: get_settings().dev.scaled_redis)
    intake_env: dict[str, str] = field(default_factory=dict)  # e.g. a short lease for fault tests
    rasa_env: dict[str, str] = field(default_factory=dict)
    # Rasa, the action servers and the gateway workers run at this niceness, so that on a
    # shared, busy machine the webhook (verify, store, enqueue, 200) gets the CPU first and
    # LINE's acknowledgements stay fast while the backlog waits in the queue (docs/deploy.md).
    # 0 runs everything at the same priority.
    background_nice: int = 10
    # Non-empty: Rasa, actions and workers run only on these CPUs, leaving the others to the
    # webhook, the databases and the broker (one machine standing in for two tiers).
    background_cpus: tuple[int, ...] = ()
    # Non-zero: every port (PostgreSQL, servers) is taken from here upwards, not at random.
    port_base: int = 0


class ScaledStack:
    """Owns every process of the topology; ``kill``/``restart`` one of them by role and index."""

    def __init__(self, config: ScaledConfig) -> None:
        self.config = config
        self.run_id = uuid.uuid4().hex[:8]
        self.logs = config.work / "logs"
        self._take_port = port_taker(config.port_base)
        self.postgres = PrivatePostgres(port=self._take_port())
        self.case_db_url = ""
        self.tracker_db = "tracker"
        self.fake_line_url = ""
        self.gateway_url = ""
        self.queue_name = f"line-intake-{self.run_id}"
        self.roles: dict[str, list[ManagedProcess]] = {}

    # --- lifecycle -------------------------------------------------------------------
    def start(self, timeout: float = 300) -> "ScaledStack":
        from cases.migrate import upgrade

        self.postgres.init().start()
        self.case_db_url = self.postgres.create_database("cases")
        self.postgres.create_database(self.tracker_db)
        upgrade(self.case_db_url)
        cfg = self.config
        ports = {"fake": self._take_port(), "web": self._take_port()}
        self.fake_line_url = f"http://127.0.0.1:{ports['fake']}"
        self.gateway_url = f"http://127.0.0.1:{ports['web']}"
        action_ports = [self._take_port() for _ in range(cfg.actions)]
        rasa_ports = [self._take_port() for _ in range(cfg.rasa)]
        redis_host, redis_port = cfg.redis.split(":")
        self.roles["fake_line"] = [
            ManagedProcess(
                name="fake-line",
                argv=[str(APP_PYTHON), "-m", "gateway.dev.fake_line", "--port", str(ports["fake"])],
                env=base_env({}),
                health_url=f"{self.fake_line_url}/_fake/messages",
                log_path=self.logs / "fake-line.log",
            )
        ]
        self.roles["actions"] = [
            action_server(port=port, log_dir=self.logs, env={"DATABASE_URL": self.case_db_url}, name=f"actions{i}")
            for i, port in enumerate(action_ports)
        ]
        rasa_env = {
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(self.postgres.port),
            "TRACKER_DB_NAME": self.tracker_db,
            "TRACKER_DB_USER": "postgres",
            "TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": redis_host,
            "REDIS_PORT": redis_port,
            "REDIS_LOCK_DB": "0",
            "LOCK_KEY_PREFIX": f"idee{self.run_id}",
            "SQL_POOL_SIZE": "5",
            "SQL_MAX_OVERFLOW": "10",
            "TICKET_LOCK_LIFETIME": "20",  # a killed Rasa's conversation locks end after 20 s
            **cfg.rasa_env,
        }
        self.roles["rasa"] = [
            rasa_server(
                model=cfg.model,
                port=port,
                action_url=f"http://127.0.0.1:{action_ports[i % cfg.actions]}/webhook",
                log_dir=self.logs,
                env=rasa_env,
                endpoints=ROOT / "deploy" / "endpoints.yml",
                name=f"rasa{i}",
            )
            for i, port in enumerate(rasa_ports)
        ]
        gateway_env = {
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
            "LINE_API_BASE_URL": self.fake_line_url,
            "RASA_URL": ",".join(f"http://127.0.0.1:{p}" for p in rasa_ports),
            "RASA_ACTIONS_HEALTH_URLS": ",".join(
                f"http://127.0.0.1:{action_ports[i % cfg.actions]}/health" for i in range(cfg.rasa)
            ),
            "RASA_TIMEOUT_SECONDS": "120",  # never give up on a Rasa still working (see docs/intake.md)
            "INTAKE_LEASE_SECONDS": "150",
            "DATABASE_URL": self.case_db_url,
            "INTAKE_BROKER_URL": cfg.broker_url,
            "INTAKE_QUEUE_NAME": self.queue_name,
            "INTAKE_WORKER_THREADS": str(cfg.worker_threads),
            "PUBLIC_BASE_URL": self.gateway_url,
            **cfg.intake_env,
        }
        self.roles["web"] = [web_app(port=ports["web"], log_dir=self.logs, env=gateway_env)]
        self.roles["workers"] = [
            ManagedProcess(
                name=f"worker{i}",
                argv=[str(APP_PYTHON), "-m", "gateway.worker"],
                env=base_env(gateway_env),
                health_url="",
                log_path=self.logs / f"worker{i}.log",
            )
            for i in range(cfg.workers)
        ]
        for role in ("actions", "rasa", "workers"):
            for process in self.roles[role]:
                process.nice = cfg.background_nice
                process.cpus = cfg.background_cpus
        for role in ("fake_line", "actions", "rasa", "web", "workers"):
            for process in self.roles[role]:
                process.start()
        for role in ("fake_line", "actions", "rasa", "web"):
            for process in self.roles[role]:
                process.wait_healthy(timeout)
        for process in self.roles["workers"]:
            self.wait_worker(process)
        self._tracker_indexes()
        return self

    def wait_worker(self, process: ManagedProcess, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.is_running():
                raise RuntimeError(f"{process.name} exited:\n{tail(process.log_path)}")
            if "gateway worker started" in tail(process.log_path, 200):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{process.name} did not start")

    def _tracker_indexes(self) -> None:
        import psycopg

        sql = (ROOT / "deploy" / "sql" / "tracker_indexes.sql").read_text()
        with psycopg.connect(self.postgres.url(self.tracker_db).replace("postgresql+psycopg", "postgresql")) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        for role in ("workers", "web", "rasa", "actions", "fake_line"):
            for process in self.roles.get(role, []):
                process.stop()
        self._delete_queues()
        self.postgres.destroy()

    def _delete_queues(self) -> None:
        try:
            import pika

            connection = pika.BlockingConnection(pika.URLParameters(self.config.broker_url))
            channel = connection.channel()
            for name in (self.queue_name, f"{self.queue_name}.DQ", f"{self.queue_name}.XQ"):
                channel.queue_delete(name)
            connection.close()
        except Exception:  # noqa: BLE001 - best effort cleanup
            pass

    # --- faults ------------------------------------------------------------------------
    def process(self, role: str, index: int = 0) -> ManagedProcess:
        return self.roles[role][index]

    def kill(self, role: str, index: int = 0) -> None:
        """SIGKILL, no goodbye: what a crash or an OOM kill looks like."""
        process = self.process(role, index)
        if process.process is not None and process.is_running():
            os.killpg(process.process.pid, signal.SIGKILL)
            process.process.wait(10)

    def restart(self, role: str, index: int = 0, timeout: float = 300) -> None:
        process = self.process(role, index)
        process.start()
        if role == "workers":
            self.wait_worker(process, timeout)
        else:
            process.wait_healthy(timeout)

    def pids(self) -> list[int]:
        return [p.process.pid for ps in self.roles.values() for p in ps if p.process is not None and p.is_running()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--rasa", type=int, default=2)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--background-nice",
        type=int,
        default=10,
        help="niceness of Rasa, actions and workers (0: same priority as the webhook)",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "scaled")
    args = parser.parse_args()
    stack = ScaledStack(
        ScaledConfig(
            model=args.model,
            work=args.work,
            rasa=args.rasa,
            actions=args.actions,
            workers=args.workers,
            background_nice=args.background_nice,
        )
    )
    try:
        stack.start()
        print(f"webhook: {stack.gateway_url}/line/webhook (secret {CHANNEL_SECRET})")
        print(f"fake LINE: {stack.fake_line_url}/_fake/messages   case DB: {stack.case_db_url}")
        print(f"logs: {stack.logs}   Ctrl-C stops everything")
        # sigwait only returns for signals that are blocked; unblocked, Python's own SIGINT
        # handler would take the signal and this call would wait forever.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
