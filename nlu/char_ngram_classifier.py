"""Rasa component: blends a character n-gram classifier's probabilities with DIET's.

Place it after DIETClassifier and before FallbackClassifier. It trains
``nlu.char_ngram`` on the intent examples and replaces the message's intent and ranking
with ``weight`` × sharpened n-gram + (1 − weight) × DIET (``nlu.char_ngram.blend``); the fallback
threshold then applies to the blended confidence. DIET's own top intent stays on the
message as ``diet_intent`` for the trainers and the evaluation.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import char_ngram

logger = logging.getLogger(__name__)
MODEL_FILE = "char_ngram.joblib"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CharNgramIntentBlender(GraphComponent, IntentClassifier):
    """Character n-gram linear classifier, blended with the previous classifier's ranking."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # classifier: logistic_regression or linear_svm (nlu/char_ngram.py); weight: the
        # n-gram model's share; sharpness: the power its probabilities are raised to before
        # blending (char_ngram.sharpen; for the SVM, the softmax's inverse temperature);
        # C: its inverse regularisation; max_ngram: the longest character n-gram;
        # ranking_length: how many intents the blended ranking keeps.
        return {
            "classifier": char_ngram.LOGISTIC_REGRESSION,
            "weight": 0.5,
            "sharpness": 4.0,
            "C": 10.0,
            "max_ngram": 4,
            "ranking_length": 10,
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, model: Any = None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CharNgramIntentBlender":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            logger.warning("CharNgramIntentBlender: fewer than two intents, nothing to train")
            return self._resource
        self._model = char_ngram.fit(
            [m.get(TEXT) for m in examples],
            [m.get(INTENT) for m in examples],
            c=float(self._config["C"]),
            classifier=str(self._config["classifier"]),
            max_ngram=int(self._config["max_ngram"]),
        )
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CharNgramIntentBlender":
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("CharNgramIntentBlender: no trained model; DIET's ranking is kept as is")
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        power = float(self._config["sharpness"])
        for message, ngram in zip(messages, char_ngram.probabilities(self._model, texts)):
            self._blend(message, char_ngram.sharpen(ngram, power))
        return messages

    def _blend(self, message: Message, ngram: Dict[str, float]) -> None:
        previous: Optional[dict] = message.get(INTENT)
        diet = {r["name"]: float(r.get("confidence") or 0.0) for r in message.get(INTENT_RANKING_KEY) or []}
        if not diet and previous and previous.get("name"):
            diet = {previous["name"]: float(previous.get("confidence") or 0.0)}
        ranking = char_ngram.blend(diet, ngram, float(self._config["weight"]) if diet else 1.0)
        ranking = ranking[: int(self._config["ranking_length"])]
        if previous:
            message.set("diet_intent", previous, add_to_output=True)
        message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
