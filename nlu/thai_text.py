"""Thai text segmentation and normalisation over PyThaiNLP, free of Rasa.

``word_spans`` gives (start, end) offsets into the original text, so a token is always an
exact substring; ``normalise_word`` gives the form the featurizers should see.
"""

from __future__ import annotations

import re
import unicodedata

from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize as pythainlp_normalize

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Three or more of the same Thai letter or vowel (เหม็นนนนน) collapse to one.
_REPEATED_THAI = re.compile(r"([\u0E01-\u0E4E])\1{2,}")
SEGMENT_ENGINE = "newmm-safe"


def _is_blank(text: str) -> bool:
    return all(ch.isspace() or ch in ZERO_WIDTH or unicodedata.category(ch) == "Cc" for ch in text)


def _kept_indices(text: str) -> list[int]:
    """Indices of the characters the segmenter should see.

    Zero-width characters are dropped (they split Thai words in the middle), and so is
    every repeat in a run of three or more of the same Thai character (เหม็นนนนน).
    """
    kept: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in ZERO_WIDTH:
            i += 1
            continue
        run_end = i + 1
        while run_end < len(text) and text[run_end] == ch:
            run_end += 1
        if run_end - i >= 3 and "\u0e01" <= ch <= "\u0e4e":
            kept.append(i)
        else:
            kept.extend(range(i, run_end))
        i = run_end
    return kept


def word_spans(text: str) -> list[tuple[int, int]]:
    """Word boundaries of ``text`` as offsets into it; whitespace and invisible tokens dropped.

    Segmentation runs on a cleaned copy (see ``_kept_indices``); each word is mapped back
    onto the original text and stretched over the characters dropped after it, so that
    ``text[start:end]`` is always an exact, non-blank substring.
    """
    if not text:
        return []
    kept = _kept_indices(text)
    cleaned = "".join(text[i] for i in kept)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in word_tokenize(cleaned, engine=SEGMENT_ENGINE, keep_whitespace=True):
        if not word:
            continue
        found = cleaned.find(word, cursor)
        if found < 0:  # the segmenter altered the word; skip rather than misplace it
            continue
        cursor = found + len(word)
        if _is_blank(word):
            continue
        end = kept[cursor] if cursor < len(kept) else len(text)
        while end > kept[cursor - 1] + 1 and text[end - 1].isspace():
            end -= 1
        spans.append((kept[found], end))
    return spans


def normalise_word(word: str) -> str:
    """The form of a word the NLU sees: no invisible characters, Arabic digits, no letter runs."""
    text = "".join(ch for ch in word if ch not in ZERO_WIDTH)
    text = text.translate(_THAI_DIGITS)
    text = _REPEATED_THAI.sub(r"\1", text)
    text = pythainlp_normalize(text)
    return text.lower()


def normalise_text(text: str) -> str:
    """Whole-message normalisation (same rules as words); offsets are not preserved."""
    return normalise_word(text)


def lemma_for(word: str) -> str:
    """The token lemma: the normalised word, or (when normalising leaves nothing, e.g. a lone
    combining mark) the word without invisible characters and with Arabic digits."""
    return normalise_word(word) or "".join(ch for ch in word if ch not in ZERO_WIDTH).translate(_THAI_DIGITS) or word
