"""`from bot.web.privacy import privacy_route`: the privacy statement (see bot.web.pages.privacy)."""
from bot.web.pages.privacy import privacy_route

__all__ = ["privacy_route"]
