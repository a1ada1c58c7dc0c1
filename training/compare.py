"""The compare gate: score a candidate and the current model on the held-out file, print
macro-F1 and per-intent recall side by side, refuse a candidate that makes things worse.

    python -m training.compare --candidate models/idee-20261125-1600-5697249f.tar.gz \
        --current models/idee-20261120-0900-1a2b3c4d.tar.gz [--force]

Exit 0: accepted (or forced); 1: refused; 2: the evaluation could not run. The verdict is
written next to the candidate (``<candidate>.gate.json``); the hot swap reads it.
The models are parsed in the Rasa environment (``python -m evaluation.predictions``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from settings import get_settings
from training.gate import ONE_POINT, Decision, Scores, decide, scores

ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
MAX_CHANGED_SHOWN = 15


def gate_record_path(candidate: str | Path) -> Path:
    candidate = Path(candidate)
    return candidate.with_name(candidate.name.removesuffix(".tar.gz") + ".gate.json")


def run_predictions(models: list[str], nlu: Path) -> dict[str, Any]:
    """Parse the held-out file with each model, in the Rasa environment."""
    argv = [str(RASA_PYTHON), "-m", "evaluation.predictions", "--nlu", str(nlu)]
    for model in models:
        argv += ["--model", model]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "predictions.json"
        # A file, not stdout: Rasa and TensorFlow print to stdout while models load.
        result = subprocess.run(
            [*argv, "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
        )
        if result.returncode != 0:
            tail = "\n".join(result.stderr.splitlines()[-20:])
            raise RuntimeError(f"evaluation.predictions failed (exit {result.returncode}):\n{tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def _pct(value: float) -> str:
    return f"{100 * value:6.1f}"


def _delta(value: float) -> str:
    return f"{100 * value:+6.1f}"


def table(current: Scores, candidate: Scores, decision: Decision) -> str:
    """Side by side in points (percent): current, candidate, difference; ✗ marks a refusal."""
    flagged = {r.what for r in decision.regressions}
    width = max(len(i) for i in [*current.recall, "macro-F1 (all intents)"]) + 2
    lines = [f"{'':{width}}{'current':>9}{'candidate':>11}{'diff':>8}"]

    def row(name: str, key: str, before: float, after: float) -> None:
        mark = "  ✗" if key in flagged else ("  ↓" if after < before - 1e-9 else "")
        lines.append(f"{name:{width}}{_pct(before):>9}{_pct(after):>11}{_delta(after - before):>8}{mark}")

    row("macro-F1 (all intents)", "macro_f1", current.macro_f1, candidate.macro_f1)
    row("accuracy", "accuracy", current.accuracy, candidate.accuracy)
    lines.append(
        f"{'fallbacks (count)':{width}}{current.fallbacks:>9}{candidate.fallbacks:>11}"
        f"{candidate.fallbacks - current.fallbacks:>+8}"
    )
    lines.append("recall per intent:")
    for intent in sorted(current.recall):
        row(f"  {intent}", intent, current.recall[intent], candidate.recall.get(intent, 0.0))
    return "\n".join(lines)


def changed_examples(texts: list[str], gold: list[str], before: list[str], after: list[str]) -> dict:
    fixed = [{"text": t, "gold": g, "was": b} for t, g, b, a in zip(texts, gold, before, after) if b != g and a == g]
    broken = [{"text": t, "gold": g, "now": a} for t, g, b, a in zip(texts, gold, before, after) if b == g and a != g]
    return {"fixed": fixed, "broken": broken}


def compare(
    predictions: dict[str, Any], candidate: str, current: str, *, force: bool, tolerance: float
) -> tuple[Decision, Scores, Scores, dict]:
    gold = predictions["gold"]
    current_pred = predictions["models"][current]["pred"]
    candidate_pred = predictions["models"][candidate]["pred"]
    current_scores, candidate_scores = scores(gold, current_pred), scores(gold, candidate_pred)
    decision = decide(current_scores, candidate_scores, force=force, tolerance=tolerance)
    changes = changed_examples(predictions["texts"], gold, current_pred, candidate_pred)
    return decision, current_scores, candidate_scores, changes


def report(
    decision: Decision,
    current: Scores,
    candidate: Scores,
    changes: dict,
    *,
    candidate_name: str,
    current_name: str,
    n: int,
    tolerance: float,
) -> str:
    lines = [
        f"candidate: {candidate_name}",
        f"current:   {current_name}",
        f"held-out:  {n} messages; points = percent; ✗ = fell by more than {100 * tolerance:.0f} point(s)",
        "",
        table(current, candidate, decision),
        "",
    ]
    for title, key, field in (("now right (was wrong)", "fixed", "was"), ("now wrong (was right)", "broken", "now")):
        items = changes[key]
        lines.append(f"{title}: {len(items)}")
        for item in items[:MAX_CHANGED_SHOWN]:
            lines.append(f"  [{item['gold']} ← {field} {item[field]}] {item['text'][:70]}")
        if len(items) > MAX_CHANGED_SHOWN:
            lines.append(f"  ... {len(items) - MAX_CHANGED_SHOWN} more in the gate record")
    lines.append("")
    for r in decision.regressions:
        lines.append(
            f"regression: {r.what} {100 * r.current:.1f} -> {100 * r.candidate:.1f} ({-100 * r.drop:+.1f} points)"
        )
    summary = f"==> gate: {decision.verdict}: macro-F1 {100 * current.macro_f1:.1f} -> {100 * candidate.macro_f1:.1f}"
    if decision.regressions and not decision.forced:
        summary += f"; {len(decision.regressions)} regression(s) over the limit (use --force to accept anyway)"
    lines.append(summary)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", required=True, help="the newly trained model (.tar.gz)")
    parser.add_argument("--current", required=True, help="the model live now (.tar.gz)")
    heldout = get_settings().trainer.heldout
    parser.add_argument("--nlu", default=heldout, help="held-out NLU file, never trained on (default TRAINER_HELDOUT)")
    parser.add_argument("--force", action="store_true", help="accept even with regressions")
    parser.add_argument("--tolerance", type=float, default=ONE_POINT, help="allowed drop (0.01 = one point)")
    parser.add_argument("--predictions", help="read predictions JSON instead of running the models")
    parser.add_argument("--record", help="where to write the verdict (default: <candidate>.gate.json)")
    args = parser.parse_args(argv)

    for path in (args.candidate, args.current):
        if not args.predictions and not Path(path).is_file():
            print(f"error: no model file {path}", file=sys.stderr)
            return 2
    started = time.monotonic()
    try:
        if args.predictions:
            predictions = json.loads(Path(args.predictions).read_text(encoding="utf-8"))
        elif args.nlu is None:
            print("error: no held-out NLU file: pass --nlu or set TRAINER_HELDOUT", file=sys.stderr)
            return 2
        else:
            print(f"==> parsing {args.nlu} with both models (Rasa environment) ...", flush=True)
            predictions = run_predictions([args.candidate, args.current], Path(args.nlu))
    except (RuntimeError, OSError, ValueError, subprocess.TimeoutExpired) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    decision, current, candidate, changes = compare(
        predictions, args.candidate, args.current, force=args.force, tolerance=args.tolerance
    )
    print(
        report(
            decision,
            current,
            candidate,
            changes,
            candidate_name=Path(args.candidate).name,
            current_name=Path(args.current).name,
            n=len(predictions["gold"]),
            tolerance=args.tolerance,
        )
    )
    record = {
        "candidate": str(Path(args.candidate).resolve()) if not args.predictions else args.candidate,
        "current": str(Path(args.current).resolve()) if not args.predictions else args.current,
        "candidate_model_id": predictions["models"][args.candidate].get("model_id"),
        "current_model_id": predictions["models"][args.current].get("model_id"),
        "nlu": predictions.get("nlu", args.nlu),
        "verdict": decision.verdict,
        "accepted": decision.accepted,
        "forced": decision.forced,
        "tolerance": args.tolerance,
        "regressions": [asdict(r) for r in decision.regressions],
        "current_scores": asdict(current),
        "candidate_scores": asdict(candidate),
        "changes": changes,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
    }
    record_path = Path(args.record) if args.record else gate_record_path(args.candidate)
    try:
        record_path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"==> verdict written to {record_path}")
    except OSError as error:
        print(f"warning: verdict not written ({error})", file=sys.stderr)
    return 0 if decision.accepted else 1


if __name__ == "__main__":
    sys.exit(main())
