"""The referrer portal (/verwijzer): referral form, own referrals with status, outcome and feedback."""

from bot.web.verwijzer.app import create_referrer_app

__all__ = ["create_referrer_app"]
