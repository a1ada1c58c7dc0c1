"""Export accepted review items into Rasa YAML training data: ``python -m training.export``.

The export itself is cases/review_export.py (the console's export button uses it too).
``--heldout`` defaults to ``TRAINER_HELDOUT`` (the Makefile sets it to tests/nlu/heldout.yml).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cases.db import make_engine, make_session_factory
from cases.review_export import REVIEWED_SUBDIR, GROUPINGS, export_reviewed
from settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.export", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("data"), help="training data folder (default data/)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default <data>/nlu/reviewed)")
    parser.add_argument("--by", choices=GROUPINGS, default="intent", help="one file per intent or per source")
    parser.add_argument(
        "--heldout",
        type=Path,
        default=get_settings().trainer.heldout,
        help="held-out file, only read (TRAINER_HELDOUT)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report only; write and mark nothing")
    args = parser.parse_args(argv)

    if args.heldout is None:
        print(
            "export: no held-out file (--heldout or TRAINER_HELDOUT): held-out texts are not refused", file=sys.stderr
        )
    print(f"export: reading accepted items from the review queue into {args.out or args.data / REVIEWED_SUBDIR}")
    with make_session_factory(make_engine(get_settings().database.sqlalchemy_url)).begin() as session:
        result = export_reviewed(
            session, data_dir=args.data, out_dir=args.out, by=args.by, heldout=args.heldout, dry_run=args.dry_run
        )
    for path, count in sorted(result.written.items()):
        print(f"  + {count:4d}  {path}")
    for conflict in result.conflicts:
        print(
            f"  CONFLICT item {conflict.item_id}: “{conflict.text}” is {conflict.intent} here "
            f"but {conflict.other_intent} in {conflict.where}",
            file=sys.stderr,
        )
    if result.heldout:
        print(f"  held out (never exported): items {result.heldout}", file=sys.stderr)
    print(result.summary() + (" (dry run)" if args.dry_run else ""))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
