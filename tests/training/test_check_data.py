"""Data hygiene: duplicates, conflicts, held-out leakage and class balance over YAML files."""

from __future__ import annotations

from pathlib import Path

from training.check_data import check, failed, main, occurrences, render


def nlu_file(path: Path, blocks: dict[str, list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = 'version: "3.1"\nnlu:\n'
    for intent, examples in blocks.items():
        text += f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples)
    text += "- synonym: กรุงเทพมหานคร\n  examples: |\n    - กทม\n"
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_data_passes(tmp_path):
    data = tmp_path / "data"
    files = [nlu_file(data / "nlu/a.yml", {"complaint_odor": ["โรงงานเหม็นมาก", "กลิ่นฉุน"], "greet": ["สวัสดี"]})]
    held = nlu_file(tmp_path / "heldout.yml", {"complaint_odor": ["เหม็นทั้งคืน"]})
    report = check(occurrences(files, data), occurrences([held], tmp_path))
    assert failed(report) == [] and report.counts == {"complaint_odor": 2, "greet": 1}
    assert report.balance_ratio == 0.5
    assert "min/max ratio 0.50 (greet 1 / complaint_odor 2)" in render(report)


def test_duplicates_conflicts_and_leaks_are_found_across_files_and_markup(tmp_path):
    data = tmp_path / "data"
    files = [
        nlu_file(
            data / "nlu/a.yml",
            {"complaint_odor": ["โรงงานเหม็นมาก ที่[ระยอง](province)", "กลิ่นไหม้"], "complaint_noise": ["เสียงดังทั้งคืน"]},
        ),
        nlu_file(
            data / "nlu/reviewed/b.yml",
            {"complaint_odor": ["โรงงานเหม็นมาก  ที่ระยอง"], "complaint_air_pollution": ["กลิ่นไหม้"]},
        ),
    ]
    held = nlu_file(tmp_path / "heldout.yml", {"complaint_noise": ["เสียงดัง ทั้งคืน"]})
    report = check(occurrences(files, data), occurrences([held], tmp_path))
    assert [(f.text, f.places) for f in report.duplicates] == [
        ("โรงงานเหม็นมาก ที่ระยอง", (("complaint_odor", "nlu/a.yml"), ("complaint_odor", "nlu/reviewed/b.yml")))
    ]
    assert [f.places for f in report.conflicts] == [
        (("complaint_air_pollution", "nlu/reviewed/b.yml"), ("complaint_odor", "nlu/a.yml"))
    ]
    assert [f.places for f in report.leaks] == [(("complaint_noise", "nlu/a.yml"), ("complaint_noise", "heldout.yml"))]
    assert failed(report) == ["1 duplicated", "1 conflicting", "1 leaked from the held-out file"]


def test_class_balance_threshold_and_exit_codes(tmp_path, capsys):
    data = tmp_path / "data"
    nlu_file(data / "nlu/a.yml", {"complaint_odor": [f"เหม็น {i}" for i in range(10)], "greet": ["สวัสดี"]})
    held = nlu_file(tmp_path / "heldout.yml", {"greet": ["หวัดดี"]})
    assert main(["--data", str(data), "--heldout", str(held)]) == 0
    assert "data check: passed" in capsys.readouterr().out
    assert main(["--data", str(data), "--heldout", str(held), "--min-ratio", "0.2"]) == 1
    assert "class balance 0.10 < 0.20" in capsys.readouterr().out
    nlu_file(data / "nlu/copy.yml", {"greet": ["หวัดดี"]})
    assert main(["--data", str(data), "--heldout", str(held)]) == 1


def test_every_heldout_file_is_kept_apart(tmp_path, capsys, monkeypatch):
    from training.check_data import heldout_files

    monkeypatch.setenv("TRAINER_HELDOUT", str(Path(__file__).parents[1] / "nlu" / "heldout.yml"))

    names = {p.name for p in heldout_files()}
    assert {"heldout.yml", "heldout_real_style.yml", "heldout_english.yml"} <= names
    data = tmp_path / "data"
    nlu_file(data / "nlu/a.yml", {"out_of_scope": ["ไฟถนนดับทั้งซอย"], "greet": ["hello there"]})
    first = nlu_file(tmp_path / "heldout.yml", {"greet": ["สวัสดีค่ะ"]})
    second = nlu_file(tmp_path / "heldout_english.yml", {"greet": ["Hello  there"]})
    assert main(["--data", str(data), "--heldout", str(first)]) == 0
    assert main(["--data", str(data), "--heldout", str(first), "--heldout", str(second)]) == 1
    assert "leaked from the held-out file" in capsys.readouterr().out
