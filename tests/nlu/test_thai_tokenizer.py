"""The Thai tokenizer component (runs in the Rasa environment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.thai_text import lemma_for, normalise_word, word_spans
from nlu.thai_tokenizer import ThaiTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> ThaiTokenizer:
    return ThaiTokenizer(ThaiTokenizer.get_default_config())


def tokens_of(tokenizer: ThaiTokenizer, text: str):
    return tokenizer.tokenize(Message(data={TEXT: text}), TEXT)


def test_thai_words_are_split_with_exact_offsets(tokenizer):
    text = "โรงงานปล่อยน้ำเสียลงคลอง ที่ จ.ชลบุรี"
    tokens = tokens_of(tokenizer, text)
    words = [t.text for t in tokens]
    assert "โรงงาน" in words
    assert any(w.startswith("น้ำ") for w in words)
    assert "ชลบุรี" in words
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.text.strip() == token.text != ""


def test_whitespace_is_dropped(tokenizer):
    assert tokens_of(tokenizer, "   \n\t ") == []
    assert all(t.text.strip() for t in tokens_of(tokenizer, "เหม็น   มาก\n\nค่ะ"))


def test_thai_digits_keep_their_text_and_normalise_in_the_lemma(tokenizer):
    tokens = tokens_of(tokenizer, "เหม็นมา ๓ วันแล้ว")
    digits = [t for t in tokens if t.text == "๓"]
    assert digits and digits[0].lemma == "3"


def test_zero_width_characters_do_not_split_words(tokenizer):
    text = "เหม็\u200bน\u200bมาก"
    tokens = tokens_of(tokenizer, text)
    assert [t.lemma for t in tokens] == ["เหม็น", "มาก"]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_repeated_letters_collapse_in_the_lemma(tokenizer):
    tokens = tokens_of(tokenizer, "เหม็นนนนนมากกกก")
    assert [t.lemma for t in tokens] == ["เหม็น", "มาก"]
    assert [t.text for t in tokens] == ["เหม็นนนนน", "มากกกก"]


def test_mixed_thai_english_and_emoji(tokenizer):
    text = "factory ปล่อยควัน😡😡 PM2.5 สูงมาก"
    tokens = tokens_of(tokenizer, text)
    assert "factory" in [t.text for t in tokens]
    assert any("😡" in t.text for t in tokens)
    for token in tokens:
        assert text[token.start : token.end] == token.text


def test_tracking_number_survives_as_contiguous_tokens(tokenizer):
    text = "ติดตามเรื่อง IDEE-2569-000123 ค่ะ"
    tokens = tokens_of(tokenizer, text)
    start = text.index("IDEE")
    covered = "".join(t.text for t in tokens if start <= t.start < start + 16)
    assert covered == "IDEE-2569-000123"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_offsets_are_always_valid_for_any_unicode(text):
    spans = word_spans(text)
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        assert text[start:end].strip() != ""
        previous_end = end


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F) | st.sampled_from(" \u200b\n😀abc123"),
        max_size=120,
    )
)
def test_thai_heavy_text_never_crashes_and_covers_every_visible_char(text):
    spans = word_spans(text)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    for i, ch in enumerate(text):
        if not ch.isspace() and ch not in "\u200b":
            assert i in covered, (text, i)


@given(st.text(max_size=50))
def test_normalise_word_never_crashes(word):
    assert isinstance(normalise_word(word), str)


thai_text = st.text(
    alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
    | st.sampled_from(" \u200b\u200c\ufeff\n😀abc123-./"),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(thai_text)
def test_tokens_are_exact_substrings_with_normalised_lemmas(text):
    tokenizer = ThaiTokenizer(ThaiTokenizer.get_default_config())
    for token in tokens_of(tokenizer, text):
        assert text[token.start : token.end] == token.text
        assert token.lemma == lemma_for(token.text)
        assert not any(ch in token.lemma for ch in "\u200b\u200c\ufeff๐๑๒๓๔๕๖๗๘๙")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalise_word_is_idempotent(word):
    once = normalise_word(word)
    assert normalise_word(once) == once


@given(st.sampled_from("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ"), st.integers(3, 12))
def test_letter_runs_collapse_to_one(letter, n):
    assert normalise_word("เหม็" + letter * n) == normalise_word("เหม็" + letter)


@given(st.text(alphabet="๐๑๒๓๔๕๖๗๘๙", min_size=1, max_size=12))
def test_thai_digits_become_arabic(digits):
    assert normalise_word(digits) == digits.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_tokenizer_never_changes_the_message_text(text):
    tokenizer = ThaiTokenizer(ThaiTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    assert message.get(TEXT) == text


@pytest.mark.parametrize("text", ["็\u200b", "\u200b๑", "่"])
def test_a_lone_mark_or_digit_next_to_a_zero_width_char_has_a_clean_lemma(text):
    tokenizer = ThaiTokenizer(ThaiTokenizer.get_default_config())
    for token in tokens_of(tokenizer, text):
        assert token.lemma and not any(ch in token.lemma for ch in "\u200b๑")
