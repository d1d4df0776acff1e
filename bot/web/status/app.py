"""/mijn-aanvraag: a resident looks up the status of a request on the web with the
reference code plus the phone number or e-mail address given with it. The same
check as in the chat (bot.handoff.intake.check_second_factor): an unknown code and
a wrong factor get one reply, failures count per code and per visitor (an HMAC of
the client address) with the chat's limits. The B1 status texts are the chat's
(actions/teksten_handoff.yml, read as data). CSRF on the POST; nothing typed is
logged or kept."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.handoff import validation
from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.intake import check_second_factor, record_status_lookup
from bot.handoff.store import normalise_reference_code
from bot.settings import PROJECT_ROOT
from bot.web.verwijzer.portal import csrf_token, csrf_valid, make_templates, session_middleware

HERE = Path(__file__).resolve().parent
templates = make_templates(HERE / "templates")


@lru_cache(maxsize=1)
def texts() -> dict[str, str]:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        own = yaml.safe_load(handle)
    with open(PROJECT_ROOT / "actions" / "teksten_handoff.yml", encoding="utf-8") as handle:
        chat = yaml.safe_load(handle)
    own.update({k: v["text"] for k, v in chat.items() if k.startswith("status_inwoner_")})
    own["mislukt"] = chat["status_controle_mislukt"]["text"]
    own["te_vaak"] = chat["handoff_controle_te_vaak"]["text"]
    return own


class StatusPage:
    def __init__(self, settings):
        self.settings = settings
        self.cipher = Cipher(settings.fernet_keys)

    def render(self, request: Request, context: dict, status_code: int = 200):
        context = {"t": texts(), "csrf": csrf_token(request.session), **context}
        response = templates.TemplateResponse(request, "status.html", context, status_code=status_code)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def page(self, request: Request):
        return self.render(request, {})

    async def lookup(self, request: Request):
        form = await request.form()
        if not csrf_valid(request.session, form.get("csrf")):
            return self.render(request, {"fout": texts()["formulier_verlopen"]}, 403)
        code = normalise_reference_code(str(form.get("code", ""))[:20])
        detail = validation.contact_detail(str(form.get("contact", ""))[:320].strip())
        if detail is None:
            return self.render(request, {"fout": texts()["geen_gegeven"], "code": code}, 400)
        ip = request.client.host if request.client else "onbekend"
        visitor = (
            "web:" + hmac.new(self.settings.secret_key.encode(), ip.encode(), hashlib.sha256).hexdigest()
        )
        answer = await run_in_threadpool(self._check, code, detail.value, visitor)
        return self.render(request, {"antwoord": answer}, 200)

    def _check(self, code: str, value: str, visitor: str) -> str:
        with session_scope(self.settings.database_url) as db:
            found, item = check_second_factor(db, self.cipher, code, value, visitor)
            if found == "ok":
                record_status_lookup(db, item)
                return texts().get("status_inwoner_" + item.status.replace(" ", "_"), texts()["mislukt"])
            return texts()["te_vaak" if found == "te_vaak" else "mislukt"]


def create_status_app(settings, mount_path: str = "/mijn-aanvraag") -> Starlette:
    page = StatusPage(settings)
    routes = [
        Route("/", page.page, methods=["GET"]),
        Route("/", page.lookup, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE.parent / "verwijzer" / "static"))),
    ]
    middleware = [session_middleware(settings, "ww_status", b"welzijnswijzer-status-page", mount_path)]
    return Starlette(routes=routes, middleware=middleware)
