"""Matching benchmark: top-1 / top-3, precision and recall on the labelled set, and the
matching step's latency.

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
from dataclasses import dataclass
from pathlib import Path

from cases.registry.demo import generate
from cases.registry.matching import MIN_SCORE, FactoryIndex, FactoryRecord
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


KINDS = ("misspelled", "shortened", "described", "near_two", "unregistered_name", "unregistered_place")
CURVE = (0.0, 0.2, 0.3, 0.4, 0.5)  # thresholds shown beside the matcher's own


@dataclass
class Outcome:
    """One complaint: the factory it is about (None: not in the registry) and what was offered
    (every candidate of the best three, with its score, before any threshold)."""

    kind: str
    want: str | None
    offered: list[tuple[str, float]]

    def kept(self, threshold: float) -> list[str]:
        return [number for number, score in self.offered if score >= threshold]


def evaluate(index: FactoryIndex, cases: list[dict]) -> tuple[list[Outcome], list[float], list[float]]:
    """Each complaint's outcome; each match's wall time and CPU time in ms."""
    outcomes, times, cpu = [], [], []
    for case in cases:
        start, start_cpu = time.perf_counter(), time.thread_time()
        found = index.match(**_query(case), limit=3, min_score=0.0)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        want = canonical_registration_number(case["registration_number"]) if case["registration_number"] else None
        outcomes.append(Outcome(case["kind"], want, [(c.factory.registration_number, c.score) for c in found]))
    return outcomes, times, cpu


def rates(outcomes: list[Outcome], threshold: float) -> dict[str, float]:
    """Precision and recall of the first candidate and of the three offered, at a threshold.

    An offer is a complaint with at least one candidate left. Precision: offers whose first
    (or any of the three) candidates is the right factory, over all offers. Recall: the same,
    over the complaints whose factory is in the registry. "none right": complaints about an
    unregistered place that were offered nothing."""
    offers = [o for o in outcomes if o.kept(threshold)]
    registered = [o for o in outcomes if o.want is not None]
    unregistered = [o for o in outcomes if o.want is None]
    top1 = sum(1 for o in offers if o.want is not None and o.kept(threshold)[0] == o.want)
    top3 = sum(1 for o in offers if o.want is not None and o.want in o.kept(threshold))
    return {
        "offers": len(offers),
        "p1": top1 / len(offers) if offers else 0.0,
        "r1": top1 / len(registered) if registered else 0.0,
        "p3": top3 / len(offers) if offers else 0.0,
        "r3": top3 / len(registered) if registered else 0.0,
        "none": sum(1 for o in unregistered if not o.kept(threshold)) / len(unregistered) if unregistered else 0.0,
    }


def hit_rates(outcomes: list[Outcome], kind: str, threshold: float) -> tuple[int, float, float]:
    """(complaints, top-1, top-3) for one kind; for an unregistered kind, the share offered nothing."""
    chosen = [o for o in outcomes if kind == "all" or o.kind == kind]
    if all(o.want is None for o in chosen):
        nothing = sum(1 for o in chosen if not o.kept(threshold)) / len(chosen)
        return len(chosen), nothing, nothing
    chosen = [o for o in chosen if o.want is not None]
    first = sum(1 for o in chosen if o.kept(threshold)[:1] == [o.want]) / len(chosen)
    three = sum(1 for o in chosen if o.want in o.kept(threshold)) / len(chosen)
    return len(chosen), first, three


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
    load_before = os.getloadavg()
    for _ in range(args.rounds):
        _, wall, spent = evaluate(large, cases)
        times += wall
        cpu += spent
    load_after = os.getloadavg()
    big = f"{args.factories:,}"
    lines = [
        f"Top-1 / top-3 with the matcher's threshold ({MIN_SCORE}); for the unregistered kinds, the share "
        "of complaints offered nothing (the right answer).",
        "",
        f"| kind | complaints | top-1 (3,000) | top-3 (3,000) | top-1 ({big}) | top-3 ({big}) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*KINDS, "all"):
        n, s1, s3 = hit_rates(small_results, kind, MIN_SCORE)
        _, l1, l3 = hit_rates(large_results, kind, MIN_SCORE)
        label = "**registered, all**" if kind == "all" else kind
        lines.append(f"| {label} | {n} | {s1:.1%} | {s3:.1%} | {l1:.1%} | {l3:.1%} |")
    lines += [
        "",
        "Precision and recall over all complaints (an offer: at least one candidate over the threshold).",
        "",
        "| registry | threshold | offers | precision top-1 | recall top-1 | precision top-3 | recall top-3 "
        "| unregistered offered nothing |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, outcomes in (("3,000", small_results), (big, large_results)):
        for threshold in sorted({*CURVE, MIN_SCORE}):
            r = rates(outcomes, threshold)
            mark = "**" if threshold == MIN_SCORE else ""
            lines.append(
                f"| {label} | {mark}{threshold:.2f}{mark} | {r['offers']} | {r['p1']:.1%} | {r['r1']:.1%} "
                f"| {r['p3']:.1%} | {r['r3']:.1%} | {r['none']:.1%} |"
            )
    timing = (
        f"matching step with {big} factories, {len(times)} matches: "
        f"wall time p50 {_p(times, 50):.1f} ms, **p95 {_p(times, 95):.1f} ms**, max {max(times):.1f} ms; "
        f"CPU time p50 {_p(cpu, 50):.1f} ms, **p95 {_p(cpu, 95):.1f} ms** "
        f"(index built in {build_s:.1f} s; load average (1, 5, 15 min) "
        f"{', '.join(f'{v:.2f}' for v in load_before)} before and {', '.join(f'{v:.2f}' for v in load_after)} "
        f"after the timed passes, on {os.cpu_count()} CPUs)"
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
