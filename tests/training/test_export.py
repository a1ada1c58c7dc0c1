"""Export of accepted review items into Rasa YAML: dedup, conflicts, held-out, valid YAML."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from cases.db import make_engine, make_session_factory
from cases.review_queue import Source, accept, discard, enqueue, items_to_export
from cases.review_export import annotated_example, example_key, export_reviewed, plain_text, read_examples
from training.export import main

ROOT = Path(__file__).resolve().parents[2]
EXISTING = """version: "3.1"
nlu:
- intent: complaint_odor
  examples: |
    - โรงงานแถวบ้านส่งกลิ่นเหม็นมาก
    - กลิ่นเหม็นที่[ระยอง](province)
- intent: complaint_noise
  examples: |
    - เสียงดังทั้งคืน
- synonym: ชลบุรี
  examples: |
    - ชล
"""
HELDOUT = """version: "3.1"
nlu:
- intent: complaint_wastewater
  examples: |
    - น้ำเสียไหลลงคลองหน้าบ้าน
"""


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    (data / "nlu").mkdir(parents=True)
    (data / "nlu" / "complaints.yml").write_text(EXISTING, encoding="utf-8")
    (tmp_path / "heldout.yml").write_text(HELDOUT, encoding="utf-8")
    return data


def _accepted(session, text, intent, entities=None, source=Source.FALLBACK):
    item = enqueue(session, text=text, source=source, predicted_intent="nlu_fallback")
    assert accept(session, item_id=item.id, reviewer="trainer", intent=intent, entities=entities) is None
    return item


# -- pure -------------------------------------------------------------------------------------


def test_example_key_ignores_markup_spacing_and_case():
    assert example_key("กลิ่นเหม็นที่[ระยอง](province)") == example_key(" กลิ่นเหม็นที่ระยอง ")
    assert example_key('[มหาชัย]{"entity": "province", "value": "สมุทรสาคร"}') == "มหาชัย"
    assert example_key("Factory  NOISE") == example_key("factory noise")


def test_annotated_example_marks_spans_and_fills_placeholders():
    text = "[subject_name] ที่ชลบุรี ปล่อยน้ำเสีย โทร [phone]"
    start = text.index("ชลบุรี")
    example = annotated_example(text, [{"start": start, "end": start + 6, "entity": "province"}])
    assert example == "โรงงานแห่งหนึ่ง ที่[ชลบุรี](province) ปล่อยน้ำเสีย โทร เบอร์โทรศัพท์"
    assert "[" not in annotated_example("ราคา [ลดพิเศษ](ไม่จริง)\nบรรทัดสอง", [])


# -- export -----------------------------------------------------------------------------------


def test_export_writes_new_examples_skips_duplicates_and_reports_conflicts(database_url, data_dir):
    heldout = data_dir.parent / "heldout.yml"
    with make_session_factory(make_engine(database_url)).begin() as session:
        text = "มีเสียงเครื่องจักรดังมากที่ชลบุรีตอนตีสอง"
        start = text.index("ชลบุรี")
        new = _accepted(session, text, "complaint_noise", [{"start": start, "end": start + 6, "entity": "province"}])
        dup = _accepted(session, "กลิ่นเหม็นที่ระยอง", "complaint_odor")
        conflict = _accepted(session, "เสียงดัง  ทั้งคืน", "complaint_odor")
        held = _accepted(session, "น้ำเสียไหลลงคลองหน้าบ้าน", "complaint_wastewater")
        other = _accepted(session, "ถนนหน้าบ้านเป็นหลุม", "out_of_scope", source=Source.OFFICER_REROUTE)
        dropped = enqueue(session, text="อิอิ", source=Source.FALLBACK)
        discard(session, item_id=dropped.id, reviewer="trainer")

        result = export_reviewed(session, data_dir=data_dir, heldout=heldout)

        assert not result.ok
        [c] = result.conflicts
        assert (c.item_id, c.intent, c.other_intent, c.where) == (
            conflict.id,
            "complaint_odor",
            "complaint_noise",
            "nlu/complaints.yml",
        )
        assert result.duplicates == 1 and result.heldout == [held.id]
        assert sorted(result.exported_ids) == sorted([new.id, dup.id, other.id])
        reviewed = data_dir / "nlu" / "reviewed"
        assert sorted(p.name for p in reviewed.glob("*.yml")) == ["complaint_noise.yml", "out_of_scope.yml"]
        assert read_examples(reviewed / "complaint_noise.yml") == {
            "complaint_noise": ["มีเสียงเครื่องจักรดังมากที่[ชลบุรี](province)ตอนตีสอง"]
        }
        assert yaml.safe_load((reviewed / "out_of_scope.yml").read_text())["version"] == "3.1"
        # Conflicts and held-out texts wait for the trainer; the rest is done.
        assert {i.id for i in items_to_export(session)} == {conflict.id, held.id}
        assert heldout.read_text() == HELDOUT  # only read

        # Run again: nothing new, the files are unchanged, the conflict is still reported.
        before = (reviewed / "complaint_noise.yml").read_text()
        again = export_reviewed(session, data_dir=data_dir, heldout=heldout)
        assert again.written == {} and len(again.conflicts) == 1
        assert (reviewed / "complaint_noise.yml").read_text() == before

        # The trainer relabels an exported item: its line moves to the new intent's file.
        assert accept(session, item_id=new.id, reviewer="trainer", intent="complaint_hazard") is None
        moved = export_reviewed(session, data_dir=data_dir, heldout=heldout)
        assert list(moved.written) == [str(reviewed / "complaint_hazard.yml")]
        assert not (reviewed / "complaint_noise.yml").exists()


def test_export_by_source_and_dry_run(database_url, data_dir):
    heldout = data_dir.parent / "heldout.yml"
    with make_session_factory(make_engine(database_url)).begin() as session:
        _accepted(session, "ควันดำจากปล่องโรงงาน", "complaint_air_pollution", source=Source.CITIZEN_CHOICE)
        _accepted(session, "ระเบิดหินทุกวัน บ้านร้าว", "complaint_mining", source=Source.CITIZEN_CHOICE)
        dry = export_reviewed(session, data_dir=data_dir, heldout=heldout, by="source", dry_run=True)
        assert sum(dry.written.values()) == 2 and not (data_dir / "nlu" / "reviewed").exists()
        assert len(items_to_export(session)) == 2
        result = export_reviewed(session, data_dir=data_dir, heldout=heldout, by="source")
        assert result.ok
        assert set(read_examples(data_dir / "nlu" / "reviewed" / "citizen_choice.yml")) == {
            "complaint_air_pollution",
            "complaint_mining",
        }


def test_cli_exit_status_is_nonzero_on_conflict(database_url, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    heldout = str(data_dir.parent / "heldout.yml")
    with make_session_factory(make_engine(database_url)).begin() as session:
        _accepted(session, "ฝุ่นเยอะมากจากโรงโม่", "complaint_mining")
    assert main(["--data", str(data_dir), "--heldout", heldout]) == 0
    with make_session_factory(make_engine(database_url)).begin() as session:
        _accepted(session, "โรงงานแถวบ้านส่งกลิ่นเหม็นมาก", "complaint_noise")
    assert main(["--data", str(data_dir), "--heldout", heldout]) == 1
    out = capsys.readouterr()
    assert "CONFLICT" in out.err and "1 conflict(s)" in out.out


def test_exported_file_is_read_by_rasa_with_its_entities(tmp_path, data_dir, new_sqlite_database):
    """The written YAML goes through Rasa's own reader (Rasa venv), entities included."""
    rasa_python = ROOT / ".venv" / "rasa" / "bin" / "python"
    if not rasa_python.exists():
        pytest.fail("the Rasa environment (.venv/rasa) is required: make setup")
    url = new_sqlite_database("q.db")
    with make_session_factory(make_engine(url)).begin() as session:
        text = "[subject_name] ใน นิคมอุตสาหกรรมบางปู ปล่อยน้ำเสีย"
        item = enqueue(
            session,
            text=text,
            source=Source.CITIZEN_CHOICE,
            predicted_intent="complaint_odor",
            corrected_intent="complaint_wastewater",
        )
        start = item.text.index("นิคม")
        accept(
            session,
            item_id=item.id,
            reviewer="t",
            entities=[{"start": start, "end": start + len("นิคมอุตสาหกรรมบางปู"), "entity": "industrial_estate"}],
        )
        export_reviewed(session, data_dir=data_dir, heldout=data_dir.parent / "heldout.yml")
    path = data_dir / "nlu" / "reviewed" / "complaint_wastewater.yml"
    script = (
        "import json,sys\n"
        "from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader\n"
        "td = RasaYAMLReader().read(sys.argv[1])\n"
        "print(json.dumps([[m.get('text'), m.get('intent'), m.get('entities')] for m in td.intent_examples], ensure_ascii=False))\n"
    )
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    out = subprocess.run(
        [str(rasa_python), "-c", script, str(path)], capture_output=True, text=True, env=env, timeout=120, check=True
    ).stdout
    [[parsed_text, intent, entities]] = json.loads(out.strip().splitlines()[-1])
    assert intent == "complaint_wastewater"
    assert parsed_text == "โรงงานแห่งหนึ่ง ใน นิคมอุตสาหกรรมบางปู ปล่อยน้ำเสีย"
    assert [(e["entity"], e["value"]) for e in entities] == [("industrial_estate", "นิคมอุตสาหกรรมบางปู")]


def test_real_training_data_is_read_and_an_existing_example_is_a_duplicate(database_url):
    """Against the repository's data/: parsing finds every intent file; nothing is written."""
    examples = {}
    for path in (ROOT / "data").rglob("*.yml"):
        for intent, rows in read_examples(path).items():
            examples.setdefault(intent, []).extend(rows)
    assert len(examples.get("complaint_odor", [])) >= 20
    sample = examples["complaint_odor"][0]
    with make_session_factory(make_engine(database_url)).begin() as session:
        _accepted(session, plain_text(sample), "complaint_odor")
        result = export_reviewed(session, data_dir=ROOT / "data", dry_run=True)
        assert result.duplicates == 1 and result.written == {} and result.ok
