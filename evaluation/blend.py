"""Choose the char n-gram weight of nlu.char_ngram_classifier by cross-validation.

Reads the out-of-fold predictions of ``evaluation.crossval`` run with a DIET-only config
(DIET's ranking and the char n-gram probabilities of each training example, predicted by
models that did not see it) and scores each sharpness and weight with the fallback rule of config.yml
(threshold, ambiguity). Only data/ is used: never a held-out file.

    .venv/rasa/bin/python -m evaluation.blend results/cv_diet/crossval.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from evaluation import metrics
from evaluation.scoring import FALLBACK
from nlu.char_ngram import blend, sharpen

CORRUPTION = "complaint_corruption"


def decide(ranking: list[tuple[str, float]], threshold: float, ambiguity: float) -> str:
    """FallbackClassifier's rule on a blended ranking."""
    if not ranking or ranking[0][1] < threshold:
        return FALLBACK
    if len(ranking) > 1 and ranking[0][1] - ranking[1][1] < ambiguity:
        return FALLBACK
    return ranking[0][0]


def figures(gold: list[str], pred: list[str]) -> dict[str, float]:
    scope = metrics.scope_figures(gold, pred)
    corruption = metrics.per_label(gold, pred, [CORRUPTION])[CORRUPTION]
    return {
        "macro_f1": metrics.macro_f1(gold, pred),
        "accuracy": metrics.accuracy(gold, pred),
        "oos_recall": scope["oos_recall"],
        "complaint_precision": scope["complaint_precision"],
        "corruption_p": corruption.precision,
        "corruption_r": corruption.recall,
        "fallback_share": sum(p == FALLBACK for p in pred) / len(pred),
    }


def study(
    predictions: list[dict[str, Any]], weights: list[float], powers: list[float], threshold: float, ambiguity: float
) -> list[dict[str, float]]:
    gold = [p["gold"] for p in predictions]
    rows = []
    for power in powers:
        for weight in weights:
            pred = []
            for p in predictions:
                diet = {name: conf for name, conf in p["ranking"] if name != FALLBACK}
                ngram = sharpen(p.get("ngram") or {}, power)
                pred.append(decide(blend(diet, ngram, weight), threshold, ambiguity))
            rows.append({"sharpness": power, "weight": weight, **figures(gold, pred)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crossval", help="crossval.json of evaluation.crossval")
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--ambiguity", type=float, default=0.05)
    args = parser.parse_args(argv)
    result = json.loads(Path(args.crossval).read_text(encoding="utf-8"))
    rows = study(
        result["predictions"], [i / 10 for i in range(11)], [1.0, 2.0, 3.0, 4.0, 5.0], args.threshold, args.ambiguity
    )
    keys = list(rows[0])
    print(
        f"{result['folds']}-fold CV on {result['data']} (n={result['n']}), fallback {args.threshold}/{args.ambiguity}"
    )
    print(" ".join(f"{k[:10]:>10}" for k in keys))
    for row in rows:
        print(" ".join(f"{row[k]:>10.3f}" for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
