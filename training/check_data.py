"""Data hygiene for CI: duplicated and conflicting examples, held-out leakage, class balance.

    python -m training.check_data [--data data] [--heldout FILE ...] [--min-ratio 0]

Examples are compared by the export's key (``cases.review_export.example_key``: entity markup
and whitespace removed, NFC, casefolded), across every file under ``data/``:

- duplicate: the same text twice under the same intent (harmless to Rasa, but it weights
  the example twice and hides how small a class really is);
- conflict: the same text under two intents (DIET is taught two answers for one message);
- leakage: a held-out text in the training data (the held-out score would be inflated).
  Every held-out file is checked (default: each ``tests/nlu/heldout*.yml``: today's
  colloquial set, the real-style set, the English set).

Exit 1 when any of these is found, or when ``--min-ratio`` is set and the smallest intent
has fewer than that share of the largest one's examples; the balance table is always
printed. ``rasa data validate`` (``make validate``) checks the rest (domain, stories).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cases.privacy import mask_personal_data
from cases.review_export import example_key, plain_text, read_examples
from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Occurrence:
    key: str
    text: str
    intent: str
    file: str


@dataclass(frozen=True)
class Finding:
    text: str
    places: tuple[tuple[str, str], ...]  # (intent, file)


@dataclass
class Report:
    duplicates: list[Finding] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)
    leaks: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def balance_ratio(self) -> float:
        return min(self.counts.values()) / max(self.counts.values()) if self.counts else 1.0


def occurrences(files: list[Path], root: Path) -> list[Occurrence]:
    found: list[Occurrence] = []
    for path in files:
        name = path.relative_to(root).as_posix() if root in path.parents else path.as_posix()
        for intent, examples in read_examples(path).items():
            found.extend(Occurrence(example_key(e), plain_text(e), intent, name) for e in examples)
    return found


def find_duplicates(items: list[Occurrence]) -> list[Finding]:
    by_key_intent: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for item in items:
        by_key_intent[(item.key, item.intent)].append(item)
    return [
        Finding(group[0].text, tuple((o.intent, o.file) for o in group))
        for group in by_key_intent.values()
        if len(group) > 1
    ]


def find_conflicts(items: list[Occurrence]) -> list[Finding]:
    by_key: dict[str, list[Occurrence]] = defaultdict(list)
    for item in items:
        by_key[item.key].append(item)
    return [
        Finding(group[0].text, tuple(sorted({(o.intent, o.file) for o in group})))
        for group in by_key.values()
        if len({o.intent for o in group}) > 1
    ]


def find_leaks(training: list[Occurrence], heldout: list[Occurrence]) -> list[Finding]:
    held = {o.key: o for o in heldout}
    leaks: dict[str, list[Occurrence]] = defaultdict(list)
    for item in training:
        if item.key in held:
            leaks[item.key].append(item)
    return [
        Finding(held[key].text, tuple([(o.intent, o.file) for o in group] + [(held[key].intent, held[key].file)]))
        for key, group in leaks.items()
    ]


def check(training: list[Occurrence], heldout: list[Occurrence]) -> Report:
    return Report(
        duplicates=find_duplicates(training),
        conflicts=find_conflicts(training),
        leaks=find_leaks(training, heldout),
        counts=dict(sorted(Counter(o.intent for o in training).items())),
    )


def render(report: Report, *, min_ratio: float = 0.0, shown: int = 30) -> str:
    lines = []
    for title, findings in (
        ("duplicated examples (same text, same intent)", report.duplicates),
        ("conflicting examples (same text, different intents)", report.conflicts),
        ("held-out texts in the training data (leakage)", report.leaks),
    ):
        lines.append(f"{title}: {len(findings)}")
        for finding in findings[:shown]:
            places = ", ".join(f"{intent} in {file}" for intent, file in finding.places)
            lines.append(f"  {finding.text[:70]!r}: {places}")
        if len(findings) > shown:
            lines.append(f"  ... {len(findings) - shown} more")
    counts = report.counts
    lines.append(f"class balance: {len(counts)} intents, {sum(counts.values())} examples")
    if counts:
        largest = max(counts.values())
        width = max(len(i) for i in counts)
        for intent, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {intent:{width}} {n:5d} {'█' * max(1, round(30 * n / largest))}")
        smallest = min(counts, key=lambda i: (counts[i], i))
        biggest = max(counts, key=lambda i: (counts[i], i))
        lines.append(
            f"  min/max ratio {report.balance_ratio:.2f} ({smallest} {counts[smallest]} / "
            f"{biggest} {counts[biggest]})" + (f"; required ≥ {min_ratio:.2f}" if min_ratio else "")
        )
    return "\n".join(lines)


def failed(report: Report, min_ratio: float = 0.0) -> list[str]:
    reasons = []
    if report.duplicates:
        reasons.append(f"{len(report.duplicates)} duplicated")
    if report.conflicts:
        reasons.append(f"{len(report.conflicts)} conflicting")
    if report.leaks:
        reasons.append(f"{len(report.leaks)} leaked from the held-out file")
    if min_ratio and report.balance_ratio < min_ratio:
        reasons.append(f"class balance {report.balance_ratio:.2f} < {min_ratio:.2f}")
    return reasons


# The export's output (``training.export``): examples that came from citizens' messages.
EXPORTED_PREFIX = "nlu/reviewed/"


def find_personal_data(items: list[Occurrence]) -> list[Finding]:
    """Exported examples that still carry personal data (a phone, an ID number, an e-mail,
    a LINE id, a name after a title): the queue masks them, this proves none slipped by.
    Only the export's files: hand-written examples teach the phone entity on made-up numbers."""
    return [
        Finding(mask_personal_data(plain_text(o.text)), ((o.intent, o.file),))
        for o in items
        if o.file.startswith(EXPORTED_PREFIX) and mask_personal_data(plain_text(o.text)) != plain_text(o.text)
    ]


def heldout_files() -> list[Path]:
    """Every held-out file beside TRAINER_HELDOUT (heldout*.yml): the evaluation's files,
    whose folder is a setting so that this package names no path under tests/."""
    first = get_settings().trainer.heldout
    return sorted(Path(first).parent.glob("heldout*.yml")) if first else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="training data folder")
    parser.add_argument(
        "--heldout",
        action="append",
        default=None,
        help="a held-out file (repeatable; default: every heldout*.yml beside TRAINER_HELDOUT)",
    )
    parser.add_argument("--min-ratio", type=float, default=0.0, help="fail below this min/max class ratio")
    args = parser.parse_args(argv)
    data = Path(args.data).resolve()
    files = sorted(p for p in data.rglob("*.yml") if p.is_file())
    heldout = [Path(h).resolve() for h in args.heldout] if args.heldout else heldout_files()
    held = [o for h in heldout if h.is_file() for o in occurrences([h], h.parent)]
    report = check(occurrences(files, data), held)
    print(f"==> {len(files)} files under {args.data}; held-out: {', '.join(h.name for h in heldout)}")
    print(render(report, min_ratio=args.min_ratio))
    reasons = failed(report, args.min_ratio)
    personal = find_personal_data(occurrences(files, data))
    print(f"exported examples with personal data: {len(personal)}")
    for finding in personal[:30]:
        print(f"  {finding.text[:70]!r} (masked here): {finding.places[0][1]}")
    if personal:
        reasons.append(f"{len(personal)} exported with personal data")
    print("==> data check: " + ("FAILED: " + ", ".join(reasons) if reasons else "passed"))
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
