from __future__ import annotations

from pathlib import Path

import pytest

from cases.domain_texts import DomainReadError, read_domain, read_responses

ROOT = Path(__file__).resolve().parents[2]


def test_folder_parts_are_merged(tmp_path: Path):
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\nintents: [greet]\nresponses:\n  utter_a:\n  - text: "ก ค่ะ"\n', encoding="utf-8"
    )
    (tmp_path / "b.yml").write_text(
        'version: "3.1"\nintents: [greet, bye]\nresponses:\n  utter_b:\n  - text: "ข ค่ะ"\n', encoding="utf-8"
    )
    domain = read_domain(tmp_path)
    assert domain["intents"] == ["greet", "bye"]
    assert set(read_responses(tmp_path)) == {"utter_a", "utter_b"}


def test_a_response_defined_in_two_files_is_refused(tmp_path: Path):
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text('responses:\n  utter_a:\n  - text: "ก ค่ะ"\n', encoding="utf-8")
    with pytest.raises(DomainReadError, match="utter_a"):
        read_domain(tmp_path)


def test_the_real_domain_folder_reads():
    responses = read_responses(ROOT / "bot" / "domain")
    assert "utter_system_busy" in responses


def test_an_empty_folder_is_an_error(tmp_path: Path):
    with pytest.raises(DomainReadError):
        read_responses(tmp_path)


def test_wording_names_the_file_of_a_missing_or_malformed_text(tmp_path: Path):
    from cases.domain_texts import Wording, WordingError

    (tmp_path / "a.yml").write_text('responses:\n  utter_a:\n  - text: "ก ค่ะ"\n', encoding="utf-8")
    (tmp_path / "b.yml").write_text("responses:\n  utter_b:\n  - buttons: []\n", encoding="utf-8")
    wording = Wording.load(tmp_path)
    assert wording.text("utter_a") == "ก ค่ะ" and wording.text("utter_c", required=False) is None
    with pytest.raises(WordingError, match=r"b\.yml: responses\.utter_b\[0\]\.text"):
        wording.text("utter_b", required=False)  # present, so never silently skipped
    with pytest.raises(WordingError, match=f"{tmp_path}: responses.utter_c is missing"):
        wording.text("utter_c")


def test_the_domain_rasa_sends_is_read_by_the_same_rule():
    from cases.domain_texts import Wording, WordingError

    wording = Wording.of_domain(
        {"responses": {"utter_x": [{"text": "x {a}", "buttons": [{"title": "t", "payload": "/p"}]}]}}
    )
    found = wording.response("utter_x")
    assert found is not None and found.buttons == ({"title": "t", "payload": "/p"},)
    with pytest.raises(WordingError, match="the domain Rasa sent: responses.utter_y is missing"):
        wording.text("utter_y")
