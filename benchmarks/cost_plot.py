"""Plot how the cost per message grows (benchmarks/cost.py's JSON lines) as a PNG.

    .venv/rasa/bin/python -m benchmarks.cost_plot /tmp/cost.jsonl benchmarks/cost_growth.png

Three panels: stack CPU ms per message and reply p95 against the tickets already in the
case database, against the citizen's complaint number, and against the number of Rasa
servers. Runs in .venv/rasa (matplotlib is there).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def load(paths: list[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                if "cpu_ms_per_message" in row:
                    rows.append(row)
    return rows


def panel(ax, rows: list[dict[str, Any]], key: str, label: str, log: bool = False) -> None:  # type: ignore[no-untyped-def]
    rows = sorted(rows, key=lambda r: r[key])
    compared = sorted({r["series"] for r in rows if r.get("series")})
    if compared:  # runs side by side (a "series" key added to their JSON lines): one line each
        for series, style in zip(compared, ("o-", "s-", "^-")):
            mine = [r for r in rows if r.get("series") == series]
            ax.plot(
                [r[key] for r in mine], [r["stack_cpu_ms_per_message"] for r in mine], style, label=f"{series}: stack"
            )
            ax.plot(
                [r[key] for r in mine],
                [r["cpu_ms_per_message"]["rasa"] for r in mine],
                style[0] + ":",
                label=f"{series}: Rasa",
            )
        ax.legend(loc="upper left", fontsize=7)
        ax.set_xlabel(label)
        ax.set_ylabel("CPU ms per message")
        ax.set_ylim(bottom=0)
        return
    xs = [r[key] for r in rows]
    ax.plot(xs, [r["stack_cpu_ms_per_message"] for r in rows], "o-", color="tab:blue", label="stack CPU ms/message")
    # The generator does the same work per message in every window; with --renice-others its
    # figure also holds the renicing thread, which scans every process of the machine.
    generator = [r["cpu_ms_per_message"].get("load generator") for r in rows]
    ax.plot(xs, generator, ":", color="grey", label="load generator CPU ms/message (renicer included)")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_xlabel(label)
    ax.set_ylabel("CPU ms per message", color="tab:blue")
    ax.set_ylim(bottom=0)
    if log:
        ax.set_xscale("symlog", linthresh=1000)
    other = ax.twinx()
    other.plot(xs, [r["reply_ms"]["95"] for r in rows], "s--", color="tab:red", label="reply p95 ms")
    other.set_ylabel("reply p95 ms", color="tab:red")
    other.set_ylim(bottom=0)


def main() -> None:
    *inputs, output = sys.argv[1:]
    rows = load([Path(p) for p in inputs])
    # Runs compared side by side ("series") go to the history panel only.
    single = [r for r in rows if not r.get("series")]
    tickets = [r for r in single if "tickets_seeded" in r and r.get("rasa") == 1]
    history = [r for r in rows if "complaint" in r]
    if any(r.get("series") for r in history):
        history = [r for r in history if r.get("series")]
    by_rasa: dict[int, dict[str, Any]] = {}
    for r in single:
        if r.get("tickets_seeded") == min((t.get("tickets_seeded", 0) for t in tickets), default=0):
            by_rasa[r["rasa"]] = r  # the last window of each Rasa count at the fewest tickets
    panels = [(tickets, "tickets_seeded", "tickets in the case database", True)]
    panels.append((history, "complaint", "complaint number of the same citizen", False))
    panels.append((list(by_rasa.values()), "rasa", "Rasa servers", False))
    panels = [p for p in panels if p[0]]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
    for ax, (data, key, label, log) in zip(axes[0], panels):
        panel(ax, data, key, label, log)
    fig.suptitle(
        "i-Dee: CPU per citizen message as things grow (2 shared cores; stack = all but the generator and the fake LINE)"
    )
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
