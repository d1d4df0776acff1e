"""The privacy statement at /privacy (Dutch, B1), with the retention periods in force."""
from __future__ import annotations

from pathlib import Path

import yaml
from starlette.requests import Request
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from bot.handoff.purge import RetentionPolicy

HERE = Path(__file__).resolve().parent
DEFAULT_PRIVACY_FILE = HERE / "privacy.yml"
templates = Jinja2Templates(directory=str(HERE / "templates"))


def privacy_info(path: Path = DEFAULT_PRIVACY_FILE) -> dict:
    """The organisation details of the privacy page (Settings.privacy_file)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def privacy_route(settings) -> Route:
    """GET /privacy; the web app adds it to its routes."""
    async def privacy_page(request: Request):
        policy = RetentionPolicy.from_settings(settings)
        context = {
            "info": privacy_info(settings.privacy_file),
            "contact_days": policy.contact_days,
            "tracker_days": policy.tracker_days,
            "draft_days": policy.draft_days,
        }
        return templates.TemplateResponse(request, "privacy.html", context)

    return Route("/privacy", privacy_page, methods=["GET"], name="privacy")
