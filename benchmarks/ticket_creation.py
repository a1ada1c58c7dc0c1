"""Ticket creation speed on SQLite and PostgreSQL: sequential latency and concurrent throughput.

Usage: .venv/app/bin/python -m benchmarks.ticket_creation [--tickets 500] [--threads 8]
Prints p50/p95 latency of one create_ticket transaction and the throughput with N threads.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cases.db import make_engine, make_session_factory
from cases.migrate import upgrade
from cases.repository import TicketDraft, create_ticket
from cases.taxonomy import Category

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(url: str, tickets: int, threads: int) -> dict[str, float]:
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    draft = TicketDraft(Category.ODOR, "โรงงานส่งกลิ่นเหม็นทุกคืน", province="ชลบุรี", line_user_id="U" + "0" * 32)

    def one() -> float:
        started = time.perf_counter()
        with sessions.begin() as session:
            create_ticket(session, draft=draft)
        return time.perf_counter() - started

    latencies = [one() for _ in range(tickets)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda _: one(), range(tickets)))
    elapsed = time.perf_counter() - started
    return {
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "concurrent_per_s": tickets / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        backends = {"sqlite": f"sqlite:///{tmp}/bench.db"}
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"idee_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        backends["postgresql"] = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
        try:
            for backend, url in backends.items():
                print(f"{backend}: creating {args.tickets} tickets sequentially, then with {args.threads} threads ...")
                figures = run(url, args.tickets, args.threads)
                print(
                    f"  {backend:<10} create p50 {figures['p50_ms']:.1f} ms  p95 {figures['p95_ms']:.1f} ms  "
                    f"concurrent {figures['concurrent_per_s']:.0f} tickets/s"
                )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("done: ticket creation benchmark")


if __name__ == "__main__":
    main()
