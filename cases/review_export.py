"""Export accepted review items into Rasa YAML training data (``python -m training.export``).

Accepted items of the trainers' review queue (cases/review_queue.py) are written to
``data/nlu/reviewed/<intent>.yml`` (``--by source``: ``<source>.yml``), one example per line
with its entity spans in Rasa's ``[text](entity)`` syntax. Each text is compared, normalised
(entity markup and whitespace removed, NFC, casefolded), with every example under
``data/``:

- the same text under the same intent: a duplicate, skipped (and marked exported);
- the same text under another intent: a **conflict**, reported, not written, left for the
  trainer; the command then exits with status 1;
- a text of the held-out file (``TRAINER_HELDOUT``, only read): never exported.

Files under the output folder are the queue's own: an item exported again after a new
decision replaces its earlier line. Masking placeholders (``[phone]``, ``[subject_name]``)
become neutral Thai words so that no bracket is read as entity markup.

Python API (for the console and the trainers' loop)::

    result = export_reviewed(session, data_dir=Path("data"))   # commits nothing itself
    result.ok, result.written, result.conflicts, result.duplicates

Runs in the app environment (needs the case database, not Rasa). It lives in cases/ because the
console and the command line (training/export.py) both use it, and the console may not import
training/ (docs/architecture.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import yaml
from sqlalchemy.orm import Session

from cases.privacy import NAME_PLACEHOLDER
from cases.review_queue import TRAINABLE_INTENTS, items_to_export, mark_exported

REVIEWED_SUBDIR = Path("nlu") / "reviewed"
GROUPINGS = ("intent", "source")


# Masking placeholders → neutral words (training text must not carry markup-like brackets).
PLACEHOLDER_WORDS = {
    "[subject_name]": "โรงงานแห่งหนึ่ง",
    "[phone]": "เบอร์โทรศัพท์",
    "[national-id]": "เลขบัตรประชาชน",
    "[email]": "อีเมล",
    "[line-id]": "ไอดี",
    "[name]": NAME_PLACEHOLDER,
}
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
HEADER = (
    "# Written by `python -m training.export` from the trainers' review queue (accepted items).\n"
    "# Edit through the console's trainer pages; a line here is replaced when its item is re-exported.\n"
)


# -- pure helpers ---------------------------------------------------------------------------


def plain_text(example: str) -> str:
    """An example without Rasa's entity markup: ``ที่[ระยอง](province)`` → ``ที่ระยอง``."""
    return _MARKUP.sub(r"\1", example)


def example_key(example: str) -> str:
    """What makes two examples the same text (Thai spacing is free: whitespace is ignored)."""
    text = unicodedata.normalize("NFC", plain_text(example))
    return re.sub(r"\s+", "", text).casefold()


def annotated_example(text: str, entities: Iterable[dict] | None) -> str:
    """The item's text in Rasa's syntax: entity spans marked, placeholders filled, one line."""
    spans = sorted(entities or [], key=lambda e: e["start"])
    pieces: list[str] = []
    position = 0
    for span in spans:
        if span["start"] < position or span["end"] > len(text):
            continue
        pieces.append(_clean(text[position : span["start"]]))
        pieces.append(f"[{_clean(text[span['start'] : span['end']], brackets=True)}]({span['entity']})")
        position = span["end"]
    pieces.append(_clean(text[position:]))
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _clean(text: str, brackets: bool = False) -> str:
    for placeholder, word in PLACEHOLDER_WORDS.items():
        text = text.replace(placeholder, word)
    text = text.replace("[", "(").replace("]", ")")
    if brackets:
        text = text.replace("(", "").replace(")", "")
    return text


