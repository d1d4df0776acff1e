"""What the consent text promises about keeping contact details is what the purge does."""
from __future__ import annotations

from bot.handoff.consent import consent_text
from bot.handoff.purge import RetentionPolicy
from bot.settings import Settings


def test_consent_text_and_purge_read_the_same_retention(monkeypatch, tmp_path):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WW_RETENTION_DAYS", "45")
    settings = Settings.from_env()
    policy = RetentionPolicy.from_settings(settings)
    shown = consent_text("Versa Welzijn", "Gooise Meren", settings.retention_days).text
    assert policy.contact_days == 45
    assert "45 dagen" in shown
