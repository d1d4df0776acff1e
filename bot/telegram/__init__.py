"""The Telegram bridge (`python -m bot.telegram`): its own process, talks to Rasa REST through bot.relay."""
