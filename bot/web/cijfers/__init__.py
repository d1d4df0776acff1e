"""Anonymous figures of the referral loop at /cijfers (teamleider, regiocoordinator, beheerder)."""

from bot.web.cijfers.app import create_figures_app

__all__ = ["create_figures_app"]
