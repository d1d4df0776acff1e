"""/cijfers: anonymous figures (bot.referral.figures) as tables, a server-rendered SVG
chart and a CSV download. A teamleider sees their own team, a regiocoordinator all
teams of the region, a beheerder everything. Logins are bot.accounts sessions."""

from __future__ import annotations

from pathlib import Path

import yaml
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.accounts import LoginLimiter
from bot.referral import figures
from bot.referral.outcomes import labels
from bot.web.verwijzer.portal import Portal, make_templates, session_middleware

HERE = Path(__file__).resolve().parent
templates = make_templates(HERE / "templates")


def _messages() -> dict:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class FiguresPortal(Portal):
    roles = ("teamleider", "regiocoordinator", "beheerder")
    home_path = "/"

    def _figures(self, request: Request):
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return None, None, self.redirect(request, "/inloggen")
            scope = figures.scope_for(db, user)
            if scope is None:
                return None, None, self.refused(request, "geen_cijfers", 403, user)
            return user, figures.compute(db, scope), None

    async def page(self, request: Request):
        return await run_in_threadpool(self._page, request)

    def _page(self, request: Request):
        from sociale_kaart.taxonomy import load_taxonomy

        user, result, refusal = self._figures(request)
        if refusal:
            return refusal
        weeks = figures.week_rows(result)
        themes = load_taxonomy().themes
        context = {
            "f": result,
            "weken": weeks,
            "grafiek": Markup(figures.bar_chart_svg(weeks, "Verwijzingen per week, per bron")),
            "gemeenten": [(g, figures.shown(n)) for g, n in sorted(result.by_gemeente.items())],
            "themas": [
                (themes[t].label if t in themes else t, figures.shown(n))
                for t, n in sorted(result.by_theme.items())
            ],
            "uitkomsten": [(labels()["uitkomsten"].get(o, o), n) for o, n in figures.outcome_rows(result)],
            "doelen": figures.target_rows(result),
            "doelbron": figures.targets().get("bron", ""),
            "te_laat": figures.shown(result.overdue),
            "totaal": figures.shown(result.total),
        }
        return self.render(request, "cijfers.html", context, user=user)

    async def download(self, request: Request):
        return await run_in_threadpool(self._download, request)

    def _download(self, request: Request):
        _, result, refusal = self._figures(request)
        if refusal:
            return refusal
        return Response(
            figures.to_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="cijfers.csv"',
                "Cache-Control": "no-store",
            },
        )


def create_figures_app(
    settings, limiter: LoginLimiter | None = None, mount_path: str = "/cijfers"
) -> Starlette:
    portal = FiguresPortal(settings, templates, _messages(), limiter)
    routes = [
        Route("/", portal.page, methods=["GET"]),
        Route("/cijfers.csv", portal.download, methods=["GET"]),
        Route("/inloggen", portal.login_page, methods=["GET"]),
        Route("/inloggen", portal.login, methods=["POST"]),
        Route("/uitloggen", portal.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE.parent / "verwijzer" / "static"))),
    ]
    middleware = [session_middleware(settings, "ww_cijfers", b"welzijnswijzer-cijfers", mount_path)]
    return Starlette(routes=routes, middleware=middleware)
