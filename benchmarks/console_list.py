"""Time the console's ticket list and CSV-free list filters through the API.

``DATABASE_URL=postgresql://... python -m benchmarks.console_list --tickets 20000``
migrates the (empty) database, seeds it, creates an admin, then prints p50/p95 of
``GET /api/tickets`` over a mix of filters.
"""

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from cases.accounts import Role, create_officer
from cases.db import make_engine, make_session_factory
from cases.migrate import upgrade
from cases.seed import seed
from cases.settings import CaseSettings
from integrations.console.settings import ConsoleSettings
from integrations.settings import GatewaySettings
from integrations.web import create_app

QUERIES = [
    {}, {"state": "new"}, {"overdue": "true"}, {"category": "odor", "province": "ชลบุรี"},
    {"q": "กลิ่นเหม็น"}, {"priority": "urgent"}, {"created_from": "2026-01-01", "sort": "-created"},
    {"page": 20},
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    url = CaseSettings().sqlalchemy_url
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    seed(sessions, tickets=args.tickets)
    with sessions.begin() as s:
        create_officer(s, username="bench-admin", password="benchmark-password", agency="OPS", role=Role.ADMIN)
    app = create_app(GatewaySettings(), ConsoleSettings(DATABASE_URL=url, CONSOLE_SECRET_KEY="bench"))
    with TestClient(app) as client:
        client.post("/api/auth/login", json={"username": "bench-admin", "password": "benchmark-password"})
        timings = []
        for _ in range(args.rounds):
            for params in QUERIES:
                start = time.perf_counter()
                assert client.get("/api/tickets", params=params).status_code == 200
                timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"list: {len(timings)} requests on {args.tickets} tickets: "
          f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
