"""Rasa component: a message written in Myanmar, Khmer or Lao script gets its language's
intent (``language_myanmar``, ``language_khmer``, ``language_lao``) with certainty.

The bot cannot understand these languages; it answers with a short notice in the
citizen's language (how to reach a person, Thai or English works best) and offers the
handoff (bot/domain/languages.yml). Place it last among the intent classifiers (after
FallbackClassifier), so that it also replaces ``nlu_fallback``.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

# Unicode blocks of the scripts (Myanmar with its extensions; Khmer with its symbols).
SCRIPT_RANGES: Dict[str, tuple[tuple[int, int], ...]] = {
    "myanmar": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "lao": ((0x0E80, 0x0EFF),),
}
INTENT_OF_SCRIPT = {script: f"language_{script}" for script in SCRIPT_RANGES}
MIN_SHARE = 0.5  # of the message's letters; a Thai message quoting one Lao word stays Thai


def _script_of(ch: str) -> Optional[str]:
    code = ord(ch)
    for script, ranges in SCRIPT_RANGES.items():
        if any(lo <= code <= hi for lo, hi in ranges):
            return script
    return None


def detect_script(text: str, min_share: float = MIN_SHARE) -> Optional[str]:
    """'myanmar', 'khmer' or 'lao' when at least ``min_share`` of the letters (combining
    marks included) are in that script, else None."""
    letters = [ch for ch in text if unicodedata.category(ch)[0] in ("L", "M")]
    if not letters:
        return None
    counts: Dict[str, int] = {}
    for ch in letters:
        script = _script_of(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return script if n / len(letters) >= min_share else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ScriptDetector(GraphComponent, IntentClassifier):
    """Sets ``language_<script>`` (confidence 1) on messages in Myanmar, Khmer or Lao script."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_share": MIN_SHARE}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._min_share = float({**self.get_default_config(), **config}["min_share"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ScriptDetector":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            script = detect_script(message.get(TEXT) or "", self._min_share)
            if script is None:
                continue
            intent = {"name": INTENT_OF_SCRIPT[script], "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
