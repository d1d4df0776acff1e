"""Rasa's structlog events never carry what a resident typed into our logs
(e.g. `rest.message.received.failure` with the text when the lock store is down)."""
from __future__ import annotations

import io
import logging

import structlog

from bot.rasa_server import drop_texts_from_structlog

TYPED = "ik wil niet meer leven, bel 0612345678"


def test_rasa_structlog_drops_the_typed_text_also_at_debug():
    import rasa.utils.log_utils as log_utils

    drop_texts_from_structlog()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        log_utils.configure_structlog(logging.DEBUG)
        logger = structlog.get_logger("rasa.core.channels.rest")
        text = TYPED  # a local of the failing frame, as in Rasa's REST channel
        try:
            raise RuntimeError("lock store down")
        except RuntimeError:
            logger.exception("rest.message.received.failure", text=text)
        logger.debug("processor.message.parse", parse_data_text=TYPED, user_message=TYPED)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        structlog.reset_defaults()
    output = stream.getvalue()
    assert "rest.message.received.failure" in output and "processor.message.parse" in output
    assert "niet meer leven" not in output and "0612345678" not in output
