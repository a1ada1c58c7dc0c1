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


def load_examples(path: str | Path) -> list[Example]:
    """Intent examples of a Rasa NLU file or directory (lookups, regexes, synonyms skipped)."""
    from rasa.shared.nlu.training_data.loading import load_data  # Rasa environment only

    data = load_data(str(path))
    return [
        Example(m.get("text"), m.get("intent"), entities_from_dicts(m.get("entities")))
        for m in data.intent_examples
    ]
