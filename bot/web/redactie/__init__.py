"""The editors' back office at /redactie (see app.py)."""

from bot.web.redactie.app import create_editors_app

__all__ = ["create_editors_app"]
