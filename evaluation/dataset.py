"""Rasa NLU files as plain examples (text, intent, gold entities)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Entity:
    entity: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = field(default=())


def entities_from_dicts(items: list[dict] | None) -> tuple[Entity, ...]:
    return tuple(
        Entity(e["entity"], int(e.get("start", -1)), int(e.get("end", -1)), str(e.get("value", "")))
        for e in items or ()
    )


def load_training_data(path: str | Path):
    """Rasa TrainingData of a file or of every YAML file under a directory (a README or
    other notes beside the data are not training data)."""
    from rasa.shared.nlu.training_data.loading import load_data  # Rasa environment only
    from rasa.shared.nlu.training_data.training_data import TrainingData

    path = Path(path)
    if path.is_file():
        return load_data(str(path))
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    return TrainingData().merge(*(load_data(str(f)) for f in files))


def load_examples(path: str | Path) -> list[Example]:
    """Intent examples of a Rasa NLU file or directory (lookups, regexes, synonyms skipped)."""
    data = load_training_data(path)
    return [
        Example(m.get("text"), m.get("intent"), entities_from_dicts(m.get("entities"))) for m in data.intent_examples
    ]
