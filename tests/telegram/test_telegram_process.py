"""`python -m bot.telegram` as its own process: stops cleanly on SIGTERM and keeps
message texts and the bot token out of its logs, even at DEBUG."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from telegram_botapi_standin import BotApiStandIn
from web.channel_standins import RasaStandIn, migrated_database

from bot.settings import PROJECT_ROOT

TOKEN = "987654:GEHEIM-token-niet-loggen"
SECRET_TEXT = "ik heet Jolanda Geheim, bel me op 0612345678"


def _env(tmp_path, **extra):
    return {**os.environ, "WW_VAR_DIR": str(tmp_path / "var"), "WW_SECRET_KEY": "s3cret",
            "WW_DATABASE_URL": migrated_database(tmp_path), "LOG_LEVEL": "DEBUG", **extra}


def test_without_token_the_bridge_says_so_and_exits(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot.telegram"], cwd=PROJECT_ROOT, capture_output=True,
                            env=_env(tmp_path, TELEGRAM_BOT_TOKEN=""), timeout=60, text=True)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr


def test_bridge_process_relays_and_logs_no_texts(tmp_path):
    with BotApiStandIn(TOKEN) as botapi, RasaStandIn() as rasa:
        env = _env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, WW_TELEGRAM_API_BASE_URL=botapi.base_url,
                   WW_RASA_URL=rasa.url)
        log_file = tmp_path / "telegram.log"
        with open(log_file, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "bot.telegram"], cwd=PROJECT_ROOT, env=env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            botapi.queue(botapi.text_update(31337, SECRET_TEXT))
            sent = botapi.wait_for("sendMessage", 2, timeout=60)
            # The relay masked the name and the number (bot.privacy.masking): Rasa got
            # placeholders, and the bridge first said that it does not keep them.
            masked = "ik heet [naam], bel me op [telefoonnummer]"
            assert rasa.received[0][1] == masked
            assert [m["text"] for m in sent][-1] == f"echo: {masked}", log_file.read_text()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            returncode = process.wait(timeout=30)
    logs = log_file.read_text()
    assert returncode == 0, logs
    assert "polling" in logs  # the log is really there
    assert "Jolanda" not in logs and "0612345678" not in logs and TOKEN not in logs