def read_examples(path: Path) -> dict[str, list[str]]:
    """intent → examples of one Rasa NLU YAML file (synonyms, regexes, lookups ignored)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    for block in (document.get("nlu") or []) if isinstance(document, dict) else []:
        if not isinstance(block, dict) or "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found[str(block["intent"])].append(line[2:].strip())
    return dict(found)


def render_file(examples: dict[str, list[str]]) -> str:
    """A Rasa 3 NLU YAML file, intents and examples sorted (stable diffs in git)."""
    lines = [HEADER, 'version: "3.1"', "", "nlu:"]
    for intent in sorted(examples):
        rows = sorted(set(examples[intent]), key=example_key)
        if not rows:
            continue
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {row}" for row in rows)
    return "\n".join(lines) + "\n"


# -- the export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    text: str
    intent: str
    other_intent: str
    where: str  # file (relative to the data folder) or "review queue"
    item_id: int


@dataclass
class ExportResult:
    written: dict[str, int] = field(default_factory=dict)  # file → examples added
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    heldout: list[int] = field(default_factory=list)  # item ids whose text is held out
    exported_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts

    def summary(self) -> str:
        added = sum(self.written.values())
        return (
            f"export: {added} example(s) added in {len(self.written)} file(s), "
            f"{self.duplicates} duplicate(s) skipped, {len(self.conflicts)} conflict(s), "
            f"{len(self.heldout)} held-out text(s) refused"
        )


def export_reviewed(
    session: Session,
    *,
    data_dir: Path,
    out_dir: Path | None = None,
    by: str = "intent",
    heldout: Path | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ExportResult:
    """Write accepted, not yet exported items into ``out_dir`` (default data/nlu/reviewed).

    Marks the written items and the duplicates exported (the caller commits the session);
    with ``dry_run`` nothing is written or marked. Without ``heldout`` no text is refused as
    held out.
    """
    if by not in GROUPINGS:
        raise ValueError(f"--by must be one of {GROUPINGS}")
    out_dir = out_dir or data_dir / REVIEWED_SUBDIR
    base = _existing_examples(data_dir, exclude=out_dir)
    held = {example_key(e) for examples in read_examples(heldout).values() for e in examples} if heldout else set()
    reviewed = {p.stem: read_examples(p) for p in sorted(out_dir.glob("*.yml"))}

    result = ExportResult()
    batch: dict[str, tuple[str, int]] = {}
    touched: set[str] = set()
    for item in items_to_export(session):
        intent = item.label
        if intent not in TRAINABLE_INTENTS:
            continue  # accept() refuses these; nothing to train
        example = annotated_example(item.text, item.entities)
        key = example_key(example)
        if not key:
            continue
        if key in held:
            result.heldout.append(item.id)
            continue
        if key in batch and batch[key][0] != intent:
            result.conflicts.append(Conflict(item.text, intent, batch[key][0], "review queue", item.id))
            continue
        known = base.get(key)
        if known and any(other != intent for other, _ in known):
            other, where = next((o, w) for o, w in known if o != intent)
            result.conflicts.append(Conflict(item.text, intent, other, where, item.id))
            continue
        if known:
            result.duplicates += 1
            result.exported_ids.append(item.id)
            continue
        batch[key] = (intent, item.id)
        for name, examples in reviewed.items():  # an earlier decision on this text is replaced
            for other, rows in examples.items():
                kept = [row for row in rows if example_key(row) != key]
                if len(kept) != len(rows):
                    examples[other] = kept
                    touched.add(name)
        name = intent if by == "intent" else item.source
        reviewed.setdefault(name, {}).setdefault(intent, []).append(example)
        touched.add(name)
        result.written[str(out_dir / f"{name}.yml")] = result.written.get(str(out_dir / f"{name}.yml"), 0) + 1
        result.exported_ids.append(item.id)

    if dry_run:
        return result
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in sorted(touched):
        path = out_dir / f"{name}.yml"
        if any(reviewed[name].values()):
            path.write_text(render_file(reviewed[name]), encoding="utf-8")
        elif path.exists():
            path.unlink()
    mark_exported(session, result.exported_ids, now or datetime.now(timezone.utc))
    return result


def _existing_examples(data_dir: Path, *, exclude: Path) -> dict[str, list[tuple[str, str]]]:
    """key → [(intent, file)] of every example under ``data_dir`` outside ``exclude``."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    exclude = exclude.resolve()
    for path in sorted(data_dir.rglob("*.yml")):
        if exclude in path.resolve().parents:
            continue
        for intent, examples in read_examples(path).items():
            for example in examples:
                found[example_key(example)].append((intent, str(path.relative_to(data_dir))))
    return found
