"""SpellingCorrector: a misspelt word is read as the training word it was meant to be.

It sits between the tokenizer and the featurizers. Training remembers every
word of the training data with its lemma and frequency. When a message comes
in, a word that is neither in the training data nor a Dutch word ("skaap",
"schulwen") gets the lemma of its nearest training word (`bot.nlp.spelling`),
so the featurizers see the word the resident meant. Only the lemma changes:
the token's text and position stay, so entities and the resident's own words
are untouched. Both CountVectorsFeaturizers read lemmas (`use_lemma`, their
default), which is what makes the correction count.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.spelling import Speller, dutch_words

_VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SpellingCorrector(GraphComponent):
    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        lemmas: dict[str, str] | None = None,
        frequency: dict[str, int] | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._lemmas = lemmas or {}
        self._speller = Speller(self._lemmas, frequency=frequency or {})

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpellingCorrector:
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SpellingCorrector:
        with model_storage.read_from(resource) as directory:
            stored = json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8"))
        dutch_words()  # read (and cache) the Dutch word list now, not on a resident's first message
        return cls(model_storage, resource, stored["lemmas"], stored["frequency"])

    def train(self, training_data: TrainingData) -> Resource:
        lemmas: dict[str, str] = {}
        frequency: Counter[str] = Counter()
        for message in training_data.training_examples:
            for token in _tokens(message):
                word = token.text.lower()
                frequency[word] += 1
                lemmas.setdefault(word, token.lemma)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _VOCABULARY_FILE).write_text(
                json.dumps({"lemmas": lemmas, "frequency": dict(frequency)}, ensure_ascii=False),
                encoding="utf-8",
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # the training words are the vocabulary; nothing to correct

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for token in _tokens(message):
                meant = self._speller.correct(token.text)
                if meant is not None:
                    token.lemma = self._lemmas[meant]
        return messages


def _tokens(message: Message) -> list[Token]:
    return message.get(TOKENS_NAMES[TEXT]) or []
