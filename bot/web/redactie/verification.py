"""Verification: /redactie/verouderd (the stale queue per owner, with the reminders sent) and
/redactie/klopt-nog/{token}, the signed "klopt nog" link of a reminder e-mail
(bot/web/redactie/reminders.py)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from bot.web.redactie import reminders
from bot.web.redactie.portal import ACTIVITY as _A
from sociale_kaart import editorial


class VerificationPages:
    """The stale queue and the reminder link; `portal` is the EditorsPortal."""

    def __init__(self, portal):
        self.portal = portal

    async def stale_page(self, request: Request):
        def work(db, user, rights):
            connection = db.connection()
            rows = [r for r in editorial.stale(connection, self.portal.stale_days)
                    if rights["beheerder"] or self.portal.may_edit(connection, rights, editorial.current_version(connection, r["id"])[0])]
            policy = self.portal.reminder_policy
            sent = reminders.unanswered(connection, rows, policy)
            groups: dict[str, list] = {}
            for row in rows:
                count, marked = sent.get(row["id"], (0, False))
                groups.setdefault(row["eigenaar"] or "", []).append(
                    {**row, "herinneringen": count, "geen_reactie": marked})
            # Owners first (they get the reminders), the entries without an owner last.
            ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
            context = {"groepen": ordered, "dagen": self.portal.stale_days,
                       "max_herinneringen": policy.max_reminders, "interval": policy.interval_days}
            return self.portal.render(request, "verouderd.html", context, user=user, rights=rights)

        return await self.portal.guarded(request, work)


    # -- the signed "klopt nog" link of a reminder -----------------------------
    def _reminder(self, token: str):
        data = reminders.read_token(self.portal.settings.secret_key, token)
        if data is None:
            return None, None
        with self.portal.engine.connect() as connection:
            row = connection.execute(
                select(_A.c.id, _A.c.naam, _A.c.laatst_gecontroleerd_op, _A.c.status).where(_A.c.id == data["a"])
            ).mappings().first()
        checked = row["laatst_gecontroleerd_op"].isoformat() if row and row["laatst_gecontroleerd_op"] else ""
        if row is None or row["status"] == "beeindigd" or checked != data["c"]:
            return None, row  # used already (a newer date) or archived
        return data, row

    async def reminder_page(self, request: Request):
        token = request.path_params["token"][:500]
        data, row = await run_in_threadpool(self._reminder, token)
        if data is None:
            return self.portal.render(request, "fout.html", {"fout": self.portal.messages["link_verlopen"]}, 410)
        context = {"activiteit": row, "token": token}
        return self.portal.render(request, "klopt_nog.html", context)

    async def reminder_confirm(self, request: Request):
        token = request.path_params["token"][:500]
        form = await self.portal.checked_form(request)
        if form is None:
            return self.portal.refused(request, "formulier_verlopen", 403)
        data, row = await run_in_threadpool(self._reminder, token)
        if data is None:
            return self.portal.render(request, "fout.html", {"fout": self.portal.messages["link_verlopen"]}, 410)
        await run_in_threadpool(editorial.verify, self.portal.engine, data["a"], self.portal.messages["via_herinnering"])
        return self.portal.render(request, "klopt_nog.html", {"activiteit": row, "klaar": True})




def verification_routes(portal) -> list[Route]:
    pages = VerificationPages(portal)
    return [
        Route("/verouderd", pages.stale_page, methods=["GET"]),
        Route("/klopt-nog/{token}", pages.reminder_page, methods=["GET"]),
        Route("/klopt-nog/{token}", pages.reminder_confirm, methods=["POST"]),
    ]
