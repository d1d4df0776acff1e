"""Speed-ups of Rasa 3.6 that keep its behaviour: installed by bot.rasa_server before Rasa
starts (and by the benches that profile a turn). Each is measured in docs/measurements.md
and checked against Rasa's own function in tests/runtime/."""

from __future__ import annotations


def cache_event_classes() -> None:
    """Rasa's `Event.resolve_by_type` with the answer kept per event name.

    Rasa 3.6 walks the whole tree of Event subclasses (`all_subclasses`, recursive, with an
    `isabstract` check per class) for every event it reads back: about two thirds of
    rebuilding a conversation from the tracker store (bench/tracker_store_bench.py,
    docs/measurements.md), and again for the events of every action server answer. Here the
    class found for a name is remembered, so the answer is the one Rasa's walk gives; the memory is
    cleared whenever a new Event subclass is defined. Unknown names (and `default`) go to Rasa's
    own function, with its errors."""
    from rasa.shared.core.events import Event

    if getattr(Event.resolve_by_type, "_welzijnswijzer", False):
        return
    original = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    previous_hook = Event.__dict__.get("__init_subclass__")

    def init_subclass(cls, **kwargs):
        found.clear()
        if previous_hook is not None:
            previous_hook.__func__(cls, **kwargs)
        else:
            super(Event, cls).__init_subclass__(**kwargs)

    resolve_by_type._welzijnswijzer = True
    Event.__init_subclass__ = classmethod(init_subclass)
    Event.resolve_by_type = staticmethod(resolve_by_type)


def speed_up_rule_lookup() -> None:
    """RulePolicy's search for the rules that match a conversation, with the same result
    found with less work.

    Rasa 3.6 (`RulePolicy._get_possible_keys`) checks every rule (396 in our model) against
    the conversation's last state for every prediction, then walks back through every
    earlier state of the conversation. Under load RulePolicy took 7.9 % of the Rasa
    server's main thread (py-spy, docs/measurements.md). Here:

    - the first step checks only the rules that can pass it: a rule whose last state names
      a previous action can only match a conversation whose last state names the same one,
      and a rule that starts a conversation (no previous action) only a state without one
      (`_is_rule_applicable`). The rules are grouped by that name once per lookup table;
      Rasa's own check then runs on the candidates;
    - the walk back stops once it is past the longest rule left, or no rule is left: Rasa's
      check keeps every rule shorter than the steps walked, so the rest changes nothing.

    The set of rules found is the one Rasa finds (tests/runtime/test_rule_lookup.py)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET

    if getattr(RulePolicy._get_possible_keys, "_welzijnswijzer", False):
        return
    original = RulePolicy._get_possible_keys
    indexes: dict[int, tuple] = {}

    def index_of(policy, lookup):
        cached = indexes.get(id(lookup))
        if cached is not None and cached[0] is lookup and cached[1] == len(lookup):
            return cached[2]
        starters, by_name, others, lengths = set(), {}, set(), {}
        for key in lookup:
            states = policy._rule_key_to_state(key)
            lengths[key] = len(states)
            previous = states[-1].get(PREVIOUS_ACTION) if states else None
            if not states:
                others.add(key)
            elif not previous:
                starters.add(key)
            else:
                name = previous.get("action_name")
                if isinstance(name, str) and name and name != SHOULD_NOT_BE_SET:
                    by_name.setdefault(name, set()).add(key)
                else:
                    others.add(key)
        index = (starters, by_name, others, lengths)
        indexes[id(lookup)] = (lookup, len(lookup), index)
        return index

    def first_step_candidates(policy, lookup, state):
        starters, by_name, others, _ = index_of(policy, lookup)
        previous = state.get(PREVIOUS_ACTION)
        if not previous:
            return starters | others
        name = previous.get("action_name")
        if not isinstance(name, str):
            return set(lookup.keys())
        return by_name.get(name, set()) | others

    def _get_possible_keys(self, lookup, states):
        if not states:
            return set(lookup.keys())
        lengths = index_of(self, lookup)[3]
        possible_keys = None
        for i, state in enumerate(reversed(states)):
            candidates = first_step_candidates(self, lookup, state) if i == 0 else possible_keys
            possible_keys = set(filter(lambda _key: self._is_rule_applicable(_key, i, state), candidates))
            if not possible_keys or i + 1 >= max(lengths[key] for key in possible_keys):
                break  # every rule left is kept by every further step
        return possible_keys

    _get_possible_keys._welzijnswijzer = True
    _get_possible_keys.rasa_original = original
    RulePolicy._get_possible_keys = _get_possible_keys


def freeze_heap() -> None:
    """Move every object alive now (the loaded model, Rasa, TensorFlow: most of a 1.5 GB
    heap) out of the garbage collector's reach (`gc.freeze`). They live as long as the
    process anyway; without this each full collection walks them all again, a pause of
    the event loop for every conversation waiting on it. Objects made later are collected
    as before."""
    import gc

    gc.collect()
    gc.freeze()


def freeze_heap_when_serving() -> None:
    """`freeze_heap` once Rasa's server has loaded the model (Sanic's after_server_start
    comes after Rasa's before_server_start listener that loads the agent)."""
    import rasa.core.run as rasa_run

    if getattr(rasa_run.configure_app, "_welzijnswijzer_freeze", False):
        return
    original = rasa_run.configure_app

    def configure_app(*args, **kwargs):
        app = original(*args, **kwargs)

        async def freeze(_app, _loop):
            freeze_heap()

        app.register_listener(freeze, "after_server_start")
        return app

    # Keep the marker of bot.rasa_server.add_health_route's patch, so it is not installed twice.
    configure_app._welzijnswijzer = getattr(original, "_welzijnswijzer", False)
    configure_app._welzijnswijzer_freeze = True
    rasa_run.configure_app = configure_app


