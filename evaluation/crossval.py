"""Stratified k-fold cross-validation on the training data (never the held-out file).

The decisions about data and pipeline are taken on these figures, so the held-out file
is only measured at the end. Each fold trains the Rasa NLU pipeline of ``--config`` on
the other folds (lookups, regexes and synonyms always included) and the TF-IDF baseline
on the same split; out-of-fold predictions of all folds are pooled and scored like the
held-out evaluation (intents, scope, routing).

    .venv/rasa/bin/python -m evaluation.crossval --data data --folds 3 --out /tmp/cv

``--diet-only`` drops ``CharNgramIntentBlender`` from the config's pipeline, so the
rankings kept are DIET's own: ``evaluation.blend`` then scores the blend's settings on them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evaluation import metrics
from evaluation.baseline import train_and_predict
from evaluation.dataset import Example, entities_from_dicts
from evaluation.scoring import FALLBACK, score
from nlu import char_ngram

SEED = 2569


def fold_indices(intents: list[str], folds: int, seed: int = SEED) -> list[list[int]]:
    """Test indices of each fold, stratified by intent and reproducible."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [list(test) for _, test in splitter.split(intents, intents)]


BLENDER = "CharNgramIntentBlender"


def diet_only_config(config: str, out: Path) -> Path:
    """A copy of ``config`` without the n-gram blender (its other settings unchanged)."""
    import yaml

    parsed = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    parsed["pipeline"] = [c for c in parsed["pipeline"] if not str(c["name"]).endswith(BLENDER)]
    out.mkdir(parents=True, exist_ok=True)
    path = out / "config_diet_only.yml"
    path.write_text(yaml.safe_dump(parsed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _parse(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def run(data: str, config: str, folds: int, out: Path, seed: int = SEED) -> dict[str, Any]:
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from evaluation.dataset import load_training_data

    training_data = load_training_data(data)
    messages = training_data.intent_examples
    examples = [Example(m.get("text"), m.get("intent"), entities_from_dicts(m.get("entities"))) for m in messages]
    intents = [e.intent for e in examples]
    pred_intents: list[str] = [""] * len(examples)
    pred_spans: list[list] = [[] for _ in examples]
    rankings: list[list] = [[] for _ in examples]  # the classifier's ranking, for threshold studies
    ngram: list[dict] = [{} for _ in examples]  # char n-gram probabilities, for evaluation.blend
    base_intents: list[str] = [""] * len(examples)
    timings = []
    for k, test_idx in enumerate(fold_indices(intents, folds, seed)):
        test_set = set(test_idx)
        train_idx = [i for i in range(len(examples)) if i not in test_set]
        fold_data = TrainingData(
            training_examples=[messages[i] for i in train_idx],
            entity_synonyms=training_data.entity_synonyms,
            regex_features=training_data.regex_features,
            lookup_tables=training_data.lookup_tables,
        )
        with tempfile.TemporaryDirectory() as tmp:
            nlu_file = Path(tmp) / "nlu.yml"
            nlu_file.write_text(fold_data.nlu_as_yaml(), encoding="utf-8")
            started, cpu = time.monotonic(), _cpu_seconds()
            model = train_nlu(config, str(nlu_file), str(Path(tmp) / "models"), fixed_model_name=f"fold{k}")
            timings.append({"fold": k, "wall_s": time.monotonic() - started, "cpu_s": _cpu_seconds() - cpu})
            print(
                f"==> fold {k}: trained in {timings[-1]['wall_s']:.0f}s wall, {timings[-1]['cpu_s']:.0f}s CPU",
                flush=True,
            )
            parsed = asyncio.run(_parse(model, [examples[i].text for i in test_idx]))
        for i, p in zip(test_idx, parsed):
            pred_intents[i] = (p.get("intent") or {}).get("name") or FALLBACK
            rankings[i] = [
                (r.get("name"), round(float(r.get("confidence", 0.0)), 4)) for r in (p.get("intent_ranking") or [])[:10]
            ]
            pred_spans[i] = [
                (e["entity"], e.get("start", -1), e.get("end", -1), str(e.get("value", "")))
                for e in p.get("entities", [])
            ]
        base = train_and_predict(
            [examples[i].text for i in train_idx], [intents[i] for i in train_idx], [examples[i].text for i in test_idx]
        )
        for i, b in zip(test_idx, base):
            base_intents[i] = b
        ngram_model = char_ngram.fit([examples[i].text for i in train_idx], [intents[i] for i in train_idx])
        for i, probs in zip(test_idx, char_ngram.probabilities(ngram_model, [examples[i].text for i in test_idx])):
            ngram[i] = {name: round(p, 5) for name, p in probs.items() if p >= 1e-4}
        # Keep what is done: on a busy machine a fold takes a long time.
        out.mkdir(parents=True, exist_ok=True)
        done = [i for f in fold_indices(intents, folds, seed)[: k + 1] for i in f]
        partial = {
            "folds_done": k + 1,
            "timings": timings,
            "rasa_macro_f1": metrics.macro_f1([intents[i] for i in done], [pred_intents[i] for i in done]),
            "baseline_macro_f1": metrics.macro_f1([intents[i] for i in done], [base_intents[i] for i in done]),
        }
        (out / "crossval_partial.json").write_text(json.dumps(partial, indent=2), encoding="utf-8")

    gold_spans = [[(e.entity, e.start, e.end, e.value) for e in ex.entities] for ex in examples]
    rasa = score(examples, pred_intents, pred_spans)
    rasa["entities_span"] = {k: v.__dict__ for k, v in metrics.entity_scores(gold_spans, pred_spans, "span").items()}
    baseline = score(examples, base_intents, gold_spans)
    result = {
        "data": data,
        "config": config,
        "folds": folds,
        "seed": seed,
        "n": len(examples),
        "timings": timings,
        "rasa": rasa,
        "baseline": baseline,
        "predictions": [
            {"text": e.text, "gold": e.intent, "pred": p, "ranking": r, "ngram": g, "spans": s}
            for e, p, r, g, s in zip(examples, pred_intents, rankings, ngram, pred_spans)
        ],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "crossval.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def summary(result: dict[str, Any]) -> str:
    lines = [
        f"{result['folds']}-fold CV on {result['data']} ({result['n']} examples), config {result['config']}",
        f"{'metric':<34}{'Rasa':>8}{'baseline':>10}",
    ]
    r, b = result["rasa"], result["baseline"]
    rows = [
        ("intent macro-F1", r["macro_f1"], b["macro_f1"]),
        ("intent accuracy", r["accuracy"], b["accuracy"]),
        ("out_of_scope recall", r["scope"]["oos_recall"], b["scope"]["oos_recall"]),
        ("complaint precision", r["scope"]["complaint_precision"], b["scope"]["complaint_precision"]),
        ("routing (NLU entities)", r["routing"]["accuracy"], b["routing"]["accuracy"]),
        ("routing (deployed resolution)", r["routing_deployed"]["accuracy"], b["routing_deployed"]["accuracy"]),
    ]
    lines += [f"{name:<34}{x:>8.3f}{y:>10.3f}" for name, x, y in rows]
    prov = r.get("entities_span", {}).get("province")
    if prov:
        lines.append(f"province F1 (span) {prov['f1']:.3f}")
    lines.append("top confusions (Rasa): " + "; ".join(f"{g}→{p} {c}" for g, p, c in r["top_confusions"][:10]))
    lines.append("timings: " + ", ".join(f"{t['wall_s']:.0f}s wall/{t['cpu_s']:.0f}s CPU" for t in result["timings"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", default="results/cv")
    parser.add_argument("--diet-only", action="store_true", help="drop the char n-gram blender from the pipeline")
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(asctime)s %(name)s %(message)s", level=logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    # Each component's start and end of training, timestamped: where a fold's time goes.
    logging.getLogger("rasa.engine.training.hooks").setLevel(logging.INFO)
    config = str(diet_only_config(args.config, Path(args.out))) if args.diet_only else args.config
    result = run(args.data, config, args.folds, Path(args.out), args.seed)
    print(summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
