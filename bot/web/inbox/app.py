"""The coach inbox: a Starlette app the web app mounts at /coach.

Links are built from the mount point (scope root_path), so the app works
under any prefix and its route names never clash with the outer app's.
Database work is short and synchronous (one session per request) and runs in a
worker thread, off the event loop. Logins are bot.accounts sessions, revocable
server-side.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot import accounts
from bot.accounts import LoginLimiter
from bot.handoff import casework, outbox
from bot.handoff.crypto import Cipher
from bot.handoff.db import configure_engines
from bot.handoff.models import STATUSES, Coach, Team
from bot.handoff.stats import team_statistics
from bot.referral import outcomes
from bot.referral.medical_check import found_message
from bot.web.inbox.auth import INBOX_SESSION_LABEL
from bot.web.verwijzer.portal import SESSION_KEY, Portal, path_for, session_middleware
from sociale_kaart import signals

HERE = Path(__file__).resolve().parent
INBOX_ROLES = ("coach", "teamleider")
templates = Jinja2Templates(directory=str(HERE / "templates"))


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _page_context(request: Request) -> dict:
    return {"pad": lambda path: path_for(request, path)}


templates.context_processors.append(_page_context)
# Times are stored as naive UTC; coaches read them in their own time zone (Settings.timezone).
DEFAULT_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def local(moment: datetime | None, pattern: str, zone: ZoneInfo = DEFAULT_TIMEZONE) -> str:
    if moment is None:
        return ""
    return moment.replace(tzinfo=timezone.utc).astimezone(zone).strftime(pattern)


def install_time_filters(zone: ZoneInfo) -> None:
    templates.env.filters["tijd"] = lambda moment: local(moment, "%d-%m-%Y %H:%M", zone)
    templates.env.filters["datum"] = lambda moment: local(moment, "%d-%m-%Y", zone)


install_time_filters(DEFAULT_TIMEZONE)


def theme_labels() -> dict[str, str]:
    from sociale_kaart.taxonomy import load_taxonomy

    return {code: theme.label for code, theme in load_taxonomy().themes.items()}


class Inbox(Portal):
    """The handlers, on the shared Portal (bot/web/verwijzer/portal.py): login, logout,
    CSRF, flash messages, rendering and bot.accounts sessions are the same code as the
    referrer portal's and the figures'. The inbox adds what is its own: a login counts
    only for an active coach profile (bot.handoff.models.Coach) whose account has the
    coach or teamleider role for that team, and every page knows the coach and team.

    Database work and argon2 checks are synchronous: every handler runs them in a
    worker thread (`run_in_threadpool`), so the chat on the same event loop never waits.
    """

    roles = INBOX_ROLES
    home_path = "/aanvragen"

    def __init__(self, settings, limiter: LoginLimiter | None = None):
        super().__init__(settings, templates, messages(), limiter)
        configure_engines(settings.engine_options)
        self.cipher = Cipher(settings.fernet_keys)

    # -- helpers -------------------------------------------------------
    def render(
        self,
        request: Request,
        name: str,
        context: dict | None = None,
        status_code: int = 200,
        coach: Coach | None = None,
        db=None,
    ):
        context = dict(context or {})
        context["coach"] = coach
        if coach is not None and db is not None:
            context["team_naam"] = db.get(Team, coach.team_id).naam
        return super().render(request, name, context, status_code)  # no-store: may show personal data

    def allowed(self, db, user) -> bool:
        return self._team_coach(db, user) is not None

    @staticmethod
    def _team_coach(db, user) -> Coach | None:
        """The active coach profile of an account with the coach or teamleider role for its team."""
        coach = db.execute(select(Coach).where(Coach.account_id == user.id)).scalar_one_or_none()
        if coach is None or not coach.active:
            return None
        team_code = db.get(Team, coach.team_id).code
        if not any(accounts.has_role(db, user, role, accounts.SCOPE_TEAM, team_code) for role in INBOX_ROLES):
            return None
        return coach

    def current_coach(self, request: Request, db) -> Coach | None:
        """The coach of the request's server-side session, or None (then: log in)."""
        user = accounts.resolve_session(db, request.session.get(SESSION_KEY), self.policy)
        return self._team_coach(db, user) if user is not None else None

    @staticmethod
    def is_lead(db, coach: Coach) -> bool:
        user = db.get(accounts.User, coach.account_id)
        team_code = db.get(Team, coach.team_id).code
        return user is not None and accounts.has_role(db, user, "teamleider", accounts.SCOPE_TEAM, team_code)

    def refused(self, request: Request, reason: str, status_code: int, coach=None, db=None):
        return self.render(request, "fout.html", {"fout": messages()[reason]}, status_code, coach, db)

    # Login, logout and the login page: Portal.login_page / login / logout (bot.accounts
    # sessions, the login limiter, a fresh session and CSRF token after login, revocation
    # in the database on logout).

    # -- requests ------------------------------------------------------
    async def home(self, request: Request):
        return self.redirect(request, "/aanvragen")

    async def request_list(self, request: Request):
        return await run_in_threadpool(self._request_list, request)

    def _request_list(self, request: Request):
        status = request.query_params.get("status")
        status = status if status in STATUSES else None
        with self.db() as db:
            coach = self.current_coach(request, db)
            if coach is None:
                return self.redirect(request, "/inloggen")
            everything = casework.list_requests(db, coach)
            labels = theme_labels()
            counts = {s: sum(1 for r in everything if r.status == s) for s in STATUSES}
            shown = [r for r in everything if status is None or r.status == status]
            shown.sort(key=lambda r: (not casework.is_overdue(r), r.contact_deadline))
            rows = [
                {
                    "referentie": r.reference_code,
                    "ontvangen": r.created_at,
                    "gemeente": r.gemeente_naam or "onbekend",
                    "themas": [labels.get(t, t) for t in r.themes or []],
                    "status": r.status,
                    "coach": r.assigned_coach.username if r.assigned_coach else None,
                    "bron": r.source or "chat",
                    "verwijzer": r.referrer_org_code,
                    "deadline": r.contact_deadline,
                    "te_laat": casework.is_overdue(r),
                }
                for r in shown
            ]
            context = {
                "aanvragen": rows,
                "statussen": STATUSES,
                "gekozen_status": status,
                "aantallen": counts,
                "totaal": len(everything),
            }
            return self.render(request, "lijst.html", context, coach=coach, db=db)

    async def request_detail(self, request: Request):
        return await run_in_threadpool(self._request_detail, request)

    def _request_detail(
        self,
        request: Request,
        notitie_tekst: str = "",
        fout: str | None = None,
        status_code: int = 200,
        terugkoppeling_tekst: str | None = None,
    ):
        reference = request.path_params["referentie"]
        with self.db() as db:
            coach = self.current_coach(request, db)
            if coach is None:
                return self.redirect(request, "/inloggen")
            try:
                item = casework.find_request(db, coach, reference)
            except casework.CaseworkError as exc:
                return self.refused(request, exc.reason, 404, coach, db)
            labels = theme_labels()
            context = {
                "a": item,
                "te_laat": casework.is_overdue(item),
                "themas": [labels.get(t, t) for t in item.themes or []],
                "activiteiten": list(item.activities_shown or []),
                "contact": casework.view_contact(db, self.cipher, coach, item),
                "notities": casework.notes(db, self.cipher, item),
                "statussen": STATUSES,
                "open_statussen": [s for s in STATUSES if s not in casework.CLOSED],
                "notitie_tekst": notitie_tekst,
                "fout": fout,
                "labels": outcomes.labels(),
                "uitkomsten": outcomes.OUTCOMES,
                "verwijzer": self._referrer_name(db, item),
                "terugkoppeling": (
                    terugkoppeling_tekst
                    if terugkoppeling_tekst is not None
                    else outcomes.read_feedback(self.cipher, item) or ""
                ),
                "vandaag": datetime.now(timezone.utc).date().isoformat(),
                "meldredenen": signals.reasons(),  # "Klopt een activiteit niet?" (flag_activity)
            }
            return self.render(request, "detail.html", context, status_code, coach=coach, db=db)

    async def _act(self, request: Request, action):
        """Run one coach action on a request: login, CSRF and team scope checked first."""
        form = await self.checked_form(request)
        return await run_in_threadpool(self._act_sync, request, form, action)

    def _act_sync(self, request: Request, form, action):
        reference = request.path_params["referentie"]
        with self.db() as db:
            coach = self.current_coach(request, db)
            if coach is None:
                return self.redirect(request, "/inloggen")
            if form is None:
                return self.refused(request, "formulier_verlopen", 403, coach, db)
            try:
                item = casework.find_request(db, coach, reference)
                flash = action(db, coach, item, form)
            except casework.CaseworkError as exc:
                if exc.reason == "niet_gevonden":
                    return self.refused(request, exc.reason, 404, coach, db)
                failure = exc.reason
                words = getattr(exc, "words", None)
            else:
                return self.redirect(request, f"/aanvragen/{reference}", flash=flash)
        # Shown again with what the coach typed, so nothing is lost.
        text = found_message(words) if words else messages()[failure]
        return self._request_detail(
            request,
            notitie_tekst=str(form.get("tekst", "")),
            fout=text,
            status_code=400,
            terugkoppeling_tekst=str(form["terugkoppeling"]) if "terugkoppeling" in form else None,
        )

    @staticmethod
    def _referrer_name(db, item) -> str | None:
        from bot.handoff.models import ReferrerOrganisation

        if not item.referrer_org_code:
            return None
        org = db.execute(
            select(ReferrerOrganisation).where(ReferrerOrganisation.code == item.referrer_org_code)
        ).scalar_one_or_none()
        return org.naam if org else item.referrer_org_code

    async def claim(self, request: Request):
        def action(db, coach, item, form):
            casework.claim(db, coach, item)
            return "opgepakt"

        return await self._act(request, action)

    async def change_status(self, request: Request):
        def action(db, coach, item, form):
            casework.change_status(db, coach, item, str(form.get("status", "")))
            return "status"

        return await self._act(request, action)

    async def add_note(self, request: Request):
        def action(db, coach, item, form):
            casework.add_note(db, self.cipher, coach, item, str(form.get("tekst", "")))
            return "notitie"

        return await self._act(request, action)

    async def first_contact(self, request: Request):
        def action(db, coach, item, form):
            try:
                when = date.fromisoformat(str(form.get("datum", "")))
            except ValueError as exc:
                raise casework.CaseworkError("datum_ongeldig") from exc
            outcomes.record_first_contact(db, coach, item, when, str(form.get("manier", "")))
            return "eerste_contact"

        return await self._act(request, action)

    async def outcome(self, request: Request):
        def action(db, coach, item, form):
            raw = str(form.get("gesprekken", "")).strip()
            try:
                conversations = int(raw) if raw else None
            except ValueError as exc:
                raise casework.CaseworkError("aantal_gesprekken_ongeldig") from exc
            outcomes.record_outcome(
                db,
                coach,
                item,
                str(form.get("uitkomst", "")),
                conversations=conversations,
                activity=str(form.get("activiteit", "")),
                outcome_detail=str(form.get("andere_hulp", "")) or None,
            )
            return "uitkomst"

        return await self._act(request, action)

    async def feedback(self, request: Request):
        def action(db, coach, item, form):
            outcomes.write_feedback(db, self.cipher, coach, item, str(form.get("terugkoppeling", "")))
            return "terugkoppeling"

        return await self._act(request, action)

    async def flag_activity(self, request: Request):
        """A coach reports that an activity shown to this resident is wrong: the editors'
        queue at /redactie/meldingen (sociale_kaart.signals). The short note is masked
        (bot.privacy.masking) before it is stored; nothing of the request goes with it."""
        from bot.privacy.masking import mask
        from sociale_kaart.db import make_engine

        def action(db, coach, item, form):
            activity = str(form.get("activiteit", ""))
            if activity not in (item.activities_shown or []):
                raise casework.CaseworkError("melding_kies_activiteit")
            reason = str(form.get("reden", ""))
            if reason not in signals.reasons():
                raise casework.CaseworkError("melding_kies_reden")
            note = mask(str(form.get("melding_notitie", ""))[: signals.NOTE_MAX]).text
            engine = make_engine(self.settings.database_url)
            try:
                signals.report(engine, activity, reason, "coach", reporter=coach.username, note=note)
            except signals.SignalError as error:
                raise casework.CaseworkError("melding_kies_activiteit") from error
            finally:
                engine.dispose()
            return "melding_opgeslagen"

        return await self._act(request, action)

    # -- team leads ----------------------------------------------------
    def _lead(self, request: Request, db):
        coach = self.current_coach(request, db)
        if coach is None:
            return None, self.redirect(request, "/inloggen")
        if not self.is_lead(db, coach):
            return None, self.refused(request, "alleen_teamleider", 403, coach, db)
        return coach, None

    async def statistics(self, request: Request):
        return await run_in_threadpool(self._statistics, request)

    def _statistics(self, request: Request):
        with self.db() as db:
            coach, refusal = self._lead(request, db)
            if refusal:
                return refusal
            context = {"s": team_statistics(db, coach.team_id), "themalabels": theme_labels()}
            return self.render(request, "statistiek.html", context, coach=coach, db=db)

    async def deliveries(self, request: Request):
        return await run_in_threadpool(self._deliveries, request)

    def _deliveries(self, request: Request):
        with self.db() as db:
            coach, refusal = self._lead(request, db)
            if refusal:
                return refusal
            context = {"regels": outbox.overview(db, team_id=coach.team_id)}
            return self.render(request, "verzending.html", context, coach=coach, db=db)

    async def retry_delivery(self, request: Request):
        form = await self.checked_form(request)
        return await run_in_threadpool(self._retry_delivery, request, form)

    def _retry_delivery(self, request: Request, form):
        with self.db() as db:
            coach, refusal = self._lead(request, db)
            if refusal:
                return refusal
            if form is None:
                return self.refused(request, "formulier_verlopen", 403, coach, db)
            outbox_id = request.path_params["outbox_id"]
            mine = {line.id for line in outbox.overview(db, team_id=coach.team_id, limit=10_000)}
            if outbox_id not in mine or not outbox.retry(db, outbox_id):
                return self.refused(request, "niet_gevonden", 404, coach, db)
        return self.redirect(request, "/verzending", flash="opnieuw_verzenden")


