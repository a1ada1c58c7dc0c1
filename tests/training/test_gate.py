"""The compare gate's decision (pure) and the compare CLI on recorded predictions."""

from __future__ import annotations

import json

import pytest

from training import compare
from training.gate import Scores, decide, regressions, scores

RECALL = {"complaint_odor": 0.90, "complaint_noise": 0.80, "greet": 1.0, "out_of_scope": 0.7}


def with_(macro_f1: float = 0.85, **recall: float) -> Scores:
    return Scores(macro_f1=macro_f1, recall={**RECALL, **recall})


def test_same_or_better_is_accepted():
    assert decide(with_(), with_()).verdict == "accepted"
    better = decide(with_(), with_(0.90, complaint_odor=0.95))
    assert better.accepted and not better.regressions and not better.forced


def test_exactly_one_point_lower_is_still_accepted():
    decision = decide(with_(0.85, complaint_noise=0.80), with_(0.84, complaint_noise=0.79))
    assert decision.accepted and not decision.regressions


def test_macro_f1_down_more_than_one_point_is_refused():
    decision = decide(with_(0.85), with_(0.838))
    assert not decision.accepted and decision.verdict == "refused"
    assert [r.what for r in decision.regressions] == ["macro_f1"]
    assert decision.regressions[0].drop == pytest.approx(0.012)


def test_a_complaint_intent_recall_down_more_than_one_point_is_refused_even_if_macro_f1_rises():
    decision = decide(with_(0.85), with_(0.90, complaint_noise=0.75))
    assert not decision.accepted
    assert [(r.what, r.current, r.candidate) for r in decision.regressions] == [("complaint_noise", 0.80, 0.75)]


def test_non_complaint_intents_may_drop():
    assert decide(with_(), with_(greet=0.5, out_of_scope=0.5)).accepted


def test_a_complaint_intent_missing_from_the_candidate_counts_as_zero():
    candidate = Scores(macro_f1=0.85, recall={k: v for k, v in RECALL.items() if k != "complaint_odor"})
    assert [r.what for r in regressions(with_(), candidate)] == ["complaint_odor"]


def test_force_accepts_but_keeps_the_regressions_on_record():
    decision = decide(with_(0.85), with_(0.70, complaint_odor=0.10), force=True)
    assert decision.accepted and decision.forced and decision.verdict == "accepted (forced)"
    assert {r.what for r in decision.regressions} == {"macro_f1", "complaint_odor"}


def test_scores_from_predictions():
    gold = ["complaint_odor", "complaint_odor", "greet", "greet"]
    result = scores(gold, ["complaint_odor", "nlu_fallback", "greet", "complaint_odor"])
    assert result.recall == {"complaint_odor": 0.5, "greet": 0.5}
    assert result.fallbacks == 1 and result.accuracy == 0.5


def predictions_file(tmp_path, candidate_pred):
    data = {
        "nlu": "heldout.yml",
        "texts": ["เหม็นมาก", "เสียงดัง", "สวัสดี", "โรงงานเหม็น"],
        "gold": ["complaint_odor", "complaint_noise", "greet", "complaint_odor"],
        "models": {
            "cur.tar.gz": {"model_id": "c", "pred": ["complaint_odor", "complaint_noise", "greet", "greet"]},
            "cand.tar.gz": {"model_id": "n", "pred": candidate_pred},
        },
    }
    path = tmp_path / "predictions.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(tmp_path, candidate_pred, *extra):
    record = tmp_path / "gate.json"
    code = compare.main(
        [
            "--candidate",
            "cand.tar.gz",
            "--current",
            "cur.tar.gz",
            "--record",
            str(record),
            "--predictions",
            str(predictions_file(tmp_path, candidate_pred)),
            *extra,
        ]
    )
    return code, json.loads(record.read_text(encoding="utf-8"))


def test_cli_accepts_a_better_candidate_and_shows_what_changed(tmp_path, capsys):
    code, record = run(tmp_path, ["complaint_odor", "complaint_noise", "greet", "complaint_odor"])
    out = capsys.readouterr().out
    assert code == 0 and record["verdict"] == "accepted" and record["candidate_model_id"] == "n"
    assert "macro-F1 (all intents)" in out and "complaint_odor" in out and "+" in out
    assert record["changes"]["fixed"] == [{"text": "โรงงานเหม็น", "gold": "complaint_odor", "was": "greet"}]
    assert "now right (was wrong): 1" in out


def test_cli_refuses_a_worse_candidate_with_exit_1_unless_forced(tmp_path, capsys):
    worse = ["complaint_odor", "greet", "greet", "greet"]
    code, record = run(tmp_path, worse)
    out = capsys.readouterr().out
    assert code == 1 and record["verdict"] == "refused" and not record["accepted"]
    assert "✗" in out and "refused" in out and "--force" in out
    assert {r["what"] for r in record["regressions"]} == {"macro_f1", "complaint_noise"}
    code, record = run(tmp_path, worse, "--force")
    assert code == 0 and record["verdict"] == "accepted (forced)"


def test_cli_missing_model_file_is_exit_2(tmp_path, capsys):
    code = compare.main(["--candidate", str(tmp_path / "nope.tar.gz"), "--current", str(tmp_path / "x.tar.gz")])
    assert code == 2 and "no model file" in capsys.readouterr().err


def test_gate_record_sits_next_to_the_candidate(tmp_path):
    path = compare.gate_record_path(tmp_path / "idee-20261125-1600-0a1b2c3d.tar.gz")
    assert path == tmp_path / "idee-20261125-1600-0a1b2c3d.gate.json"
