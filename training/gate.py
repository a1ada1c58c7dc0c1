"""The compare gate's decision, as pure functions: no Rasa, no files.

A candidate model is refused when, on the held-out file, it lowers macro-F1 or the recall
of any complaint intent by more than ``tolerance`` (one point = 0.01) against the current
model, unless forced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evaluation import metrics

ONE_POINT = 0.01
_EPSILON = 1e-9  # 0.80 - 0.79 is 0.010000000000000009 in floats: still "one point"


@dataclass(frozen=True)
class Scores:
    macro_f1: float
    recall: dict[str, float]  # per gold intent
    accuracy: float = 0.0
    fallbacks: int = 0


@dataclass(frozen=True)
class Regression:
    what: str  # "macro_f1" or an intent name
    current: float
    candidate: float

    @property
    def drop(self) -> float:
        return self.current - self.candidate


@dataclass(frozen=True)
class Decision:
    accepted: bool
    forced: bool
    regressions: tuple[Regression, ...] = field(default=())

    @property
    def verdict(self) -> str:
        if not self.regressions:
            return "accepted"
        return "accepted (forced)" if self.forced else "refused"


def scores(gold: Sequence[str], pred: Sequence[str]) -> Scores:
    labels = sorted(set(gold))
    per = metrics.per_label(gold, pred, labels)
    return Scores(
        macro_f1=metrics.macro_f1(gold, pred),
        recall={label: per[label].recall for label in labels},
        accuracy=metrics.accuracy(gold, pred),
        fallbacks=sum(p == "nlu_fallback" for p in pred),
    )


def regressions(current: Scores, candidate: Scores, tolerance: float = ONE_POINT) -> tuple[Regression, ...]:
    """Macro-F1 and every complaint intent's recall that fell by more than ``tolerance``.

    An intent the candidate was not scored on counts as recall 0 (it cannot hide a loss)."""
    found = []
    if current.macro_f1 - candidate.macro_f1 > tolerance + _EPSILON:
        found.append(Regression("macro_f1", current.macro_f1, candidate.macro_f1))
    for intent in sorted(current.recall):
        if not metrics.is_complaint(intent):
            continue
        before, after = current.recall[intent], candidate.recall.get(intent, 0.0)
        if before - after > tolerance + _EPSILON:
            found.append(Regression(intent, before, after))
    return tuple(found)


def decide(current: Scores, candidate: Scores, *, force: bool = False, tolerance: float = ONE_POINT) -> Decision:
    found = regressions(current, candidate, tolerance)
    return Decision(accepted=not found or force, forced=bool(found) and force, regressions=found)
