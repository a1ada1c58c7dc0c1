"""Pure evaluation functions (evaluation/): metrics, routing, baseline shape."""

from __future__ import annotations

import pytest

from evaluation import metrics
from evaluation.routing import REFERRAL, agency_of, agency_of_deployed


def test_per_label_and_macro_f1():
    gold = ["a", "a", "b", "b"]
    pred = ["a", "b", "b", "b"]
    per = metrics.per_label(gold, pred, ["a", "b"])
    assert per["a"].precision == 1.0 and per["a"].recall == 0.5
    assert per["b"].precision == pytest.approx(2 / 3) and per["b"].recall == 1.0
    assert metrics.macro_f1(gold, pred) == pytest.approx((per["a"].f1 + per["b"].f1) / 2)
    assert metrics.accuracy(gold, pred) == 0.75


def test_macro_f1_is_over_gold_labels_only():
    assert metrics.macro_f1(["a", "a"], ["a", "nlu_fallback"]) == pytest.approx(2 / 3)


def test_confusion_rows_are_gold():
    m = metrics.confusion(["a", "b", "b"], ["b", "b", "a"], ["a", "b"])
    assert m == [[0, 1], [1, 1]]


def test_scope_figures():
    gold = ["out_of_scope", "out_of_scope", "complaint_noise", "greet"]
    pred = ["out_of_scope", "complaint_noise", "complaint_odor", "greet"]
    s = metrics.scope_figures(gold, pred)
    assert s["oos_recall"] == 0.5
    assert s["complaint_precision"] == 0.5  # one of two complaint predictions is a complaint
    assert s["complaint_recall"] == 1.0  # category may differ


def test_entity_scores_span_and_value():
    gold = [[("province", 0, 5, "ระยอง")], [("province", 3, 7, "นครราชสีมา")]]
    pred = [[("province", 0, 5, "ระยอง"), ("phone", 8, 18, "0812345678")], [("province", 2, 7, "นครราชสีมา")]]
    span = metrics.entity_scores(gold, pred, "span")
    value = metrics.entity_scores(gold, pred, "value")
    assert span["province"].f1 == 0.5 and value["province"].f1 == 1.0
    assert "phone" not in span  # not annotated in gold: not scored
    assert span["all"].support == 2


def test_routing_accuracy_uses_the_real_routing():
    gold_i = ["complaint_odor", "complaint_odor", "complaint_mining", "out_of_scope"]
    gold_e = [[("province", 0, 3, "กรุงเทพมหานคร")], [("province", 0, 3, "ชลบุรี")], [], []]
    pred_i = ["complaint_noise", "complaint_odor", "complaint_mining", "out_of_scope"]
    pred_e = [[("province", 0, 3, "กทม")], [], [], []]
    acc, n, wrong = metrics.routing_accuracy(gold_i, gold_e, pred_i, pred_e, agency_of)
    # noise vs odor still goes to DIW; the missing province sends PIO-CBI to OPS.
    assert n == 3 and acc == pytest.approx(2 / 3)
    assert wrong == [(1, "PIO-CBI", "OPS")]


def test_agency_of():
    assert agency_of("complaint_odor", None, "นิคมอุตสาหกรรมบางปู") == "IEAT"
    assert agency_of("complaint_odor", "กรุงเทพมหานคร", None) == "DIW"
    assert agency_of("complaint_product_standard", "ระยอง", None) == "TISI"
    assert agency_of("out_of_scope", None, None) == REFERRAL
    assert agency_of("greet", None, None) is None
    assert agency_of("nlu_fallback", None, None) is None


def test_agency_of_deployed_reads_the_place_from_the_text_like_the_intake_action():
    # the NLU missed the province: the action still finds it (a town alias included)
    assert agency_of_deployed("complaint_odor", None, None, "โรงงานที่ศรีราชาเหม็นมาก") == "PIO-CBI"
    assert agency_of_deployed("complaint_noise", None, None, "โรงงานในนิคมอุตสาหกรรมบางปูเสียงดัง") == "IEAT"
    # the NLU's entities come first; a short form is normalised
    assert agency_of_deployed("complaint_odor", "กทม", None, "โรงงานที่ระยองเหม็น") == "DIW"
    assert agency_of_deployed("complaint_odor", None, None, "โรงงานเหม็นมาก") == "OPS"
    assert agency_of_deployed("out_of_scope", None, None, "ถนนพังที่ระยอง") == REFERRAL


def test_routing_accuracy_passes_the_text_when_given():
    gold_i, pred_i = ["complaint_odor"], ["complaint_odor"]
    gold_e = [[("province", 9, 15, "ชลบุรี")]]
    text = ["โรงงานที่ชลบุรีเหม็น"]
    assert metrics.routing_accuracy(gold_i, gold_e, pred_i, [[]], agency_of)[0] == 0.0
    assert metrics.routing_accuracy(gold_i, gold_e, pred_i, [[]], agency_of_deployed, texts=text)[0] == 1.0


def test_baseline_learns_a_toy_split():
    from evaluation.baseline import train_and_predict

    texts = ["เหม็นมาก", "กลิ่นเหม็น", "เสียงดัง", "เสียงดังมาก"] * 3
    intents = ["odor", "odor", "noise", "noise"] * 3
    assert train_and_predict(texts, intents, ["กลิ่นเหม็นจัง", "เสียงดังจัง"]) == ["odor", "noise"]


def test_report_renders_side_by_side_and_speed():
    from evaluation.report import markdown

    prf = {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    side = {
        "accuracy": 0.9,
        "macro_f1": 0.8,
        "macro_f1_unseen": 0.79,
        "per_intent": {"greet": prf},
        "scope": {"oos_recall": 0.9, "complaint_precision": 0.95, "complaint_recall": 0.97},
        "routing": {"accuracy": 0.97},
        "routing_with_oos": {"accuracy": 0.96},
        "top_confusions": [],
    }
    result = {
        "rasa": {**side, "fallbacks": 1, "entities_span": {"province": prf}, "entities_value": {"province": prf}},
        "baseline": side,
        "n_unseen": 10,
    }
    meta = {
        "date": "d",
        "machine": "m",
        "model": "x",
        "pipeline": "p",
        "test_file": "t",
        "n_test": 12,
        "train_data": "data",
        "n_train": 3,
        "speed": {"in_process_ms": {"p50": 9.0, "p95": 12.5}, "train_s": 99},
    }
    text = markdown(result, meta)
    assert "| intent macro-F1 | 0.800 | 0.800 |" in text
    assert "| province | 2 | 1.000 | 0.500 | 0.667 |" in text
    assert "| parse in-process (ms) | 9.0 | 12.5 |" in text and "99 s" in text


def test_crossval_folds_are_disjoint_stratified_and_reproducible():
    from evaluation.crossval import fold_indices

    intents = ["a"] * 9 + ["b"] * 6 + ["c"] * 3
    folds = fold_indices(intents, 3)
    assert sorted(i for f in folds for i in f) == list(range(len(intents)))
    for fold in folds:
        assert sorted(intents[i] for i in fold) == ["a"] * 3 + ["b"] * 2 + ["c"]
    assert fold_indices(intents, 3) == folds
