"""Time the console's ticket list and CSV-free list filters through the API.

``DATABASE_URL=postgresql://... python -m benchmarks.console_list --tickets 20000``
migrates the (empty) database, seeds it, creates an admin, then prints p50/p95 of
``GET /api/tickets`` over a mix of filters, then of the dashboard page (``/console/dashboard``).
``--no-seed`` reuses a database seeded by an earlier run.
"""

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from sqlalchemy import func, select

from cases.accounts import Role, create_officer, find_officer
from cases.db import make_engine, make_session_factory
from cases.migrate import upgrade
from cases.models import Ticket
from cases.seed import seed
from settings import Settings
from web.app import create_app

QUERIES = [
    {},
    {"state": "new"},
    {"overdue": "true"},
    {"category": "odor", "province": "ชลบุรี"},
    {"q": "กลิ่นเหม็น"},
    {"priority": "urgent"},
    {"created_from": "2026-01-01", "sort": "-created"},
    {"page": 20},
    {"q": "ไม่มีคำนี้ในระบบ"},  # no match: the worst case without a text index
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-seed", action="store_true", help="reuse the tickets already there")
    args = parser.parse_args()
    settings = Settings.with_variables(RATE_LIMIT_ENABLED=False, CONSOLE_SECRET_KEY="bench")  # list speed, not limits
    url = settings.database.sqlalchemy_url
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    if not args.no_seed:
        seed(sessions, tickets=args.tickets)
    with sessions.begin() as s:
        if find_officer(s, username="bench-admin") is None:
            create_officer(s, username="bench-admin", password="benchmark-password", agency="OPS", role=Role.ADMIN)
        tickets = s.scalar(select(func.count()).select_from(Ticket))
    app = create_app(settings)
    with TestClient(app) as client:
        client.post("/api/auth/login", json={"username": "bench-admin", "password": "benchmark-password"})
        timings, per_query = [], {i: [] for i in range(len(QUERIES))}
        for _ in range(args.rounds):
            for i, params in enumerate(QUERIES):
                start = time.perf_counter()
                assert client.get("/api/tickets", params=params).status_code == 200
                timings.append((time.perf_counter() - start) * 1000)
                per_query[i].append(timings[-1])
        for i, params in enumerate(QUERIES):
            print(f"  {params or 'no filter'}: median {statistics.median(per_query[i]):.1f} ms")
        _report("list", timings, tickets)
        for days in (90, 365):
            pages = []
            for _ in range(max(3, args.rounds // 2)):
                start = time.perf_counter()
                assert client.get("/console/dashboard", params={"days": days}).status_code == 200
                pages.append((time.perf_counter() - start) * 1000)
            _report(f"dashboard ({days} days)", pages, tickets)


def _report(what: str, timings: list[float], tickets: int) -> None:
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{what}: {len(timings)} requests on {tickets} tickets: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
