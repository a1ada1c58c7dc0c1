"""Read the Rasa domain the way Rasa does: one YAML file, or every YAML file in a folder.

The domain lives in `bot/domain/`, split by topic (intake, follow-up, handoff, ...).
Rasa merges the files itself; the gateway and the console only need the merged
`responses:` section, so they read it through here.
"""

from __future__ import annotations

from pathlib import Path

import yaml


class DomainReadError(RuntimeError):
    """The domain file or folder cannot be read or is not a Rasa domain."""


def domain_files(path: str | Path) -> list[Path]:
    """The YAML files making up the domain at `path`, in a stable order."""
    root = Path(path)
    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.suffix in {".yml", ".yaml"})
        if not files:
            raise DomainReadError(f"{root}: no domain files in this folder")
        return files
    return [root]


def read_domain(path: str | Path) -> dict:
    """Merge the domain files at `path`: lists are concatenated, mappings are joined.

    A key defined twice in mappings (a response, slot or form in two files) is an
    error, as it would silently override the other file.
    """
    merged: dict = {}
    for file in domain_files(path):
        try:
            part = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DomainReadError(f"cannot read domain file {file}: {exc}") from exc
        if not isinstance(part, dict):
            raise DomainReadError(f"{file}: not a mapping")
        for key, value in part.items():
            if isinstance(value, dict):
                section = merged.setdefault(key, {})
                twice = set(section) & set(value)
                if twice and key != "session_config":
                    raise DomainReadError(f"{file}: {key} defined twice: {sorted(twice)}")
                section.update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(v for v in value if v not in merged.get(key, []))
            else:
                merged[key] = value
    return merged


def read_responses(path: str | Path) -> dict:
    """The merged `responses:` section of the domain at `path`."""
    responses = read_domain(path).get("responses")
    if not isinstance(responses, dict):
        raise DomainReadError(f"{path}: no responses: section")
    return responses
