"""The evaluation result as a markdown report and a console table."""

from __future__ import annotations

from typing import Any


def _f(x: float) -> str:
    return f"{x:.3f}"


def side_by_side(result: dict[str, Any]) -> list[str]:
    rasa, base = result["rasa"], result["baseline"]
    rows = [
        ("intent accuracy", rasa["accuracy"], base["accuracy"]),
        ("intent macro-F1", rasa["macro_f1"], base["macro_f1"]),
        (
            f"intent macro-F1, texts not in training (n={result['n_unseen']})",
            rasa["macro_f1_unseen"],
            base["macro_f1_unseen"],
        ),
        ("out_of_scope recall", rasa["scope"]["oos_recall"], base["scope"]["oos_recall"]),
        ("complaint precision (pooled)", rasa["scope"]["complaint_precision"], base["scope"]["complaint_precision"]),
        ("complaint recall (pooled)", rasa["scope"]["complaint_recall"], base["scope"]["complaint_recall"]),
        ("routing accuracy (complaints)", rasa["routing"]["accuracy"], base["routing"]["accuracy"]),
        (
            "routing accuracy (complaints + out_of_scope)",
            rasa["routing_with_oos"]["accuracy"],
            base["routing_with_oos"]["accuracy"],
        ),
    ]
    if "routing_deployed" in rasa and "routing_deployed" in base:
        rows.append(
            (
                "routing accuracy (complaints), place resolved as the intake action does",
                rasa["routing_deployed"]["accuracy"],
                base["routing_deployed"]["accuracy"],
            )
        )
    lines = ["| metric | Rasa (DIET + char n-gram) | baseline (TF-IDF + LR) |", "|---|---|---|"]
    lines += [f"| {name} | {_f(a)} | {_f(b)} |" for name, a, b in rows]
    return lines


def per_intent_table(result: dict[str, Any]) -> list[str]:
    rasa, base = result["rasa"]["per_intent"], result["baseline"]["per_intent"]
    lines = ["| intent | support | P | R | F1 | baseline F1 |", "|---|---|---|---|---|---|"]
    for intent, s in rasa.items():
        lines.append(
            f"| {intent} | {s['support']} | {_f(s['precision'])} | {_f(s['recall'])} | "
            f"{_f(s['f1'])} | {_f(base[intent]['f1'])} |"
        )
    return lines


