"""Coach inbox (mounted by the web app at /coach): `create_inbox_app(settings)`."""
from bot.web.inbox.app import create_inbox_app

__all__ = ["create_inbox_app"]
