"""The current model's figures for trainers, read from the evaluation report.

``make evaluate`` (evaluation/) writes ``benchmarks/nlu.md``; its committed versions in git
are the history, so the per-intent trend is that table across the report's commits.
Parsing is pure (``parse_report``); ``report_history`` asks git for the older versions.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class IntentFigures:
    intent: str
    support: int
    precision: float
    recall: float
    f1: float
    baseline_f1: float | None


@dataclass
class ModelReport:
    date: str | None = None
    model: str | None = None
    targets: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, wanted, measured, verdict
    summary: list[tuple[str, str, str]] = field(default_factory=list)  # metric, rasa, baseline
    intents: dict[str, IntentFigures] = field(default_factory=dict)


def _rows(lines: list[str], heading: str) -> list[list[str]]:
    """The body rows of the first table after ``## <heading>``."""
    rows: list[list[str]] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside and rows:
                break
            inside = line[3:].strip().lower().startswith(heading.lower())
            continue
        if inside and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            rows.append(cells)
        elif inside and rows and not line.strip():
            break
    return rows[1:]  # without the header row


def _number(text: str) -> float | None:
    try:
        return float(text.replace("*", "").strip())
    except ValueError:
        return None


def parse_report(markdown: str) -> ModelReport:
    """The figures of a ``benchmarks/nlu.md``; what is missing stays empty (never raises)."""
    lines = markdown.splitlines()
    report = ModelReport()
    for line in lines:
        if match := re.match(r"- date:\s*(.+)", line):
            report.date = report.date or match.group(1).strip()
        elif match := re.match(r"- model:\s*(.+)", line):
            report.model = report.model or match.group(1).strip().replace("`", "")
    report.targets = [(r[0], r[1], r[2], r[3].replace("*", "")) for r in _rows(lines, "Targets") if len(r) >= 4]
    report.summary = [(r[0], r[1], r[2]) for r in _rows(lines, "Intents, scope") if len(r) >= 3]
    for row in _rows(lines, "Per intent (Rasa)"):
        if len(row) < 5:
            continue
        numbers = [_number(c) for c in row[1:6]]
        if None in numbers[:4]:
            continue
        support, precision, recall, f1 = numbers[:4]
        report.intents[row[0]] = IntentFigures(
            row[0],
            int(support or 0),
            precision or 0.0,
            recall or 0.0,
            f1 or 0.0,
            numbers[4] if len(numbers) > 4 else None,
        )
    return report


@dataclass(frozen=True)
class Trend:
    """Per-intent F1 over the report's versions, oldest first."""

    dates: list[str]
    f1: dict[str, list[float | None]]


def trend(reports: list[ModelReport]) -> Trend:
    """Pure: line the reports (oldest first) up per intent."""
    intents = sorted({name for r in reports for name in r.intents})
    return Trend(
        [r.date or "?" for r in reports],
        {name: [r.intents[name].f1 if name in r.intents else None for r in reports] for name in intents},
    )


def report_history(path: Path, limit: int = 8) -> list[ModelReport]:
    """The report's committed versions and the file as it is now, oldest first, at most
    ``limit`` (only the file when git is not there)."""
    reports: list[ModelReport] = []
    try:
        root = path.resolve().parent
        relative = subprocess.run(
            ["git", "ls-files", "--full-name", path.name], cwd=root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        commits = subprocess.run(
            ["git", "log", f"-{limit}", "--format=%H", "--", path.name],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.split()
        for commit in reversed(commits):
            shown = subprocess.run(
                ["git", "show", f"{commit}:{relative}"], cwd=root, capture_output=True, text=True, timeout=10
            )
            if shown.returncode == 0:
                reports.append(parse_report(shown.stdout))
    except (OSError, subprocess.SubprocessError):
        reports = []
    if path.exists():
        current = parse_report(path.read_text(encoding="utf-8"))
        if not reports or reports[-1].date != current.date:
            reports.append(current)
    return reports[-limit:]
