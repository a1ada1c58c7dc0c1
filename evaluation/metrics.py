"""Pure metric functions: no Rasa, no files. Labels are strings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

COMPLAINT_PREFIX = "complaint_"
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int


def _prf(tp: int, fp: int, fn: int) -> PRF:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp + fn)


def per_label(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str]) -> dict[str, PRF]:
    """Precision/recall/F1 of each label (one-vs-rest)."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    result = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        result[label] = _prf(tp, fp, fn)
    return result


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Mean F1 over the gold labels (a label predicted but never gold does not count)."""
    labels = sorted(set(gold))
    scores = per_label(gold, pred, labels)
    return sum(s.f1 for s in scores.values()) / len(labels) if labels else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows gold, columns predicted, in ``labels`` order (unknown predictions dropped)."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return matrix


def top_confusions(gold: Sequence[str], pred: Sequence[str], n: int = 10) -> list[tuple[str, str, int]]:
    counts = Counter((g, p) for g, p in zip(gold, pred) if g != p)
    return [(g, p, c) for (g, p), c in counts.most_common(n)]


def is_complaint(intent: str | None) -> bool:
    return bool(intent) and intent.startswith(COMPLAINT_PREFIX)


def scope_figures(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """The ministry-queue view: is a city problem kept out, is a real complaint let in?

    ``oos_recall``: out_of_scope messages predicted out_of_scope.
    ``complaint_precision``: messages predicted as any complaint intent whose gold intent
    is a complaint intent (pooled; the category may differ).
    ``complaint_recall``: gold complaints predicted as some complaint intent.
    """
    oos = [p for g, p in zip(gold, pred) if g == OUT_OF_SCOPE]
    predicted_complaint = [g for g, p in zip(gold, pred) if is_complaint(p)]
    gold_complaint = [p for g, p in zip(gold, pred) if is_complaint(g)]
    return {
        "oos_recall": sum(p == OUT_OF_SCOPE for p in oos) / len(oos) if oos else 0.0,
        "complaint_precision": (
            sum(is_complaint(g) for g in predicted_complaint) / len(predicted_complaint) if predicted_complaint else 0.0
        ),
        "complaint_recall": (
            sum(is_complaint(p) for p in gold_complaint) / len(gold_complaint) if gold_complaint else 0.0
        ),
    }


Span = tuple[str, int, int, str]  # (entity type, start, end, value)


def entity_scores(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]], by: str = "span") -> dict[str, PRF]:
    """Entity P/R/F1 per type, plus ``"all"`` (micro), over the types present in ``gold``.

    ``by="span"``: a prediction counts when type, start and end are all exact.
    ``by="value"``: when type and (canonical) value match, wherever the span is; each
    gold entity is matched at most once per message.
    """
    if by not in ("span", "value"):
        raise ValueError(by)

    def key(e: Span) -> tuple:
        return (e[0], e[1], e[2]) if by == "span" else (e[0], e[3])

    gold_types = sorted({e[0] for message in gold for e in message})
    counts = {t: [0, 0, 0] for t in gold_types}  # tp, fp, fn
    for g_message, p_message in zip(gold, pred):
        g_keys = Counter(key(e) for e in g_message)
        p_keys = Counter(key(e) for e in p_message if e[0] in counts)
        for k in set(g_keys) | set(p_keys):
            tp = min(g_keys[k], p_keys[k])
            counts[k[0]][0] += tp
            counts[k[0]][1] += p_keys[k] - tp
            counts[k[0]][2] += g_keys[k] - tp
    result = {t: _prf(*c) for t, c in counts.items()}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    result["all"] = _prf(*total)
    return result


def first_value(entities: Iterable[Span], entity_type: str) -> str | None:
    for e in entities:
        if e[0] == entity_type:
            return e[3]
    return None


AgencyFn = Callable[..., str | None]


def routing_accuracy(
    gold_intents: Sequence[str],
    gold_entities: Sequence[Iterable[Span]],
    pred_intents: Sequence[str],
    pred_entities: Sequence[Iterable[Span]],
    agency_of: AgencyFn,
    include: Callable[[str], bool] = is_complaint,
    texts: Sequence[str] | None = None,
) -> tuple[float, int, list[tuple[int, str | None, str | None]]]:
    """Share of messages (gold intent passing ``include``) routed to the gold agency.

    ``agency_of(intent, province, industrial_estate)`` maps a message to an agency code
    (or a pseudo-agency such as a referral, or None for no ticket); with ``texts`` it is
    called as ``agency_of(intent, province, industrial_estate, text)`` so that it can
    look at the message the way the deployed action does. Returns the accuracy, the
    number of messages scored and the misrouted ones as (index, gold, predicted).
    """
    scored, wrong = 0, []
    for i, (gi, ge, pi, pe) in enumerate(zip(gold_intents, gold_entities, pred_intents, pred_entities)):
        if not include(gi):
            continue
        scored += 1
        ge, pe = list(ge), list(pe)
        extra = (texts[i],) if texts is not None else ()
        gold_agency = agency_of(gi, first_value(ge, "province"), first_value(ge, "industrial_estate"), *extra)
        pred_agency = agency_of(pi, first_value(pe, "province"), first_value(pe, "industrial_estate"), *extra)
        if gold_agency != pred_agency:
            wrong.append((i, gold_agency, pred_agency))
    return ((scored - len(wrong)) / scored if scored else 0.0), scored, wrong
