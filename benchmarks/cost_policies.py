"""What Rasa's dialogue policies cost per prediction, and whether another model predicts the
same actions, on real conversations.

Reads the conversations a Rasa server kept in its SQLite tracker store (the stack of
``benchmarks.conversations`` or of the end-to-end tests keeps one beside its logs: a
``rasa-conversations.db``), and replays every point where a policy chose the next action:
the tracker up to that action is given to each model's policy graph (``--model``, one or
more), which predicts again. For each model it prints the CPU milliseconds per prediction
(the whole policy graph, and each policy's own ``predict_action_probabilities``), how they
grow with the length of the conversation session, and every point where the model chose a
different action than the one the conversation took (with the policy that chose it then).

Runs in the Rasa environment:

    .venv/rasa/bin/python -m benchmarks.cost_policies --trackers /tmp/x/logs/rasa-conversations.db \\
        --model models/a.tar.gz --model models/b.tar.gz [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# Actions that no policy predicts: Rasa runs them itself (session start, slot extraction) or
# they were a follow-up an action asked for.
NOT_PREDICTED = {"action_session_start", "action_extract_slots"}
FOLLOWUP = "followup_action"
SESSION_BUCKETS = ((0, 20), (20, 60), (60, 120), (120, 250), (250, 10**9))


def load_conversations(db: Path) -> dict[str, list[dict[str, Any]]]:
    """Every sender's events, in the order the tracker store keeps them."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    conversations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for sender, data in rows:
        conversations[sender].append(json.loads(data))
    return conversations


def prediction_points(events: list[dict[str, Any]]) -> list[int]:
    """Indexes of the actions a policy chose (not a follow-up, not one Rasa runs itself)."""
    points = []
    for index, event in enumerate(events):
        if event.get("event") != "action" or event.get("name") in NOT_PREDICTED:
            continue
        if not event.get("policy") or event.get("policy") == FOLLOWUP:
            continue
        points.append(index)
    return points


class PolicyTimer:
    """CPU seconds of each policy class's ``predict_action_probabilities``, outermost calls only."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._depth: Counter[str] = Counter()

    def install(self) -> None:
        from rasa.core.policies.memoization import MemoizationPolicy
        from rasa.core.policies.rule_policy import RulePolicy
        from rasa.core.policies.ted_policy import TEDPolicy

        for cls in (MemoizationPolicy, RulePolicy, TEDPolicy):
            if "predict_action_probabilities" in vars(cls):
                cls.predict_action_probabilities = self._wrap(cls.predict_action_probabilities)  # type: ignore[method-assign]

    def _wrap(self, method: Any) -> Any:
        timer = self

        def timed(policy: Any, *args: Any, **kwargs: Any) -> Any:
            name = type(policy).__name__
            timer._depth[name] += 1
            started = time.process_time()
            try:
                return method(policy, *args, **kwargs)
            finally:
                timer._depth[name] -= 1
                if timer._depth[name] == 0:
                    timer.seconds[name] += time.process_time() - started
                    timer.calls[name] += 1

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def session_length(events: list[dict[str, Any]]) -> int:
    """Events since the latest session start or restart (what the policies featurise)."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") in ("session_started", "restart"):
            return len(events) - index
    return len(events)


def replay(model: Path, conversations: dict[str, list[dict[str, Any]]], timer: PolicyTimer) -> dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = Agent.load(str(model))
    processor = agent.processor
    assert processor is not None
    domain = processor.domain
    graph_ms: list[float] = []
    by_length: dict[tuple[int, int], list[float]] = defaultdict(list)
    differences: list[dict[str, Any]] = []
    chosen_by: Counter[str] = Counter()
    warmed = False
    timer.reset()
    for sender, raw in conversations.items():
        events = [Event.from_parameters(e) for e in raw]
        for index in prediction_points(raw):
            tracker = DialogueStateTracker.from_events(sender, events[:index], slots=domain.slots)
            if tracker.followup_action:
                continue  # an action asked for this one; no policy ran
            if not warmed:  # the graph's first run builds its caches: not measured
                processor._predict_next_with_tracker(tracker.copy())
                timer.reset()
                warmed = True
            started = time.process_time()
            prediction = processor._predict_next_with_tracker(tracker)
            ms = 1000 * (time.process_time() - started)
            graph_ms.append(ms)
            length = session_length(raw[:index])
            for bucket in SESSION_BUCKETS:
                if bucket[0] <= length < bucket[1]:
                    by_length[bucket].append(ms)
            predicted = domain.action_names_or_texts[prediction.max_confidence_index]
            chosen_by[str(prediction.policy_name)] += 1
            recorded = raw[index]
            if predicted != recorded.get("name"):
                last_user = next((e for e in reversed(raw[:index]) if e.get("event") == "user"), {})
                differences.append(
                    {
                        "sender": sender[:8],
                        "at": index,
                        "recorded": recorded.get("name"),
                        "recorded_policy": recorded.get("policy"),
                        "recorded_confidence": recorded.get("confidence"),
                        "predicted": predicted,
                        "predicted_policy": prediction.policy_name,
                        "intent": ((last_user.get("parse_data") or {}).get("intent") or {}).get("name"),
                        "previous_action": next(
                            (e.get("name") for e in reversed(raw[:index]) if e.get("event") == "action"), None
                        ),
                    }
                )
    count = max(1, len(graph_ms))
    return {
        "model": model.name,
        "predictions": len(graph_ms),
        "graph_ms_mean": round(statistics.fmean(graph_ms), 2) if graph_ms else None,
        "graph_ms_median": round(statistics.median(graph_ms), 2) if graph_ms else None,
        "policy_ms_per_prediction": {name: round(1000 * s / count, 2) for name, s in timer.seconds.most_common()},
        "graph_ms_by_session_length": {
            f"{lo}-{hi if hi < 10**9 else ''}": [len(v), round(statistics.fmean(v), 2)]
            for (lo, hi), v in sorted(by_length.items())
        },
        "chosen_by": dict(chosen_by),
        "differences": differences,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trackers", type=Path, required=True, action="append", help="a SQLite tracker store")
    parser.add_argument("--model", type=Path, required=True, action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    conversations: dict[str, list[dict[str, Any]]] = {}
    for db in args.trackers:
        conversations.update(load_conversations(db))
    points = sum(len(prediction_points(e)) for e in conversations.values())
    recorded = Counter(
        str(e.get("policy")) for events in conversations.values() for e in events if e.get("event") == "action"
    )
    print(f"{len(conversations)} conversations, {points} policy predictions; recorded choosers: {dict(recorded)}")
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # as a server: debug events are built, then dropped
    timer = PolicyTimer()
    timer.install()
    results = []
    for model in args.model:
        result = replay(model, conversations, timer)
        results.append(result)
        shown = {k: v for k, v in result.items() if k != "differences"}
        print(json.dumps(shown, ensure_ascii=False))
        print(f"  {len(result['differences'])} predictions differ from the recorded conversation")
        for difference in result["differences"][:40]:
            print(f"    {json.dumps(difference, ensure_ascii=False)}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