def entity_table(result: dict[str, Any]) -> list[str]:
    span, value = result["rasa"]["entities_span"], result["rasa"]["entities_value"]
    lines = [
        "| entity | support | P (span) | R (span) | F1 (span) | P (value) | R (value) | F1 (value) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in span:
        s, v = span[t], value[t]
        lines.append(
            f"| {t} | {s['support']} | {_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} | "
            f"{_f(v['precision'])} | {_f(v['recall'])} | {_f(v['f1'])} |"
        )
    return lines


def confusions_list(result: dict[str, Any]) -> list[str]:
    return [f"- {g} → {p}: {c}" for g, p, c in result["rasa"]["top_confusions"]] or ["- none"]


CORRUPTION = "complaint_corruption"
# The targets on every held-out file; each must also be at or above the baseline.
ISSUE_TARGETS = (
    ("out_of_scope recall", "oos_recall", 0.95),
    ("complaint precision (pooled)", "complaint_precision", 0.97),
    ("corruption precision", "corruption_precision", 0.95),
    ("corruption recall", "corruption_recall", 0.95),
    ("intent macro-F1", "macro_f1", 0.97),
    ("routing accuracy (complaints)", "routing", 0.97),
)


def issue_figures(scored: dict[str, Any]) -> dict[str, float]:
    """The figures the targets name, from one side's ``evaluation.scoring.score`` result."""
    corruption = scored["per_intent"].get(CORRUPTION, {})
    n = scored.get("n") or sum(sum(r) for r in scored["confusion"])
    return {
        "macro_f1": scored["macro_f1"],
        "accuracy": scored["accuracy"],
        "oos_recall": scored["scope"]["oos_recall"],
        "complaint_precision": scored["scope"]["complaint_precision"],
        "corruption_precision": corruption.get("precision", float("nan")),
        "corruption_recall": corruption.get("recall", float("nan")),
        "routing": scored["routing"]["accuracy"],
        "fallback_share": (scored.get("fallbacks", 0) / n) if n else 0.0,
    }


def files_table(result: dict[str, Any]) -> list[str]:
    """Each held-out file: the model beside the baseline on every target."""
    lines = []
    for f in result.get("files", []):
        rasa, base = f["rasa"], f["baseline"]
        lines += [
            f"### `{f['test_file']}` ({f['n_test']} examples)",
            "",
            "| figure | target | model | baseline | |",
            "|---|---|---|---|---|",
        ]
        for name, key, wanted in ISSUE_TARGETS:
            ok = rasa[key] >= wanted and rasa[key] >= base[key] - 1e-9
            lines.append(
                f"| {name} | >= {wanted:.2f} | {_f(rasa[key])} | {_f(base[key])} | {'met' if ok else '**NOT met**'} |"
            )
        lines.append(f"| share of fallbacks | (low) | {_f(rasa['fallback_share'])} | - | |")
        lines.append(f"| intent accuracy | | {_f(rasa['accuracy'])} | {_f(base['accuracy'])} | |")
        confusions = "; ".join(f"{g} → {p} {c}" for g, p, c in f.get("top_confusions", [])) or "none"
        lines += ["", f"Most frequent confusions: {confusions}.", ""]
    return lines


def console(result: dict[str, Any]) -> str:
    return "\n".join(
        ["", "== intents and routing (held-out) =="]
        + side_by_side(result)
        + ["", "== per intent =="]
        + per_intent_table(result)
        + ["", "== entities =="]
        + entity_table(result)
        + ["", "== most frequent confusions (Rasa) =="]
        + confusions_list(result)
    )


def targets_table(result: dict[str, Any], speed: dict[str, Any] | None) -> list[str]:
    """The NLU targets against what was measured (met / NOT met)."""
    rasa, base = result["rasa"], result["baseline"]
    rows = [
        ("held-out intent macro-F1", ">= 0.95", rasa["macro_f1"], rasa["macro_f1"] >= 0.95),
        (
            "macro-F1 margin over the baseline",
            ">= 0.03",
            rasa["macro_f1"] - base["macro_f1"],
            rasa["macro_f1"] - base["macro_f1"] >= 0.03,
        ),
        (
            "routing accuracy (complaints, NLU entities only)",
            ">= 0.97",
            rasa["routing"]["accuracy"],
            rasa["routing"]["accuracy"] >= 0.97,
        ),
        ("out_of_scope recall", ">= 0.90", rasa["scope"]["oos_recall"], rasa["scope"]["oos_recall"] >= 0.90),
        (
            "complaint precision (pooled)",
            ">= 0.95",
            rasa["scope"]["complaint_precision"],
            rasa["scope"]["complaint_precision"] >= 0.95,
        ),
    ]
    if "routing_deployed" in rasa:
        deployed = rasa["routing_deployed"]["accuracy"]
        rows.append(
            (
                "routing accuracy (complaints, place as the intake action resolves it)",
                ">= 0.97",
                deployed,
                deployed >= 0.97,
            )
        )
    province = rasa["entities_span"].get("province")
    if province:
        rows.append(("province entity F1 (span)", ">= 0.95", province["f1"], province["f1"] >= 0.95))
    if speed and "in_process_ms" in speed:
        p95 = max(speed["in_process_ms"]["p95"], speed.get("http_ms", {}).get("p95", 0))
        rows.append(("parse p95, ms (worse of in-process / HTTP)", "<= 30", p95, p95 <= 30))
    if speed and "train_s" in speed:
        rows.append(("full training, s (shared 2-core machine)", "<= 150", speed["train_s"], speed["train_s"] <= 150))
    lines = ["| target | wanted | measured | |", "|---|---|---|---|"]
    lines += [f"| {n} | {w} | {v:.3f} | {'met' if ok else '**NOT met**'} |" for n, w, v, ok in rows]
    return lines


def markdown(result: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        "# NLU evaluation (held-out)",
        "",
        "Generated by `make evaluate` (`python -m evaluation`); do not edit by hand.",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']}",
        f"- model: `{meta['model']}` ({meta['pipeline']})",
        f"- test file: `{meta['test_file']}` ({meta['n_test']} examples); "
        f"training data: `{meta['train_data']}` ({meta['n_train']} examples)",
        f"- Rasa fell back (`nlu_fallback`, counted as an error) on {result['rasa']['fallbacks']} messages",
        "",
        *(
            [
                "## Each held-out file beside the baseline",
                "",
                "Targets: out_of_scope recall >= 0.95 with complaint precision >= 0.97, corruption precision",
                "and recall >= 0.95, macro-F1 >= 0.97, routing >= 0.97, each at or above the baseline. 'met'",
                "needs both. Routing uses the NLU's entities for the model and the gold entities for the",
                "baseline (its best case). The detailed tables below are for the first file.",
                "",
                *files_table(result),
            ]
            if result.get("files")
            else []
        ),
        "## Targets",
        "",
        *targets_table(result, meta.get("speed")),
        "",
        "Training time is measured by `make train` / `benchmarks/nlu_speed.py --train`, see below.",
        "",
        "## Intents, scope and routing, side by side",
        "",
        *side_by_side(result),
        "",
        "Routing: gold intent + gold province/industrial estate → agency through",
        "`cases.routing.route_agency`, compared with predicted intent + predicted entities →",
        "agency. A non-complaint prediction for a gold complaint is a misroute (no ticket);",
        "with out_of_scope included, its expected 'agency' is the referral. The row 'place",
        "resolved as the intake action does' applies, on both sides, what",
        "`actions/complaint_intake.py` does with a first message: the NLU's province, else a",
        "province or town named in the text (`cases.places.find_province`); the NLU's estate,",
        "else `cases.places.find_industrial_estate` (`evaluation/routing.py agency_of_deployed`).",
        "",
        "## Per intent (Rasa)",
        "",
        *per_intent_table(result),
        "",
        "Confusion matrix: `results/confusion_matrix.png` (baseline: `results/baseline_confusion_matrix.png`).",
        "",
        "Most frequent confusions:",
        "",
        *confusions_list(result),
        "",
        "## Entities (Rasa)",
        "",
        "Span: type, start and end exact. Value: type and canonical value (after synonyms)",
        "anywhere in the message. Scored over the entity types annotated in the test file.",
        "",
        *entity_table(result),
        "",
    ]
    speed = meta.get("speed")
    if speed:
        lines += [
            "## Speed (`benchmarks/nlu_speed.py`)",
            "",
            f"Measured {speed.get('date', '?')} on {speed.get('cores', '?')} cores, "
            f"{speed.get('messages', '?')} messages x {speed.get('repeat', '?')}, "
            f"load average {speed.get('load', 'not recorded')} (1/5/15 min; the machine is shared).",
            "",
            "| measure | p50 | p95 |",
            "|---|---|---|",
        ]
        for key, name in (("in_process_ms", "parse in-process (ms)"), ("http_ms", "parse over HTTP /model/parse (ms)")):
            if key in speed:
                lines.append(f"| {name} | {speed[key]['p50']:.1f} | {speed[key]['p95']:.1f} |")
        if "train_s" in speed:
            cpu = f", {speed['train_cpu_s']:.0f} s CPU" if "train_cpu_s" in speed else ""
            lines += [
                "",
                f"Full training (`rasa train`, NLU + dialogue, cache off): {speed['train_s']:.0f} s wall{cpu}, "
                f"load average {speed.get('train_load', 'not recorded')}.",
            ]
        lines.append("")
    notes = list(meta.get("notes") or [])
    notes.append(
        "Earlier runs, what changed between them and what was seen of the held-out file: `benchmarks/nlu_history.md`."
    )
    lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)
