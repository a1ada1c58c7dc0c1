"""Matching benchmark: top-1 / top-3 on the labelled set and the matching step's latency.

``python -m benchmarks.registry [--factories 100000] [--report benchmarks/registry.md]``

The labelled set (benchmarks/data/registry_complaints.jsonl, written by
benchmarks/registry_labelled.py) refers to the demo registry of 3,000 factories. The demo
generator is sequential, so the first 3,000 of a 100,000-factory registry are those same
factories: the set is scored against both (the large one adds 97,000 distractors), and the
latency is measured on the large one. The matching step is ``FactoryIndex.match`` (the index
is built once when the registry is loaded, as the action server does).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from cases.registry.demo import generate
from cases.registry.matching import FactoryIndex, FactoryRecord
from cases.registry.numbers import canonical_registration_number

LABELLED = Path(__file__).with_name("data") / "registry_complaints.jsonl"


def _index(count: int) -> tuple[FactoryIndex, float]:
    records = [
        FactoryRecord(
            i,
            canonical_registration_number(f.registration_number),
            f.name,
            f.business,
            f.address,
            f.subdistrict,
            f.district,
            f.province,
            f.latitude,
            f.longitude,
        )
        for i, f in enumerate(generate(count), start=1)
    ]
    start = time.perf_counter()
    index = FactoryIndex(records)
    return index, time.perf_counter() - start


def _query(case: dict) -> dict:
    return {k: case[k] for k in ("text", "latitude", "longitude", "province", "district") if k in case}


def evaluate(index: FactoryIndex, cases: list[dict]) -> tuple[dict[str, list[int]], list[float], list[float]]:
    """kind -> [cases, top-1 hits, top-3 hits]; each match's wall time and CPU time in ms."""
    results: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    times, cpu = [], []
    for case in cases:
        start, start_cpu = time.perf_counter(), time.thread_time()
        found = index.match(**_query(case), limit=3)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        numbers = [c.factory.registration_number for c in found]
        want = canonical_registration_number(case["registration_number"])
        for key in (case["kind"], "all"):
            results[key][0] += 1
            results[key][1] += int(numbers[:1] == [want])
            results[key][2] += int(want in numbers)
    return dict(results), times, cpu


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.registry")
    parser.add_argument("--factories", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the set on the large registry")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    cases = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    small, _ = _index(3000)
    small_results = evaluate(small, cases)[0]
    large, build_s = _index(args.factories)
    large_results = evaluate(large, cases)[0]  # a first pass warms caches, as a running server is
    times: list[float] = []
    cpu: list[float] = []
    load_before = os.getloadavg()[0]
    for _ in range(args.rounds):
        _, wall, spent = evaluate(large, cases)
        times += wall
        cpu += spent
    load_after = os.getloadavg()[0]
    lines = [
        "| kind | complaints | top-1 (3,000) | top-3 (3,000) | "
        f"top-1 ({args.factories:,}) | top-3 ({args.factories:,}) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in ("misspelled", "shortened", "described", "near_two", "all"):
        n, s1, s3 = small_results[kind]
        _, l1, l3 = large_results[kind]
        label = "**all**" if kind == "all" else kind
        lines.append(f"| {label} | {n} | {s1 / n:.1%} | {s3 / n:.1%} | {l1 / n:.1%} | {l3 / n:.1%} |")
    timing = (
        f"matching step with {args.factories:,} factories, {len(times)} matches: "
        f"wall time p50 {_p(times, 50):.1f} ms, **p95 {_p(times, 95):.1f} ms**, max {max(times):.1f} ms; "
        f"CPU time p50 {_p(cpu, 50):.1f} ms, p95 {_p(cpu, 95):.1f} ms "
        f"(index built in {build_s:.1f} s; machine load average {load_before:.1f} → {load_after:.1f} "
        f"on {os.cpu_count()} CPUs during the timed passes)"
    )
    print("\n".join(lines))
    print(timing)
    if args.report:
        _write_report(args.report, lines, timing, len(cases))
    return 0


def _write_report(path: Path, table: list[str], timing: str, count: int) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    block = (
        f"{start}\nMachine: {platform.machine()}, Python {platform.python_version()}, "
        f"{count} labelled complaints.\n\n" + "\n".join(table) + f"\n\n{timing}\n{end}"
    )
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
