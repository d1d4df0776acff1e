"""The referral core: one way to open a referral (chat, verwijzer, API), its status
history with audit trail, outcomes and feedback. Imports nothing from the web app
or Rasa (tests/handoff/test_referral_core.py checks that)."""
