"""Signed "klopt nog" links of the verification reminders.

The tokens, the scheduler and the mail live in bot.handoff.verification (the sender process
needs them without the web app); this module is the back office's name for them.
"""

from __future__ import annotations

from bot.handoff.verification import MAX_AGE_DAYS, SALT, ReminderPolicy, make_token, marked_ids, read_token, unanswered

__all__ = ["MAX_AGE_DAYS", "SALT", "ReminderPolicy", "make_token", "marked_ids", "read_token", "unanswered"]
