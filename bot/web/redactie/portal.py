"""The editors' portal: login (bot.web.verwijzer.portal), rights within scopes, rendering.

Roles: redacteur and eindredacteur (scope organisation or region) and beheerder. Logins,
CSRF, rate limit: bot.web.verwijzer.portal (bot.accounts sessions). The page modules of
this package (find, edit, workflow, verification, transfer, signals, demand, admin) get
this portal and translate HTTP to sociale_kaart.editorial.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from bot import accounts
from bot.handoff.db import make_engine
from bot.web.inbox.auth import LoginLimiter
from bot.web.redactie import reminders
from bot.web.verwijzer.portal import Portal, make_templates
from sociale_kaart import editorial, models

HERE = Path(__file__).resolve().parent
templates = make_templates(HERE / "templates")
ACTIVITY = models.Activity.__table__
ACTIVITY_MUNICIPALITY = models.ActivityMunicipality.__table__
ACTIVITY_CATEGORY = models.ActivityCategory.__table__
ACTIVITY_THEME = models.ActivityTheme.__table__
MUNICIPALITY = models.Municipality.__table__
EDITOR_ROLES = ("redacteur", "eindredacteur", "beheerder")
_A, _AM, _MUN = ACTIVITY, ACTIVITY_MUNICIPALITY, MUNICIPALITY


def _messages() -> dict:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def whole_number(value, default: int, low: int, high: int) -> int:
    """A form or query value as a whole number within [low, high]; ``default`` if it is none."""
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


class EditorsPortal(Portal):
    roles = EDITOR_ROLES
    home_path = "/"

    def __init__(self, settings, limiter: LoginLimiter | None = None):
        super().__init__(settings, templates, _messages(), limiter)
        self.stale_days = getattr(settings, "redactie_stale_days", 180)
        self.reminder_policy = reminders.ReminderPolicy.from_settings(settings)

    @property
    def engine(self):
        return make_engine(self.settings.database_url)

    # -- rights ----------------------------------------------------------
    def rights(self, db, user) -> dict:
        """What this user may do: beheerder everything; editors within their scopes."""
        admin = accounts.has_role(db, user, "beheerder", accounts.SCOPE_ALL)
        result = {"beheerder": admin, "eindredacteur": admin, "organisaties": set(), "regios": set()}
        for role in ("redacteur", "eindredacteur"):
            organisations = accounts.scopes(db, user, role, accounts.SCOPE_ORGANISATION)
            regions = accounts.scopes(db, user, role, accounts.SCOPE_REGION)
            result["organisaties"] |= organisations
            result["regios"] |= regions
            if role == "eindredacteur" and (organisations or regions):
                result["eindredacteur"] = True
        return result

    def _regions_of(self, connection, record: dict) -> set[str]:
        offered = record.get("aanbod_in") or {}
        if offered.get("regio"):
            return {offered["regio"]}
        codes = offered.get("gemeenten") or []
        if not codes:
            return set()
        return set(connection.execute(select(_MUN.c.regio).where(_MUN.c.code.in_(codes))).scalars())

    def may_edit(self, connection, rights: dict, record: dict | None) -> bool:
        if rights["beheerder"]:
            return True
        if record is None:
            return bool(rights["organisaties"] or rights["regios"])
        if record.get("organisatie") in rights["organisaties"]:
            return True
        return bool(self._regions_of(connection, record) & rights["regios"])

    def activity_page(self, request: Request, show):
        """A page about the activity of the path that this user may edit (in a worker thread):
        ``show(connection, user, rights, record, number)``, or the Dutch refusal."""
        activity_id = request.path_params["activity_id"]

        def work(db, user, rights):
            connection = db.connection()
            record, number, refused = self.editable_version(request, connection, user, rights, activity_id)
            return refused if refused is not None else show(connection, user, rights, record, number)

        return self.guarded(request, work)

    def editable_version(self, request: Request, connection, user, rights: dict, activity_id: str):
        """(record, number, None) of the current version of an activity this user may edit;
        (None, None, the Dutch refusal) when it does not exist (404) or is outside their scopes (403)."""
        record, number = editorial.current_version(connection, activity_id)
        if record is None:
            return None, None, self.refused(request, "niet_gevonden", 404, user)
        if not self.may_edit(connection, rights, record):
            return None, None, self.refused(request, "geen_rechten", 403, user)
        return record, number, None

    def visible(self, rights: dict):
        """SQL condition: activities within the user's scopes."""
        if rights["beheerder"]:
            return None
        in_region = _A.c.id.in_(
            select(_AM.c.activity_id).join(_MUN, _MUN.c.code == _AM.c.municipality_code)
            .where(_MUN.c.regio.in_(rights["regios"]))
        )
        return or_(
            _A.c.organisation_id.in_(rights["organisaties"]), _A.c.regio.in_(rights["regios"]), in_region
        )

    def guarded(self, request: Request, work):
        """Run work(db, user, rights) for a logged-in editor (in a worker thread)."""

        def run():
            with self.db() as db:
                user = self.current_user(request, db)
                if user is None:
                    return self.redirect(request, "/inloggen")
                return work(db, user, self.rights(db, user))

        return run_in_threadpool(run)

    def render(self, request, name, context=None, status_code=200, user=None, rights=None):
        context = dict(context or {})
        context["rechten"] = rights or {}
        return super().render(request, name, context, status_code, user)
