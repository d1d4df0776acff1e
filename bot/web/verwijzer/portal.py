"""Login, logout, CSRF and rendering shared by every logged-in web area: the coach
inbox (/coach), the referrer portal (/verwijzer), the figures (/cijfers); the
editors' back office (/redactie) and the status page use its CSRF and session
cookie helpers. Logins are bot.accounts sessions (revocable server-side); the
signed cookie (Starlette's SessionMiddleware: itsdangerous-signed, HttpOnly,
SameSite=Lax, Secure when WW_COOKIE_SECURE) holds only the random session id and
the CSRF token, never personal data. Database work and argon2 checks run in a
worker thread, off the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.templating import Jinja2Templates

from bot import accounts
from bot.accounts import LoginLimiter
from bot.handoff.db import session_scope

SESSION_KEY = "sessie"


def csrf_token(session: dict) -> str:
    """The CSRF token of this login session (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(session: dict, submitted: str | None) -> bool:
    expected = session.get("csrf")
    if not (expected and isinstance(submitted, str) and submitted):
        return False
    return hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8", "surrogatepass"))


def session_secret(secret_key: str, label: bytes) -> str:
    """A key of its own per area, so no other signed cookie can pass for its session."""
    return hmac.new(secret_key.encode(), label, hashlib.sha256).hexdigest()


def path_for(request: Request, path: str) -> str:
    return request.scope.get("root_path", "").rstrip("/") + path


def make_templates(directory: Path) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(directory))
    templates.context_processors.append(lambda request: {"pad": lambda path: path_for(request, path)})
    templates.env.filters["datum"] = lambda moment: moment.strftime("%d-%m-%Y") if moment else ""
    return templates


def session_middleware(settings, cookie: str, label: bytes, mount_path: str) -> Middleware:
    return Middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.secret_key, label),
        session_cookie=cookie,
        max_age=settings.account_session_hours * 3600,
        same_site="lax",
        https_only=bool(settings.cookie_secure),
        path=mount_path or "/",
    )


class Portal:
    """A logged-in area for users with one of `roles`; `messages` gives the Dutch texts."""

    roles: tuple[str, ...] = ()
    home_path = "/"

    def __init__(
        self, settings, templates: Jinja2Templates, messages: dict, limiter: LoginLimiter | None = None
    ):
        self.settings = settings
        self.templates = templates
        self.messages = messages
        self.limiter = limiter or LoginLimiter()
        self.policy = accounts.SessionPolicy.from_settings(settings)

    def db(self):
        return session_scope(self.settings.database_url)

    def allowed(self, db, user) -> bool:
        return any(accounts.has_role(db, user, role) for role in self.roles)

    def current_user(self, request: Request, db):
        user = accounts.resolve_session(db, request.session.get(SESSION_KEY), self.policy)
        return user if user is not None and self.allowed(db, user) else None

    def render(
        self, request: Request, name: str, context: dict | None = None, status_code: int = 200, user=None
    ):
        context = dict(context or {})
        context["csrf"] = csrf_token(request.session)
        context["gebruiker"] = user
        flash = request.session.pop("melding", None)
        if flash:
            context.setdefault("melding", self.messages.get(flash))
        response = self.templates.TemplateResponse(request, name, context, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"
        return response

    def redirect(self, request: Request, path: str, flash: str | None = None) -> RedirectResponse:
        if flash:
            request.session["melding"] = flash
        return RedirectResponse(path_for(request, path), status_code=303)

    async def checked_form(self, request: Request):
        form = await request.form()
        return form if csrf_valid(request.session, form.get("csrf")) else None

    def refused(self, request: Request, reason: str, status_code: int, user=None):
        return self.render(request, "fout.html", {"fout": self.messages[reason]}, status_code, user)

    # -- login ---------------------------------------------------------
    async def login_page(self, request: Request):
        return self.render(request, "inloggen.html")

    def _login(self, username: str, password: str) -> str | None:
        with self.db() as db:
            user = accounts.authenticate(db, username, password)
            if user is None or not self.allowed(db, user):
                return None
            return accounts.open_session(db, user, self.policy)

    async def login(self, request: Request):
        form = await request.form()
        username = str(form.get("gebruikersnaam", ""))[:80]
        password = str(form.get("wachtwoord", ""))[:200]

        def again(reason: str, status_code: int):
            context = {"gebruikersnaam": username, "fout": self.messages[reason]}
            return self.render(request, "inloggen.html", context, status_code)

        if not csrf_valid(request.session, form.get("csrf")):
            return again("formulier_verlopen", 403)
        ip = request.client.host if request.client else "onbekend"
        if self.limiter.blocked(ip, username):
            return again("te_veel_pogingen", 429)
        token = await run_in_threadpool(self._login, username, password)
        if token is None:
            self.limiter.failed(ip, username)
            return again("inloggen_mislukt", 401)
        self.limiter.succeeded(username)
        request.session.clear()
        request.session[SESSION_KEY] = token
        return self.redirect(request, self.home_path)

    def _logout(self, token) -> None:
        with self.db() as db:
            accounts.close_session(db, token)

    async def logout(self, request: Request):
        form = await self.checked_form(request)
        if form is None:
            return self.render(request, "inloggen.html", {"fout": self.messages["formulier_verlopen"]}, 403)
        await run_in_threadpool(self._logout, request.session.get(SESSION_KEY))
        request.session.clear()
        return self.redirect(request, "/inloggen", flash="uitgelogd")
