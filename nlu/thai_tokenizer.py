"""Rasa 3 tokenizer graph component for Thai over PyThaiNLP ``newmm``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu.thai_text import lemma_for, word_spans


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class ThaiTokenizer(Tokenizer):
    """Splits Thai (and mixed Thai/English) text into words.

    Each token's ``text`` is the exact substring ``text[start:end]``; its ``lemma`` is the
    normalised form (Arabic digits, no zero-width characters, collapsed letter runs), which
    CountVectorsFeaturizer uses by default (``use_lemma: True``).
    """

    @staticmethod
    def required_packages() -> List[Text]:
        return ["pythainlp"]

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["th"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ThaiTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        tokens = []
        for start, end in word_spans(text):
            word = text[start:end]
            tokens.append(Token(word, start, end=end, lemma=lemma_for(word)))
        return self._apply_token_pattern(tokens)