class _CopyForDebugLog:
    """Stands in for the `copy` module inside Rasa's RulePolicy and MemoizationPolicy, which
    use it only to deep-copy the dialogue states they hand to a `structlogger.debug` event
    (for every prediction, about 3 per turn). Rasa's structlog drops a debug event when the
    module's stdlib logger is not enabled for DEBUG (`structlog.stdlib.filter_by_level`),
    so then the copy is never read and the states themselves are passed; with DEBUG on,
    the copy is made as before."""

    def __init__(self, logger_name: str):
        import copy
        import logging

        self._copy = copy
        self._logger = logging.getLogger(logger_name)
        self._debug = logging.DEBUG

    def deepcopy(self, value, memo=None):
        if self._logger.isEnabledFor(self._debug):
            return self._copy.deepcopy(value, memo)
        return value

    def __getattr__(self, name):
        return getattr(self._copy, name)


def skip_debug_log_copies() -> None:
    """The policies' deep copies for debug events only when those events can be logged."""
    import rasa.core.policies.memoization as memoization
    import rasa.core.policies.rule_policy as rule_policy

    for module in (rule_policy, memoization):
        if not isinstance(module.copy, _CopyForDebugLog):
            module.copy = _CopyForDebugLog(module.__name__)


def load_models_without_training_step() -> None:
    """DIET's and TED's TensorFlow models loaded for prediction without Rasa's training step.

    Rasa 3.6 (`RasaModel.load`) builds an empty model, trains it on one example
    (`model.fit`) to create its variables, then reads the trained weights over them. Tracing
    that training step (the forward pass, the entity CRF's loss and every gradient) took 29 s
    of the 37 s CPU it takes to load our model (py-spy, docs/measurements.md): on every
    start of a Rasa server, a replica's restart and every test that loads the model.

    Weights in TensorFlow's checkpoint format are restored on creation: a variable made after
    `load_weights` gets its saved value the moment it is created (Keras' deferred restoration
    for subclassed models). So here the weights are read first and the one prediction Rasa
    makes anyway to trace the prediction step creates, and thereby restores, every variable
    prediction uses. The optimizer's saved state stays unread: only training uses it
    (`expect_partial`). Loading for further training (`rasa train --finetune`) and a load
    without a prediction example keep Rasa's own path.

    The loaded model predicts bit for bit what Rasa's load predicts
    (tests/runtime/test_model_load.py)."""
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.models import RasaModel

    if getattr(RasaModel.load, "_welzijnswijzer", False):
        return
    rasa_load = RasaModel.load.__func__

    def load(cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False,
             *args, **kwargs):
        if finetune_mode or predict_data_example is None:
            return rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                             *args, **kwargs)
        import tensorflow as tf

        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=config.get(RUN_EAGERLY))
        model.load_weights(model_file_name).expect_partial()
        model.run_inference(predict_data_example)
        return model

    load._welzijnswijzer = True
    load.rasa_load = rasa_load
    RasaModel.load = classmethod(load)
