"""Choose the char n-gram classifier and weight of nlu.char_ngram_classifier by cross-validation.

Reads the out-of-fold predictions of ``evaluation.crossval`` run with ``--diet-only``
(DIET's ranking and the char n-gram probabilities of each training example, predicted by
models that did not see it) and scores each sharpness and weight with the fallback rule of
config.yml (threshold, ambiguity). Only data/ is used: never a held-out file.

With ``--refit-ngram CLASSIFIER:C[:MAX_NGRAM] ...`` the n-gram model is fitted again for
each candidate on the same folds (the fold split of crossval.json: same seed, same
stratification), so the classifier and its C are chosen on the same out-of-fold footing
as the weight; DIET's out-of-fold ranking is reused as it is.

    .venv/rasa/bin/python -m evaluation.blend results/cv_diet/crossval.json
    .venv/rasa/bin/python -m evaluation.blend results/cv_diet/crossval.json \
        --refit-ngram logistic_regression:10 linear_svm:1 --powers 5 10 15 20 --top 20
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from evaluation import metrics
from evaluation.scoring import FALLBACK
from nlu import char_ngram
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
        sharp = [sharpen(p.get("ngram") or {}, power) for p in predictions]
        for weight in weights:
            pred = []
            for p, ngram in zip(predictions, sharp):
                diet = {name: conf for name, conf in p["ranking"] if name != FALLBACK}
                pred.append(decide(blend(diet, ngram, weight), threshold, ambiguity))
            rows.append({"sharpness": power, "weight": weight, **figures(gold, pred)})
    return rows


def parse_candidate(spec: str) -> tuple[str, float, int]:
    """``linear_svm:1`` or ``logistic_regression:10:3`` → (classifier, C, max_ngram)."""
    parts = spec.split(":")
    if len(parts) not in (2, 3) or parts[0] not in char_ngram.CLASSIFIERS:
        raise argparse.ArgumentTypeError(f"expected CLASSIFIER:C[:MAX_NGRAM] with one of {char_ngram.CLASSIFIERS}")
    return parts[0], float(parts[1]), int(parts[2]) if len(parts) == 3 else 4


def refit_ngram(
    predictions: list[dict[str, Any]], folds: int, seed: int, classifier: str, c: float, max_ngram: int
) -> list[dict[str, Any]]:
    """The predictions with ``ngram`` replaced by this candidate's out-of-fold probabilities,
    fitted on the folds of ``evaluation.crossval`` (same split, since same gold order and seed)."""
    from evaluation.crossval import fold_indices

    texts = [p["text"] for p in predictions]
    gold = [p["gold"] for p in predictions]
    ngram: list[dict[str, float]] = [{} for _ in predictions]
    for test_idx in fold_indices(gold, folds, seed):
        test_set = set(test_idx)
        train_idx = [i for i in range(len(texts)) if i not in test_set]
        model = char_ngram.fit([texts[i] for i in train_idx], [gold[i] for i in train_idx], c, classifier, max_ngram)
        for i, probs in zip(test_idx, char_ngram.probabilities(model, [texts[i] for i in test_idx])):
            ngram[i] = probs
    return [{**p, "ngram": g} for p, g in zip(predictions, ngram)]


def print_rows(rows: list[dict[str, Any]], top: int) -> None:
    keys = list(rows[0])
    if top:
        rows = sorted(rows, key=lambda r: -r["macro_f1"])[:top]
    print(" ".join(f"{k[:10]:>10}" for k in keys))
    for row in rows:
        print(" ".join(f"{row[k]:>10}" if isinstance(row[k], str) else f"{row[k]:>10.3f}" for k in keys))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crossval", help="crossval.json of evaluation.crossval")
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--ambiguity", type=float, default=0.05)
    parser.add_argument(
        "--refit-ngram",
        nargs="+",
        type=parse_candidate,
        metavar="CLASSIFIER:C[:MAX_NGRAM]",
        help="refit the n-gram model per fold for each candidate instead of crossval.json's probabilities",
    )
    parser.add_argument("--powers", nargs="+", type=float, default=[1.0, 2.0, 3.0, 4.0, 5.0])
    parser.add_argument("--weights", nargs="+", type=float, default=[i / 10 for i in range(11)])
    parser.add_argument("--top", type=int, default=0, help="print only the N rows of best macro-F1")
    args = parser.parse_args(argv)
    result = json.loads(Path(args.crossval).read_text(encoding="utf-8"))
    print(
        f"{result['folds']}-fold CV on {result['data']} (n={result['n']}), fallback {args.threshold}/{args.ambiguity}"
    )
    rows: list[dict[str, Any]] = []
    for classifier, c, max_ngram in args.refit_ngram or [("crossval.json", 0.0, 0)]:
        predictions = result["predictions"]
        if args.refit_ngram:
            started = time.monotonic()
            predictions = refit_ngram(predictions, result["folds"], result["seed"], classifier, c, max_ngram)
            print(
                f"{classifier} C={c} max_ngram={max_ngram}: {result['folds']} fits in {time.monotonic() - started:.1f} s"
            )
        found = study(predictions, args.weights, args.powers, args.threshold, args.ambiguity)
        rows += [{"model": classifier[:10], "C": c, "max_ngram": float(max_ngram), **row} for row in found]
    print_rows(rows, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
