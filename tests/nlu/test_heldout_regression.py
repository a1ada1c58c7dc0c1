"""Regression guard: the trained NLU on the held-out file (tests/nlu/heldout.yml).

The thresholds are a few points under the figures measured by `make evaluate` (see
benchmarks/nlu.md), so that noise across machines passes and a real regression fails.
They are guards, not targets, and were not used to tune anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation import metrics
from evaluation.dataset import load_examples

HELDOUT = Path(__file__).with_name("heldout.yml")
MIN_MACRO_F1 = 0.93
MIN_OOS_RECALL = 0.85
MIN_COMPLAINT_PRECISION = 0.95
MIN_PROVINCE_F1 = 0.93


@pytest.fixture(scope="module")
def scored(parse):
    test = load_examples(HELDOUT)
    parsed = [parse(e.text) for e in test]
    gold = [e.intent for e in test]
    pred = [(p.get("intent") or {}).get("name") or "nlu_fallback" for p in parsed]
    gold_spans = [[(x.entity, x.start, x.end, x.value) for x in e.entities] for e in test]
    pred_spans = [[(x["entity"], x["start"], x["end"], str(x["value"])) for x in p["entities"]] for p in parsed]
    return gold, pred, gold_spans, pred_spans


def test_heldout_macro_f1(scored):
    gold, pred, _, _ = scored
    assert metrics.macro_f1(gold, pred) >= MIN_MACRO_F1, metrics.top_confusions(gold, pred)


def test_heldout_scope(scored):
    gold, pred, _, _ = scored
    figures = metrics.scope_figures(gold, pred)
    assert figures["oos_recall"] >= MIN_OOS_RECALL
    assert figures["complaint_precision"] >= MIN_COMPLAINT_PRECISION


def test_heldout_province_f1(scored):
    _, _, gold_spans, pred_spans = scored
    assert metrics.entity_scores(gold_spans, pred_spans, "span")["province"].f1 >= MIN_PROVINCE_F1
