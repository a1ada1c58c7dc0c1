"""Score predicted intents and entities against gold examples (shared by the held-out
evaluation and the cross-validation)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from evaluation import metrics
from evaluation.dataset import Example
from evaluation.routing import agency_of, agency_of_deployed

FALLBACK = "nlu_fallback"


def spans(entities) -> list[tuple[str, int, int, str]]:
    return [(e.entity, e.start, e.end, e.value) for e in entities]


def score(test: list[Example], pred_intents: list[str], pred_spans: list[list]) -> dict[str, Any]:
    gold_intents = [e.intent for e in test]
    gold_spans = [spans(e.entities) for e in test]
    texts = [e.text for e in test]
    labels = sorted(set(gold_intents))
    per = metrics.per_label(gold_intents, pred_intents, labels)
    routing, n, wrong = metrics.routing_accuracy(gold_intents, gold_spans, pred_intents, pred_spans, agency_of)
    routing_oos, n_oos, _ = metrics.routing_accuracy(
        gold_intents,
        gold_spans,
        pred_intents,
        pred_spans,
        agency_of,
        include=lambda i: metrics.is_complaint(i) or i == metrics.OUT_OF_SCOPE,
    )
    deployed, n_deployed, wrong_deployed = metrics.routing_accuracy(
        gold_intents,
        gold_spans,
        pred_intents,
        pred_spans,
        agency_of_deployed,
        texts=texts,
    )
    return {
        "accuracy": metrics.accuracy(gold_intents, pred_intents),
        "macro_f1": metrics.macro_f1(gold_intents, pred_intents),
        "per_intent": {k: asdict(v) for k, v in per.items()},
        "scope": metrics.scope_figures(gold_intents, pred_intents),
        "routing": {
            "accuracy": routing,
            "n": n,
            "misrouted": [{"text": test[i].text, "gold": g, "pred": p} for i, g, p in wrong],
        },
        "routing_with_oos": {"accuracy": routing_oos, "n": n_oos},
        "routing_deployed": {
            "accuracy": deployed,
            "n": n_deployed,
            "misrouted": [{"text": test[i].text, "gold": g, "pred": p} for i, g, p in wrong_deployed],
        },
        "top_confusions": metrics.top_confusions(gold_intents, pred_intents, 12),
        "errors": [{"text": e.text, "gold": e.intent, "pred": p} for e, p in zip(test, pred_intents) if e.intent != p],
        "labels": labels,
        "confusion": metrics.confusion(gold_intents, pred_intents, labels + [FALLBACK]),
    }
