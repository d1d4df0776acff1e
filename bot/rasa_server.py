"""`python -m bot.rasa_server run ...`: Rasa's own command line, with a short,
honest failure when the action server hangs or is down.

Rasa 3.6 waits up to 5 minutes for a custom action (`DEFAULT_REQUEST_TIMEOUT`,
hard-coded, not settable in endpoints.yml), and an action that fails makes it
answer with nothing at all. Here, before Rasa's CLI starts:

- the wait for one action is `WW_ACTION_TIMEOUT_SECONDS` (Settings, default 4 s);
- a custom action that times out or cannot reach the action server is answered
  with one marker message `{"custom": {"storing": true}}` (and one log line with
  the action's name and the error type, never message text). The channels
  (bot.relay) turn the marker into the Dutch "storing" reply that names 113/112.
  A rejection of a form's slot (ActionExecutionRejection) is no failure and is
  passed on unchanged.

The relay keeps its own deadline (`WW_RASA_TIMEOUT_SECONDS`) on top, so the
resident gets an answer within 10 s even when several actions would wait.

A failing tracker store is made visible (`watch_tracker_store`). Rasa wraps every
tracker store in a FailSafeTrackerStore that, when the database cannot be read or
written (PostgreSQL unreachable, a read-only or full SQLite file), silently goes on
with an in-memory tracker and logs the database error, whose text includes the
SQL parameters, i.e. the events with what the resident typed. Here that error is
logged with the store's class, the operation and the error type only, the failure
is counted, a failed read fails the turn (`TrackerStoreUnavailable`: the relay's
"storing" reply) instead of answering from an empty conversation, a failed save
still answers (the turn is kept in memory), and `GET /ww/health` on the Rasa server answers 503
`{"status": "storing", "tracker_store": {"ok": false, ...}}` until a save
succeeds again (it also probes the database with `SELECT 1`). The web app's
/health asks every Rasa replica for it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time

from bot.settings import Settings

log = logging.getLogger("bot.rasa_server")

STORING_MARKER = {"storing": True}


def is_storing_marker(reply: dict) -> bool:
    custom = reply.get("custom")
    return isinstance(custom, dict) and custom.get("storing") is True


def patch_rasa(action_timeout_seconds: float) -> None:
    """Shorten Rasa's wait for custom actions and make their failure visible."""
    import rasa.core.actions.action as rasa_action
    import rasa.utils.endpoints as rasa_endpoints
    from rasa.shared.core.events import BotUttered

    # Both are read at call time: the per-request timeout and the session's total.
    rasa_action.DEFAULT_REQUEST_TIMEOUT = action_timeout_seconds
    rasa_endpoints.DEFAULT_REQUEST_TIMEOUT = action_timeout_seconds

    remote = rasa_action.RemoteAction
    if getattr(remote.run, "_welzijnswijzer", False):
        return
    remote._validate_action_result = _compiled_response_validation(remote)
    original_run = remote.run

    async def run(self, output_channel, nlg, tracker, domain):
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except rasa_action.ActionExecutionRejection:
            raise
        except Exception as problem:  # noqa: BLE001 - timeout, refused connection, HTTP 5xx
            log.error(
                "custom action %s failed (%s): answering with the storing marker",
                self.name(),
                type(problem).__name__,
            )
            return [BotUttered(text=None, data={"custom": dict(STORING_MARKER)})]

    run._welzijnswijzer = True
    remote.run = run


