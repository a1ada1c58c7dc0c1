"""The conversation benchmark's corpus is well formed and its scoring is right (no stack)."""

from __future__ import annotations

from benchmarks.conversations import (
    DEFAULT_ANSWERS,
    Result,
    load_corpus,
    percentile,
    question_markers,
    score,
)

KINDS = {"happy", "messy", "emergency", "status", "side"}


def test_the_corpus_has_forty_conversations_of_every_kind_with_their_expected_fields():
    corpus = load_corpus()
    assert len(corpus) >= 40
    assert {c["kind"] for c in corpus} == KINDS
    questions = {q for _, q in question_markers()}
    for conversation in corpus:
        assert conversation["say"] and conversation["expect"], conversation["id"]
        for name in list(conversation.get("given") or {}) + list(conversation.get("answers") or {}):
            assert name in questions, (conversation["id"], name)
        for name, turn in (conversation.get("given") or {}).items():
            assert 1 <= turn <= len(conversation["say"]), (conversation["id"], name)


def test_every_question_of_the_form_is_recognised_from_the_domain_wording():
    questions = {q for _, q in question_markers()}
    assert set(DEFAULT_ANSWERS) <= questions
    assert {"clarify", "tracking_number"} <= questions


def test_fields_are_scored_exactly_or_by_containment():
    conversation = {
        "expect": {"province": "ระยอง", "occurred_text": "ทุกคืน", "subject_name": "none", "phone": "+66812345678"}
    }
    result = Result(
        "x",
        "happy",
        ticket={
            "province": "ระยอง",
            "occurred_text": "ทุกคืนเลย",
            "subject_name": None,
            "contact_phone": "+66800000000",
        },
    )
    score(conversation, result)
    assert (result.fields_ok, result.fields_total) == (3, 4)
    nothing = Result("y", "side", ticket=None)
    score({"expect": {"ticket": False}}, nothing)
    assert (nothing.fields_ok, nothing.fields_total) == (1, 1)


def test_percentile():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([5], 0.9) == 5
