"""make evaluate: score the trained model and the baseline on a held-out NLU file.

    python -m evaluation --model models/idee.tar.gz --nlu tests/nlu/heldout.yml \
        --train data --out results --report benchmarks/nlu.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from evaluation import metrics
from evaluation.baseline import train_and_predict
from evaluation.dataset import load_examples
from evaluation.plots import save_confusion_png
from evaluation.report import console, issue_figures, markdown
from evaluation.scoring import FALLBACK, score, spans


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


async def parse_all(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def write_report(result: dict[str, Any], args: argparse.Namespace, out: Path, run: dict[str, Any]) -> None:
    import yaml

    config = yaml.safe_load(Path("config.yml").read_text())
    diet = next(c for c in config["pipeline"] if c["name"] == "DIETClassifier")
    blender = next((c for c in config["pipeline"] if c["name"].endswith("CharNgramIntentBlender")), None)
    meta = {
        **run,
        "machine": machine(),
        "pipeline": f"config.yml, DIET {diet.get('epochs')} epochs"
        + (f" blended with the char n-gram classifier (weight {blender.get('weight')})" if blender else ""),
        "notes": [
            "The baseline has no entity extractor; its routing uses the gold entities (an upper bound for it).",
            f"{len(result['overlap'])} held-out texts occur verbatim in the training data (written "
            "independently; mostly short greetings/answers); the 'not in training' row "
            "leaves them out. They are listed in results/nlu_evaluation.json.",
        ]
        + args.note,
    }
    speed_file = out / "nlu_speed.json"
    if speed_file.exists():
        meta["speed"] = json.loads(speed_file.read_text())
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(markdown(result, meta), encoding="utf-8")
    print(f"\n==> wrote {out}/nlu_evaluation.json, {out}/confusion_matrix.png and {args.report}")


def score_file(
    test: list, train: list, parsed: list[dict[str, Any]], base_intents: list[str], run: dict[str, Any]
) -> dict[str, Any]:
    """One held-out file's figures for the model and the baseline."""
    pred_intents = [(p.get("intent") or {}).get("name") or FALLBACK for p in parsed]
    pred_spans = [
        [(e["entity"], e.get("start", -1), e.get("end", -1), str(e.get("value", ""))) for e in p.get("entities", [])]
        for p in parsed
    ]
    overlap = {e.text for e in test} & {e.text for e in train}
    if overlap:
        print(f"warning: {len(overlap)} texts of {run['test_file']} also appear in the training data", file=sys.stderr)
    gold_spans = [spans(e.entities) for e in test]
    rasa = score(test, pred_intents, pred_spans)
    # Held-out texts that also occur verbatim in the training data (short chit-chat mostly)
    # inflate the score; report macro-F1 without them as well.
    unseen = [i for i, e in enumerate(test) if e.text not in overlap]
    rasa["macro_f1_unseen"] = metrics.macro_f1([test[i].intent for i in unseen], [pred_intents[i] for i in unseen])
    rasa["fallbacks"] = sum(p == FALLBACK for p in pred_intents)
    rasa["entities_span"] = {k: asdict(v) for k, v in metrics.entity_scores(gold_spans, pred_spans, "span").items()}
    rasa["entities_value"] = {k: asdict(v) for k, v in metrics.entity_scores(gold_spans, pred_spans, "value").items()}
    # The baseline has no entity extractor: route it with the gold entities (its best case).
    baseline = score(test, base_intents, gold_spans)
    baseline["macro_f1_unseen"] = metrics.macro_f1([test[i].intent for i in unseen], [base_intents[i] for i in unseen])
    baseline["fallbacks"] = 0
    rasa["n"] = baseline["n"] = len(test)
    return {"rasa": rasa, "baseline": baseline, "overlap": sorted(overlap), "n_unseen": len(unseen), "run": run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/idee.tar.gz")
    parser.add_argument(
        "--nlu",
        action="append",
        default=None,
        help="a held-out file (repeatable; the first one gets the detailed report)",
    )
    parser.add_argument("--train", default="data", help="training data for the baseline")
    parser.add_argument("--out", default="results")
    parser.add_argument("--report", default="benchmarks/nlu.md", help="markdown report ('' = none)")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from <out>/nlu_evaluation.json (e.g. after the speed benchmark) without parsing again",
    )
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        result = json.loads((out / "nlu_evaluation.json").read_text(encoding="utf-8"))
        write_report(result, args, out, result["run"])
        return 0

    files = args.nlu or ["tests/nlu/heldout.yml"]
    print(f"==> loading {', '.join(files)} and {args.train}", flush=True)
    tests, train = [load_examples(f) for f in files], load_examples(args.train)
    all_texts = [e.text for test in tests for e in test]

    print(f"==> parsing {len(all_texts)} messages with {args.model}", flush=True)
    started = time.monotonic()
    all_parsed = asyncio.run(parse_all(args.model, all_texts))
    print(f"    parsed in {time.monotonic() - started:.1f}s", flush=True)

    print(f"==> baseline: char n-gram TF-IDF + logistic regression on {len(train)} examples", flush=True)
    all_base = train_and_predict([e.text for e in train], [e.intent for e in train], all_texts)

    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results, at = [], 0
    for path, test in zip(files, tests):
        parsed, base_intents = all_parsed[at : at + len(test)], all_base[at : at + len(test)]
        at += len(test)
        run = {
            "date": date,
            "model": args.model,
            "test_file": path,
            "n_test": len(test),
            "train_data": args.train,
            "n_train": len(train),
        }
        results.append(score_file(test, train, parsed, base_intents, run))
    result = results[0]
    if len(results) > 1:
        result["files"] = [
            {
                "test_file": r["run"]["test_file"],
                "n_test": r["run"]["n_test"],
                "rasa": issue_figures(r["rasa"]),
                "baseline": issue_figures(r["baseline"]),
                "top_confusions": r["rasa"]["top_confusions"][:8],
            }
            for r in results
        ]
    for r in results:
        name = "nlu_evaluation.json" if r is result else f"nlu_evaluation_{Path(r['run']['test_file']).stem}.json"
        (out / name).write_text(json.dumps(r, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\n######## {r['run']['test_file']} ({r['run']['n_test']} examples)")
        print(console(r))
    save_confusion_png(
        result["rasa"]["confusion"],
        result["rasa"]["labels"] + [FALLBACK],
        out / "confusion_matrix.png",
        "Rasa: held-out intents",
    )
    save_confusion_png(
        result["baseline"]["confusion"],
        result["baseline"]["labels"] + [FALLBACK],
        out / "baseline_confusion_matrix.png",
        "TF-IDF + LR baseline: held-out intents",
    )
    run = result["run"]
    rasa, baseline = result["rasa"], result["baseline"]

    if args.report:
        write_report(result, args, out, run)
    print(
        f"==> summary: Rasa macro-F1 {rasa['macro_f1']:.3f} vs baseline {baseline['macro_f1']:.3f}; "
        f"routing {rasa['routing']['accuracy']:.3f}; province F1 {rasa['entities_span'].get('province', {}).get('f1', 0):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