def _compiled_response_validation(remote):
    """RemoteAction's check of the action server's answer, with the schema checked once.

    Rasa 3.6 calls `jsonschema.validate(result, schema)` for every custom action, and
    `validate` first checks the schema itself against its meta-schema: with Rasa's large
    events schema that was about 70 % of Rasa's CPU per turn (bench/profile_turn.py,
    docs/measurements.md). Here the validator is built (and the schema checked) once; each
    answer is validated against the same schema with the same error, as before."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for

    schema = remote.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    original = remote._validate_action_result

    def _validate_action_result(self, result):
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        # Rasa's own handling of an invalid answer (its message, the same exception).
        return original(self, result)

    _validate_action_result._welzijnswijzer = True
    return _validate_action_result


HEALTH_PATH = "/ww/health"
PROBE_TIMEOUT_SECONDS = 3.0


class TrackerStoreHealth:
    """Whether the last tracker store operation of this Rasa process failed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.failing_since: float | None = None
        self.last_error: str = ""
        self.last_operation: str = ""
        self.failures = 0

    def failed(self, store_name: str, operation: str, error: BaseException) -> None:
        with self._lock:
            self.failures += 1
            if self.failing_since is None:
                self.failing_since = time.time()
            self.last_error, self.last_operation = type(error).__name__, operation
        # The error's text may hold SQL parameters (what the resident typed): type only.
        log.error(
            "tracker store %s failed on %s (%s): Rasa keeps this conversation in memory only "
            "until the store works again; %s reports it",
            store_name, operation, type(error).__name__, HEALTH_PATH,
        )

    def saved(self) -> None:
        with self._lock:
            if self.failing_since is not None:
                log.warning("tracker store works again after %d failures", self.failures)
            self.failing_since = None

    def report(self) -> dict:
        with self._lock:
            return {
                "ok": self.failing_since is None,
                "failing_since": self.failing_since,
                "last_error": self.last_error if self.failing_since is not None else "",
                "last_operation": self.last_operation if self.failing_since is not None else "",
                "failures": self.failures,
            }


TRACKER_STORE_HEALTH = TrackerStoreHealth()


class TrackerStoreUnavailable(RuntimeError):
    """The conversation could not be read from the tracker store (only the error type)."""


def tune_tracker_store_engine() -> None:
    """Rasa's SQL tracker store engine checks a pooled connection before use and renews
    it after 30 minutes, so a restarted PostgreSQL costs no turn (Rasa sets neither)."""
    import rasa.core.tracker_store as rasa_tracker_store

    original = rasa_tracker_store.create_engine_kwargs
    if getattr(original, "_welzijnswijzer", False):
        return

    def create_engine_kwargs(url):
        kwargs = dict(original(url))
        if kwargs:  # PostgreSQL (SQLite gets no pool arguments)
            kwargs.setdefault("pool_pre_ping", True)
            kwargs.setdefault("pool_recycle", 1800)
        return kwargs

    create_engine_kwargs._welzijnswijzer = True
    rasa_tracker_store.create_engine_kwargs = create_engine_kwargs


