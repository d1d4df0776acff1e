"""Rasa checks every answer of the action server against its events schema (bot.rasa_server
builds that validator once instead of re-checking the schema per call, see
docs/measurements.md). The check must still accept a good answer and turn a bad one into the
"storing" marker, through a real HTTP action server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from jsonschema import ValidationError

from bot.rasa_server import STORING_MARKER, patch_rasa

GOOD = {
    "events": [{"event": "slot", "name": "themas", "value": ["geldzorgen"], "timestamp": None}],
    "responses": [],
}
BAD = {"events": [{"event": 5}], "responses": []}


@pytest.fixture
def action_server():
    answers: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.dumps(answers.pop(0)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhook", answers
    server.shutdown()
    server.server_close()


def _run_remote_action(url: str):
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    domain = Domain.from_yaml(
        "version: '3.1'\nslots:\n  themas:\n    type: list\n    mappings: [{type: custom}]\n"
    )
    action = RemoteAction("action_thema", EndpointConfig(url=url))
    tracker = DialogueStateTracker("test", domain.slots)
    return asyncio.run(
        action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain)
    )


def test_a_good_answer_passes_and_a_bad_one_gives_the_storing_marker(action_server):
    url, answers = action_server
    patch_rasa(4.0)
    answers += [GOOD, BAD]
    events = _run_remote_action(url)
    assert [(e.key, e.value) for e in events] == [("themas", ["geldzorgen"])]
    [marker] = _run_remote_action(url)
    assert marker.data == {"custom": STORING_MARKER}


def test_the_compiled_check_raises_rasas_own_error():
    from rasa.core.actions.action import RemoteAction

    patch_rasa(4.0)
    action = RemoteAction("action_thema", None)
    assert action._validate_action_result(GOOD) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(BAD)
