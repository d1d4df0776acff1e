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
"""

from __future__ import annotations

import logging
import sys

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
    patch_rasa(settings.action_timeout_seconds)
    drop_texts_from_structlog()
    from bot.logging_setup import protect_process_logs

    protect_process_logs(settings)  # quiet httpx & co., secrets redacted from every record
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
