"""The SpellingCorrector as a Rasa graph component: trained, stored, loaded and run on real messages."""

from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.spelling_corrector import SpellingCorrector

CONTEXT = ExecutionContext(GraphSchema({}), "test")
TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def tokenized(*texts: str, intent: str | None = None) -> list[Message]:
    messages = [Message(data={TEXT: text, **({INTENT: intent} if intent else {})}) for text in texts]
    TOKENIZER.process(messages)
    return messages


def trained_and_loaded(tmp_path) -> SpellingCorrector:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("spelling_corrector")
    training = TrainingData(tokenized("ik slaap slecht door mijn zorgen", "ik heb schulden", intent="x"))
    training = TOKENIZER.process_training_data(training)
    SpellingCorrector.create({}, storage, resource, CONTEXT).train(training)
    return SpellingCorrector.load({}, storage, resource, CONTEXT)


def tokens(message: Message) -> list[tuple[str, str]]:
    return [(token.text, token.lemma) for token in message.get(TOKENS_NAMES[TEXT])]


def test_a_misspelt_word_gets_the_lemma_of_the_training_word(tmp_path):
    corrector = trained_and_loaded(tmp_path)
    [message] = corrector.process(tokenized("Ik skaap slecht door de schulwen"))
    assert tokens(message) == [
        ("Ik", "Ik"),
        ("skaap", "slaap"),
        ("slecht", "slecht"),
        ("door", "door"),
        ("de", "de"),
        ("schulwen", "schulden"),
    ]


def test_dutch_words_the_training_data_lacks_stay_as_they_are(tmp_path):
    corrector = trained_and_loaded(tmp_path)
    [message] = corrector.process(tokenized("ik slaap in een slaapzak"))
    assert tokens(message)[-1] == ("slaapzak", "slaapzak")


def test_training_data_is_left_alone(tmp_path):
    storage = LocalModelStorage(tmp_path)
    corrector = SpellingCorrector.create({}, storage, Resource("spelling_corrector"), CONTEXT)
    training = TrainingData(tokenized("ik skaap slecht", intent="x"))
    assert tokens(corrector.process_training_data(training).training_examples[0])[1] == ("skaap", "skaap")
