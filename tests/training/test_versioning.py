"""Versioned model names, the data hash and the current-model link."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from training.versioning import data_hash, model_info, parse_version, promote, version_name


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


BASE = {"config.yml": "language: th\n", "bot/domain/a.yml": "intents: [greet]\n", "data/nlu/x.yml": "- สวัสดีค่ะ\n"}


def test_data_hash_is_stable_and_sees_every_input(tmp_path):
    first = data_hash(tree(tmp_path / "a", BASE))
    assert first == data_hash(tree(tmp_path / "b", BASE))  # same content elsewhere, same hash
    assert len(first) == 8 and int(first, 16) >= 0
    changed = {**BASE, "data/nlu/x.yml": "- สวัสดีครับ\n"}
    assert data_hash(tree(tmp_path / "c", changed)) != first
    added = {**BASE, "bot/dialogue/rules.yml": "rules: []\n"}
    assert data_hash(tree(tmp_path / "d", added)) != first
    renamed = {
        "config.yml": BASE["config.yml"],
        "bot/domain/b.yml": BASE["bot/domain/a.yml"],
        "data/nlu/x.yml": BASE["data/nlu/x.yml"],
    }
    assert data_hash(tree(tmp_path / "e", renamed)) != first


def test_data_hash_ignores_files_outside_the_inputs_and_bytecode(tmp_path):
    root = tree(tmp_path / "a", BASE)
    before = data_hash(root)
    tree(root, {"README.md": "x", "bot/__pycache__/m.cpython-310.pyc": "x", "tests/nlu/heldout.yml": "x"})
    assert data_hash(root) == before


def test_version_name_is_utc_and_parses_back():
    bangkok = timezone(timedelta(hours=7))
    name = version_name(datetime(2026, 11, 25, 23, 5, tzinfo=bangkok), "0a1b2c3d")
    assert name == "idee-20261125-1605-0a1b2c3d"
    parsed = parse_version(f"models/{name}.tar.gz")
    assert parsed is not None and parsed.data_hash == "0a1b2c3d"
    assert parsed.trained_at == datetime(2026, 11, 25, 16, 5, tzinfo=timezone.utc)
    assert parse_version("models/idee.tar.gz") is None
    with pytest.raises(ValueError):
        version_name(datetime.now(timezone.utc), "nothex!!")


def fake_model(path: Path, model_id: str) -> Path:
    metadata = json.dumps({"model_id": model_id, "trained_at": "2026-11-25T16:00:00"}).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(metadata)
        archive.addfile(info, io.BytesIO(metadata))
    return path


def test_promote_links_the_current_model_atomically(tmp_path):
    old = fake_model(tmp_path / "idee-20261125-1500-aaaaaaaa.tar.gz", "old-id")
    new = fake_model(tmp_path / "idee-20261125-1600-bbbbbbbb.tar.gz", "new-id")
    (tmp_path / "idee.tar.gz").write_bytes(b"a plain file from an older make train")
    link = promote(old)
    assert link == tmp_path / "idee.tar.gz" and link.is_symlink()
    assert model_info(link).model_id == "old-id"
    promote(new)
    info = model_info(tmp_path / "idee.tar.gz")
    assert (info.model_id, info.version) == ("new-id", "idee-20261125-1600-bbbbbbbb")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "idee-20261125-1500-aaaaaaaa.tar.gz",
        "idee-20261125-1600-bbbbbbbb.tar.gz",
        "idee.tar.gz",
    ]
    with pytest.raises(FileNotFoundError):
        promote(tmp_path / "missing.tar.gz")


def test_model_info_reads_the_top_level_metadata_not_a_components_file(tmp_path: Path):
    """Rasa's archives hold component files named *_metadata.json (lists) before metadata.json."""
    model = tmp_path / "idee-20261125-1804-54c979b1.tar.gz"
    with tarfile.open(model, "w:gz") as archive:
        for name, content in (
            ("components/train_DIETClassifier4/DIETClassifier.data_example_metadata.json", []),
            ("metadata.json", {"model_id": "the-model", "trained_at": "2026-11-25T18:09:47"}),
        ):
            data = json.dumps(content).encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    info = model_info(model)
    assert (info.model_id, info.trained_at) == ("the-model", "2026-11-25T18:09:47")
