"""Fallback texts come from the domain file, not from Python code."""

import pytest

from cases.domain_texts import WordingError
from gateway.responses import load_fallback_texts
from tests.support.web import BUSY_TEXT, UNSUPPORTED_TEXT


def test_loads_first_text_of_each_response(domain_file):
    texts = load_fallback_texts(domain_file)
    assert texts.unsupported_message == UNSUPPORTED_TEXT
    assert texts.system_busy == BUSY_TEXT


def test_missing_response_is_a_clear_error(tmp_path):
    path = tmp_path / "domain.yml"
    path.write_text("responses:\n  utter_system_busy:\n  - text: x\n", encoding="utf-8")
    with pytest.raises(WordingError, match=f"{path}: responses.utter_unsupported_message is missing"):
        load_fallback_texts(path)
    with pytest.raises(WordingError, match="absent.yml"):
        load_fallback_texts(tmp_path / "absent.yml")


def test_a_malformed_text_names_its_file_and_key(tmp_path):
    """One rule for every loader: the file that defines the response and the key are named."""
    (tmp_path / "base.yml").write_text(
        'responses:\n  utter_unsupported_message:\n  - text: "ขออภัยค่ะ"\n', encoding="utf-8"
    )
    (tmp_path / "busy.yml").write_text("responses:\n  utter_system_busy:\n  - text: ''\n", encoding="utf-8")
    with pytest.raises(WordingError, match=r"busy\.yml: responses\.utter_system_busy\[0\]\.text is missing or empty"):
        load_fallback_texts(tmp_path)
    (tmp_path / "busy.yml").write_text(
        "responses:\n  utter_system_busy:\n  - text: x\n  utter_long_message_cut: not-a-list\n", encoding="utf-8"
    )
    with pytest.raises(WordingError, match=r"busy\.yml: responses\.utter_long_message_cut"):
        load_fallback_texts(tmp_path)  # an optional text may be absent, never malformed
