"""Fallback texts come from the domain file, not from Python code."""

import pytest

from gateway.responses import DomainResponsesError, load_fallback_texts
from tests.support.web import BUSY_TEXT, UNSUPPORTED_TEXT


def test_loads_first_text_of_each_response(domain_file):
    texts = load_fallback_texts(domain_file)
    assert texts.unsupported_message == UNSUPPORTED_TEXT
    assert texts.system_busy == BUSY_TEXT


def test_missing_response_is_a_clear_error(tmp_path):
    path = tmp_path / "domain.yml"
    path.write_text("responses:\n  utter_system_busy:\n  - text: x\n", encoding="utf-8")
    with pytest.raises(DomainResponsesError, match="utter_unsupported_message"):
        load_fallback_texts(path)
    with pytest.raises(DomainResponsesError):
        load_fallback_texts(tmp_path / "absent.yml")
