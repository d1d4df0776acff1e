"""The chat page's script (bot/web/static/chat.js) run by Node against the real
web app process and a Rasa stand-in: a tiny DOM stands in for the browser."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from channel_standins import RasaStandIn, web_process

from bot.web.app import WEB_DIR

NODE = shutil.which("node")
HARNESS = Path(__file__).resolve().parent / "chat_page_harness.js"
BUTTONS = [{"title": "Ja", "payload": "/bevestigen"}, {"title": "Nee", "payload": "/ontkennen"}]

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _reply(sender, message):
    if message == "vraag":
        return [{"recipient_id": sender, "text": "Wil je dat?", "buttons": BUTTONS}]
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


def test_script_syntax():
    subprocess.run([NODE, "--check", str(WEB_DIR / "static" / "chat.js")], check=True)


def test_chat_script_against_the_web_app(tmp_path):
    with RasaStandIn(_reply) as rasa, web_process(tmp_path, rasa.url) as (base, _log):
        result = subprocess.run([NODE, str(HARNESS), str(WEB_DIR / "static" / "chat.js"), base],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        received = [message for _, message in rasa.received]
    assert report["buttons"] == [{"text": "Ja", "type": "button"}, {"text": "Nee", "type": "button"}]
    assert report["groupLabel"] == "Kies een antwoord"
    assert report["oldButtonsDisabled"]
    # The click sent the offered payload, shown to the resident as the button's title.
    assert received == ["vraag", "/bevestigen", "<b>vet</b>"]
    assert {"who": "user", "text": "Ja", "isTextNode": True} in report["bubbles"]
    assert {"who": "bot", "text": "echo: /bevestigen", "isTextNode": True} in report["bubbles"]
    # Markup from a reply is a text node, shown as text.
    assert {"who": "bot", "text": "echo: <b>vet</b>", "isTextNode": True} in report["bubbles"]
    # Too long: a Dutch hint from the page, and the text stays in the field until the next try.
    assert report["tooLongKept"] == {"error": "TE_LANG", "value": 1001}
    assert report["emptyError"] == "LEEG"
    assert len(report["sent"]) == 3
