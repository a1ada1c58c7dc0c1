"""Resolve entities found twice (DIET and RegexEntityExtractor) and canonicalise values.

DIET and the regex/lookup extractor both see every message, so the same span can come
back twice (``ชลบุรี`` as province from both), or overlapping spans of different types
(a province inside ``นิคมอุตสาหกรรมเหมราชชลบุรี``). Rule, per overlapping group:

1. an entity from the extractor preferred for its type wins (``PREFERRED_EXTRACTOR``:
   the regex extractor for exact formats and the province/estate lookups, DIET
   otherwise), then the longer span, then the earlier one;
2. except that an entity of another type strictly containing the winners replaces them
   (an estate ``นิคมอุตสาหกรรมเหมราชชลบุรี`` over the province ``ชลบุรี`` inside it).

Kept entities get a canonical value when one is defined (Thai digits → Arabic in phone
and tracking numbers, ``IDEE-YYYY-NNNNNN``, ``นิคมฯ X`` → ``นิคมอุตสาหกรรมX``). The
message text is never changed. Place this after the extractors and before
EntitySynonymMapper, which then maps short province forms to official names.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

REGEX = "RegexEntityExtractor"
DIET = "DIETClassifier"
PREFERRED_EXTRACTOR: Dict[str, str] = {
    "province": REGEX,
    "phone": REGEX,
    "tracking_number": REGEX,
    "date": REGEX,
    "industrial_estate": REGEX,
    "district": DIET,
    "subject_name": DIET,
}

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_TRACKING = re.compile(r"^idee[\s-]*(\d{4})[\s-]*(\d{6})$", re.IGNORECASE)


def canonical_value(entity_type: str, value: Any) -> Any:
    """The canonical form of an extracted value (unchanged when none is defined)."""
    if not isinstance(value, str):
        return value
    if entity_type == "phone":
        return value.translate(_THAI_DIGITS)
    if entity_type == "tracking_number":
        match = _TRACKING.match(value.translate(_THAI_DIGITS).strip())
        return f"IDEE-{match.group(1)}-{match.group(2)}" if match else value
    if entity_type == "industrial_estate":
        text = value.strip()
        if text.startswith("นิคม"):
            rest = text[len("นิคม") :]
            rest = rest[len("อุตสาหกรรม") :] if rest.startswith("อุตสาหกรรม") else rest.lstrip("ฯ")
            rest = rest.strip()
            return f"นิคมอุตสาหกรรม{rest}" if rest else text
        return text
    return value


def _rank(entity: Dict[str, Any]) -> tuple:
    preferred = PREFERRED_EXTRACTOR.get(entity.get("entity"), DIET)
    length = entity.get("end", 0) - entity.get("start", 0)
    return (0 if entity.get("extractor") == preferred else 1, -length, entity.get("start", 0))


def merge_entities(entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Non-overlapping entities chosen by the rule above, in text order, values canonical."""
    kept: List[Dict[str, Any]] = []
    for entity in sorted(entities, key=_rank):
        start, end = entity.get("start"), entity.get("end")
        if start is None or end is None:
            kept.append(entity)
            continue
        conflicts = [k for k in kept if k.get("start") is not None and start < k["end"] and k["start"] < end]
        if conflicts and all(
            k["entity"] != entity.get("entity")
            and start <= k["start"]
            and k["end"] <= end
            and end - start > k["end"] - k["start"]
            for k in conflicts
        ):
            # a longer entity of another type around them (an estate named after a province)
            kept = [k for k in kept if not any(k is c for c in conflicts)]
            conflicts = []
        if not conflicts:
            kept.append(entity)
    for entity in kept:
        entity["value"] = canonical_value(entity.get("entity", ""), entity.get("value"))
    return sorted(kept, key=lambda e: (e.get("start") or 0, e.get("end") or 0))


class _EntityPostProcessor(GraphComponent):
    """Shared graph-component plumbing: rewrite each message's entities with ``transform``."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_EntityPostProcessor":
        return cls()

    def transform(self, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, self.transform(list(entities)), add_to_output=True)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityMerger(_EntityPostProcessor):
    """Drops duplicate or overlapping entities and canonicalises values (see module doc)."""

    def transform(self, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return merge_entities(entities)


def official_provinces() -> frozenset:
    from pythainlp.corpus import provinces

    return frozenset(provinces())


_VALID_FORMAT = {
    "tracking_number": re.compile(r"^IDEE-\d{4}-\d{6}$"),
    "phone": re.compile(r"^\+?[\d\s-]{9,15}$"),
}


def drop_unknown_provinces(entities: List[Dict[str, Any]], known: frozenset) -> List[Dict[str, Any]]:
    """Closed sets and fixed formats: a province must be an official name; a tracking
    number or phone must have its format (after canonicalisation). Others pass."""
    kept = []
    for e in entities:
        kind, value = e.get("entity"), e.get("value")
        if kind == "province" and value not in known:
            continue
        if kind in _VALID_FORMAT and not (isinstance(value, str) and _VALID_FORMAT[kind].match(value)):
            continue
        kept.append(e)
    return kept


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProvinceValidator(_EntityPostProcessor):
    """After EntitySynonymMapper: drops province entities that are not one of the 77
    official names (PyThaiNLP's list), e.g. a DIET fragment such as ``สม`` of ``สมชาย``
    (short forms are official names by then, through the synonyms), and tracking numbers
    or phones that do not have their format (a partial span tagged by DIET)."""

    def __init__(self) -> None:
        self._known = official_provinces()

    @staticmethod
    def required_packages() -> List[Text]:
        return ["pythainlp"]

    def transform(self, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return drop_unknown_provinces(entities, self._known)
