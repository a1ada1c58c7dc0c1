"""Versioned model names: ``idee-<YYYYMMDD-HHMM>-<datahash8>`` (UTC), the data hash over
everything a model is trained from (config.yml, bot/, data/), and the current-model link.

    python -m training.versioning name              # prints the name for a model trained now
    python -m training.versioning promote FILE      # models/idee.tar.gz -> FILE (symlink)
    python -m training.versioning show FILE         # version, model id and training time

Stdlib only: used by ``make train`` from either virtual environment.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tarfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINING_INPUTS = ("config.yml", "bot", "data")
CURRENT_NAME = "idee.tar.gz"
PREFIX = "idee"
VERSION_RE = re.compile(r"^idee-(\d{8})-(\d{4})-([0-9a-f]{8})$")
SKIPPED_PARTS = {"__pycache__", ".DS_Store"}


def input_files(root: Path = ROOT, inputs: tuple[str, ...] = TRAINING_INPUTS) -> list[Path]:
    """Every file a model is trained from, in a stable order."""
    files: list[Path] = []
    for name in inputs:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not SKIPPED_PARTS.intersection(p.relative_to(root).parts)
                and not p.name.endswith(".pyc")
            )
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def data_hash(root: Path = ROOT, inputs: tuple[str, ...] = TRAINING_INPUTS) -> str:
    """sha256 over (relative path, content) of every training input; 8 hex digits.

    Renaming, adding, removing or editing any file changes it; file times do not."""
    digest = hashlib.sha256()
    for path in input_files(root, inputs):
        relative = path.relative_to(root).as_posix().encode()
        content = path.read_bytes()
        digest.update(len(relative).to_bytes(4, "big") + relative)
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()[:8]


def version_name(at: datetime, hash8: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{8}", hash8):
        raise ValueError(f"not an 8-digit hex data hash: {hash8!r}")
    return f"{PREFIX}-{at.astimezone(timezone.utc):%Y%m%d-%H%M}-{hash8}"


@dataclass(frozen=True)
class Version:
    name: str
    trained_at: datetime
    data_hash: str


def parse_version(name: str) -> Version | None:
    """The version encoded in a model file name (``.tar.gz`` optional), or None."""
    stem = Path(name).name.removesuffix(".tar.gz")
    match = VERSION_RE.match(stem)
    if not match:
        return None
    day, minute, hash8 = match.groups()
    at = datetime.strptime(day + minute, "%Y%m%d%H%M").replace(tzinfo=timezone.utc)
    return Version(stem, at, hash8)


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    version: str  # the versioned file name without .tar.gz (or the plain file stem)
    model_id: str | None  # Rasa's id: on every event's metadata and in GET /status
    trained_at: str | None


def model_info(path: str | Path) -> ModelInfo:
    """What a Rasa model file says about itself (read from its metadata.json; no Rasa)."""
    path = Path(path)
    resolved = path.resolve()
    model_id = trained_at = None
    with tarfile.open(resolved, "r:gz") as archive:
        for member in archive:
            # The model's own metadata.json sits at the archive's top; components may keep
            # files of the same name (e.g. lists) deeper down.
            if not member.isfile() or member.name.lstrip("./") != "metadata.json":
                continue
            handle = archive.extractfile(member)
            metadata = json.loads(handle.read().decode("utf-8")) if handle is not None else None
            if isinstance(metadata, dict):
                model_id, trained_at = metadata.get("model_id"), metadata.get("trained_at")
                break
    return ModelInfo(resolved, resolved.name.removesuffix(".tar.gz"), model_id, trained_at)


def promote(model: str | Path, current: str | Path | None = None) -> Path:
    """Point the current-model link (models/idee.tar.gz) at ``model``, atomically.

    A relative symlink in the model's folder; `make run`, `make evaluate` and tests/nlu keep
    using models/idee.tar.gz, and Rasa loading the resolved path reports the version."""
    model = Path(model).resolve()
    if not model.is_file():
        raise FileNotFoundError(model)
    link = Path(current) if current else model.parent / CURRENT_NAME
    if link.resolve() == model:
        return link
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    if temporary.exists() or temporary.is_symlink():
        temporary.unlink()
    target = os.path.relpath(model, link.parent.resolve())
    temporary.symlink_to(target)
    os.replace(temporary, link)
    return link


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Versioned i-Dee model names")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("name", help="print the version name for a model trained now")
    sub.add_parser("hash", help="print the data hash of config.yml, bot/ and data/")
    promote_parser = sub.add_parser("promote", help="make FILE the current model (models/idee.tar.gz)")
    promote_parser.add_argument("model")
    show_parser = sub.add_parser("show", help="version, model id and training time of FILE")
    show_parser.add_argument("model")
    args = parser.parse_args(argv)
    if args.command == "name":
        print(version_name(datetime.now(timezone.utc), data_hash()))
    elif args.command == "hash":
        print(data_hash())
    elif args.command == "promote":
        link = promote(args.model)
        print(f"==> {link} -> {os.readlink(link)}")
    elif args.command == "show":
        info = model_info(args.model)
        print(
            json.dumps(
                {
                    "file": str(info.path),
                    "version": info.version,
                    "model_id": info.model_id,
                    "trained_at": info.trained_at,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
