"""The resident's status lookup on the web: /mijn-aanvraag (code + contact detail)."""

from bot.web.status.app import create_status_app

__all__ = ["create_status_app"]