def watch_tracker_store(health: TrackerStoreHealth = TRACKER_STORE_HEALTH) -> None:
    """Make FailSafeTrackerStore's silent in-memory fallback visible (see the module text)."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    if getattr(FailSafeTrackerStore.save, "_welzijnswijzer", False):
        return

    def on_error(self, error: Exception) -> None:
        health.failed(type(self._tracker_store).__name__, "save", error)

    def on_retrieve_error(self, error: Exception) -> None:
        health.failed(type(self._tracker_store).__name__, "retrieve", error)
        # Rasa would go on with an empty conversation: answers out of context, and a
        # hand-off "Ja" read as a new conversation. The turn fails instead (the relay's
        # Dutch "storing" reply names 113/112) and can be repeated once the store works.
        raise TrackerStoreUnavailable(type(error).__name__) from None

    async def save(self, tracker) -> None:
        try:
            await self._tracker_store.save(tracker)
        except Exception as error:  # noqa: BLE001 - Rasa's own fallback, made visible
            self.on_tracker_store_error(error)
            await self.fallback_tracker_store.save(tracker)
        else:
            health.saved()

    save._welzijnswijzer = True
    FailSafeTrackerStore.on_tracker_store_error = on_error
    FailSafeTrackerStore.on_tracker_store_retrieve_error = on_retrieve_error
    FailSafeTrackerStore.save = save


def _probe_database(store) -> str:
    """'' when the tracker store's database answers SELECT 1, else the error type.

    Every profile configures an SQL tracker store; an in-memory one means Rasa could not
    build it and fell back with only a warning, so the conversations would not survive."""
    from rasa.core.tracker_store import InMemoryTrackerStore

    inner = getattr(store, "_tracker_store", store)
    if isinstance(inner, InMemoryTrackerStore):
        return "InMemoryTrackerStore"
    engine = getattr(inner, "engine", None)
    if engine is None:
        return ""
    import sqlalchemy as sa

    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return type(error).__name__
    return ""


async def health_report(agent, health: TrackerStoreHealth = TRACKER_STORE_HEALTH) -> dict:
    """What GET /ww/health answers: the model is loaded and the tracker store works."""
    ready = bool(agent is not None and agent.is_ready())
    tracker = health.report()
    if agent is not None and getattr(agent, "tracker_store", None) is not None:
        try:
            probe = await asyncio.wait_for(
                asyncio.to_thread(_probe_database, agent.tracker_store), PROBE_TIMEOUT_SECONDS
            )
        except asyncio.TimeoutError:
            probe = "timeout"
        tracker["probe"] = probe or "ok"
        if probe:
            tracker["ok"] = False
    up = ready and tracker["ok"]
    return {"status": "ok" if up else "storing", "model": ready, "tracker_store": tracker}


def add_health_route() -> None:
    """`GET /ww/health` on Rasa's server (its HTTP API stays off): 200 or 503."""
    import rasa.core.run as rasa_run

    if getattr(rasa_run.configure_app, "_welzijnswijzer", False):
        return
    original = rasa_run.configure_app

    def configure_app(*args, **kwargs):
        from sanic.response import json as sanic_json

        app = original(*args, **kwargs)

        async def ww_health(request):
            report = await health_report(getattr(request.app.ctx, "agent", None))
            return sanic_json(report, status=200 if report["status"] == "ok" else 503)

        app.add_route(ww_health, HEALTH_PATH, methods=["GET"], name="ww_health")
        return app

    configure_app._welzijnswijzer = True
    rasa_run.configure_app = configure_app


def drop_texts_from_structlog() -> None:
    """Rasa's structlog events carry what residents typed (`text`, `user_message`,
    tracker states, ...): e.g. `rest.message.received.failure` when the lock store
    is down. Rasa's own anonymizer hook names exactly those keys; here their
    values are always dropped, whatever the event or log level."""
    import rasa.utils.log_utils as log_utils
    import structlog
    import structlog.tracebacks

    if getattr(log_utils._anonymizer, "_welzijnswijzer", False):
        return
    original = log_utils._anonymizer
    keys = _anonymizable_keys(original)

    def anonymizer(logger, name, event_dict):
        for key in keys & event_dict.keys():
            event_dict[key] = "[weggelaten]"
        return event_dict

    anonymizer._welzijnswijzer = True
    log_utils._anonymizer = anonymizer
    # JSON tracebacks would list each frame's local variables, the typed text among them.
    structlog.processors.dict_tracebacks = structlog.processors.ExceptionRenderer(
        structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
    )


def _anonymizable_keys(original) -> set[str]:
    """The keys Rasa's anonymizer lists, read from its code so a Rasa upgrade keeps them."""
    consts = [c for const in original.__code__.co_consts for c in (const if isinstance(const, tuple) else (const,))]
    return {c for c in consts if isinstance(c, str) and c.isidentifier()} | {
        "text",
        "user_message",
        "message",
    }


def main() -> None:
    settings = Settings.from_env()
    from bot.logging_setup import protect_process_logs
    from bot.rasa_speedups import (
        cache_event_classes,
        freeze_heap_when_serving,
        load_models_without_training_step,
        skip_debug_log_copies,
        speed_up_rule_lookup,
    )

    # First, before Rasa is imported: quiet httpx & co., secrets redacted from every record,
    # and with WW_LOG_FORMAT=json also the warnings of Rasa's imports as JSON lines.
    protect_process_logs(settings)
    patch_rasa(settings.action_timeout_seconds)
    cache_event_classes()
    speed_up_rule_lookup()
    skip_debug_log_copies()
    load_models_without_training_step()
    watch_tracker_store()
    tune_tracker_store_engine()
    add_health_route()
    freeze_heap_when_serving()
    drop_texts_from_structlog()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
