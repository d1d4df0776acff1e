"""/redactie: the editors' back office (Dutch, B1); this module only puts it together.

- /redactie/: find activities and the queues (find.py);
- /redactie/activiteit/{id} and /redactie/nieuw: the one form for every field (edit.py);
- the workflow buttons and /versies with diffs and revert (workflow.py);
- /redactie/verouderd and the "klopt nog" link of a reminder (verification.py);
- /redactie/importeren and /export.yml (transfer.py);
- /redactie/meldingen (signals.py), /redactie/vraag (demand.py), /redactie/accounts (admin.py).

Logins, rights within scopes and rendering: portal.py. The workflow rules live in
sociale_kaart.editorial; these modules only translate HTTP to it.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web.inbox.auth import LoginLimiter
from bot.web.redactie.admin import admin_routes
from bot.web.redactie.demand import demand_routes
from bot.web.redactie.edit import edit_routes
from bot.web.redactie.find import find_routes
from bot.web.redactie.portal import HERE, EditorsPortal
from bot.web.redactie.signals import signal_routes
from bot.web.redactie.transfer import transfer_routes
from bot.web.redactie.verification import verification_routes
from bot.web.redactie.workflow import workflow_routes
from bot.web.verwijzer.portal import session_middleware


def create_editors_app(settings, limiter: LoginLimiter | None = None, mount_path: str = "/redactie") -> Starlette:
    portal = EditorsPortal(settings, limiter)
    routes = [
        *find_routes(portal),
        *edit_routes(portal),
        *verification_routes(portal),
        *transfer_routes(portal),
        *admin_routes(portal),
        *workflow_routes(portal),
        *signal_routes(portal),
        *demand_routes(portal),
        Route("/inloggen", portal.login_page, methods=["GET"]),
        Route("/inloggen", portal.login, methods=["POST"]),
        Route("/uitloggen", portal.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE.parent / "verwijzer" / "static"))),
        Mount("/eigen", StaticFiles(directory=str(HERE / "static"))),
    ]
    middleware = [session_middleware(settings, "ww_redactie", b"welzijnswijzer-redactie", mount_path)]
    return Starlette(routes=routes, middleware=middleware)
