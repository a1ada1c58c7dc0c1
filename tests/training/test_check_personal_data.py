"""`make check-data` fails when an exported (reviewed) example carries personal data."""

from pathlib import Path

from training.check_data import Occurrence, find_personal_data, main


def occurrence(text: str, file: str) -> Occurrence:
    return Occurrence(text, text, "complaint_odor", file)


def test_exported_examples_with_personal_data_are_found():
    items = [
        occurrence("โรงงานเหม็น โทร 081.234.5678", "nlu/reviewed/complaint_odor.yml"),
        occurrence("คุณสมชาย ใจดี บอกว่าโรงงานเหม็น", "nlu/reviewed/complaint_odor.yml"),
        occurrence("โรงงานเหม็น โทร เบอร์โทรศัพท์", "nlu/reviewed/complaint_odor.yml"),  # the export's placeholder
        occurrence("คุณนามสมมุติ บอกว่าโรงงานเหม็น", "nlu/reviewed/complaint_odor.yml"),
        occurrence("ติดต่อ 081-234-5678", "nlu/conversation.yml"),  # hand-written: teaches the phone entity
    ]
    found = find_personal_data(items)
    assert [f.text for f in found] == ["โรงงานเหม็น โทร [phone]", "คุณ[name] บอกว่าโรงงานเหม็น"]


def test_the_data_check_fails_on_an_exported_phone(tmp_path: Path, capsys):
    reviewed = tmp_path / "nlu" / "reviewed"
    reviewed.mkdir(parents=True)
    (reviewed / "complaint_odor.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: complaint_odor\n  examples: |\n    - โรงงานเหม็นมาก โทร ๐๘๑๒๓๔๕๖๗๘\n',
        encoding="utf-8",
    )
    assert main(["--data", str(tmp_path), "--heldout", str(tmp_path / "none.yml")]) == 1
    assert "1 exported with personal data" in capsys.readouterr().out