def create_inbox_app(settings, limiter: LoginLimiter | None = None, mount_path: str = "/coach") -> Starlette:
    """The inbox app; `mount_path` is where the web app mounts it (the cookie's path)."""
    inbox = Inbox(settings, limiter)
    install_time_filters(ZoneInfo(settings.timezone))
    routes = [
        Route("/", inbox.home, methods=["GET"]),
        Route("/inloggen", inbox.login_page, methods=["GET"]),
        Route("/inloggen", inbox.login, methods=["POST"]),
        Route("/uitloggen", inbox.logout, methods=["POST"]),
        Route("/aanvragen", inbox.request_list, methods=["GET"]),
        Route("/aanvragen/{referentie}", inbox.request_detail, methods=["GET"]),
        Route("/aanvragen/{referentie}/oppakken", inbox.claim, methods=["POST"]),
        Route("/aanvragen/{referentie}/status", inbox.change_status, methods=["POST"]),
        Route("/aanvragen/{referentie}/notitie", inbox.add_note, methods=["POST"]),
        Route("/aanvragen/{referentie}/contact", inbox.first_contact, methods=["POST"]),
        Route("/aanvragen/{referentie}/uitkomst", inbox.outcome, methods=["POST"]),
        Route("/aanvragen/{referentie}/terugkoppeling", inbox.feedback, methods=["POST"]),
        Route("/aanvragen/{referentie}/melding", inbox.flag_activity, methods=["POST"]),
        Route("/statistiek", inbox.statistics, methods=["GET"]),
        Route("/verzending", inbox.deliveries, methods=["GET"]),
        Route("/verzending/{outbox_id:int}/opnieuw", inbox.retry_delivery, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static"))),
    ]
    # The signed cookie holds only the random id of the server-side session and the CSRF token.
    middleware = [session_middleware(settings, "ww_coach", INBOX_SESSION_LABEL, mount_path)]
    return Starlette(routes=routes, middleware=middleware)
