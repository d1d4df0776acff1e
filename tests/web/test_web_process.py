"""`python -m bot.web` as its own process: honours WW_WEB_HOST/PORT and WW_RASA_URL,
and never writes what a resident typed to its logs, not even at DEBUG."""
from __future__ import annotations

import httpx
from channel_standins import RasaStandIn, web_process

# A worry with a contact detail in it: Rasa gets the worry with the number masked.
SECRET_TEXT = "ik maak me zorgen om Pietje Zonnebloem, bel me op 0612345678"
MASKED_TEXT = "ik maak me zorgen om Pietje Zonnebloem, bel me op [telefoonnummer]"


def test_web_process_serves_chat_and_keeps_texts_out_of_logs(tmp_path):
    with RasaStandIn() as rasa, web_process(tmp_path, rasa.url, LOG_LEVEL="DEBUG") as (base, log_file):
        health = httpx.get(f"{base}/health", timeout=5)
        assert health.status_code == 200 and health.json()["rasa"] is True
        with httpx.Client(base_url=base, timeout=10) as client:
            reply = client.post("/api/chat", json={"message": SECRET_TEXT})
        texts = [m.get("text") for m in reply.json()["messages"]]
        assert f"echo: {MASKED_TEXT}" in texts
    logs = log_file.read_text()
    assert "POST /api/chat" in logs  # the log is really there
    assert "Zonnebloem" not in logs and "0612345678" not in logs
