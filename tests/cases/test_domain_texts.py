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
