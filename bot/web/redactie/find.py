"""/redactie/: find activities (search, filters, sort, pages) and the queues (ter controle,
new concepts)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy import and_, func, or_, select
from starlette.requests import Request
from starlette.routing import Route

from bot.web.redactie import form as activity_form
from bot.web.redactie import reminders
from bot.web.redactie.portal import ACTIVITY as _A
from bot.web.redactie.portal import ACTIVITY_CATEGORY as _AC
from bot.web.redactie.portal import ACTIVITY_MUNICIPALITY as _AM
from bot.web.redactie.portal import ACTIVITY_THEME as _AT
from bot.web.redactie.portal import whole_number
from sociale_kaart import editorial, models

PAGE_SIZE = 25
SORTS = {
    "naam": (_A.c.naam,),
    "gecontroleerd": (_A.c.laatst_gecontroleerd_op.is_(None).desc(), _A.c.laatst_gecontroleerd_op, _A.c.naam),
    "gewijzigd": (_A.c.laatst_gewijzigd_op.desc(), _A.c.naam),
    "organisatie": (_A.c.organisation_id, _A.c.naam),
}


class FindPages:
    """The list of activities with its filters; `portal` is the EditorsPortal."""

    def __init__(self, portal):
        self.portal = portal

    async def home(self, request: Request):
        return await self.portal.guarded(request, lambda db, user, rights: self._home(request, db, user, rights))

    def _filters(self, request: Request) -> dict:
        q = request.query_params
        keys = ("zoek", "gemeente", "categorie", "thema", "organisatie", "status", "eigenaar", "dagen", "sorteer",
                "herinnering")
        return {key: (q.get(key) or "").strip()[:200] for key in keys}

    def _home(self, request: Request, db, user, rights):
        connection = db.connection()
        filters = self._filters(request)
        conditions = []
        visible = self.portal.visible(rights)
        if visible is not None:
            conditions.append(visible)
        if filters["zoek"]:
            pattern = f"%{filters['zoek'].lower()}%"
            conditions.append(or_(func.lower(_A.c.naam).like(pattern), func.lower(_A.c.beschrijving).like(pattern)))
        if filters["gemeente"]:
            conditions.append(_A.c.id.in_(select(_AM.c.activity_id).where(_AM.c.municipality_code == filters["gemeente"])))
        if filters["categorie"]:
            conditions.append(_A.c.id.in_(select(_AC.c.activity_id).where(_AC.c.category_code == filters["categorie"])))
        if filters["thema"]:
            conditions.append(_A.c.id.in_(select(_AT.c.activity_id).where(_AT.c.theme_code == filters["thema"])))
        if filters["organisatie"]:
            conditions.append(_A.c.organisation_id == filters["organisatie"])
        if filters["status"]:
            conditions.append(_A.c.status == filters["status"])
        if filters["eigenaar"]:
            conditions.append(_A.c.eigenaar == filters["eigenaar"])
        if filters["dagen"]:
            days = whole_number(filters["dagen"], 0, 0, 100_000)
            limit = dt.date.today() - dt.timedelta(days=days)
            conditions.append(or_(_A.c.laatst_gecontroleerd_op.is_(None), _A.c.laatst_gecontroleerd_op < limit))
        if filters["herinnering"] == "geen_reactie":  # max unanswered verification reminders
            conditions.append(_A.c.id.in_(sorted(reminders.marked_ids(connection, self.portal.reminder_policy)) or [""]))
        where = and_(*conditions) if conditions else None
        count_query = select(func.count()).select_from(_A)
        query = select(
            _A.c.id, _A.c.naam, _A.c.status, _A.c.eigenaar, _A.c.laatst_gecontroleerd_op,
            _A.c.organisation_id, _A.c.versie,
        )
        if where is not None:
            count_query, query = count_query.where(where), query.where(where)
        total = connection.execute(count_query).scalar()
        pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        page = whole_number(request.query_params.get("pagina"), 1, 1, pages)
        order = SORTS.get(filters["sorteer"], SORTS["naam"])
        found = connection.execute(query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).mappings().all()
        open_ids = {
            row.activity_id: row.status
            for row in connection.execute(
                select(editorial.VERSION.c.activity_id, editorial.VERSION.c.status).where(
                    editorial.VERSION.c.status.in_(editorial.OPEN_STATUSES),
                    editorial.VERSION.c.activity_id.in_([r["id"] for r in found]),
                )
            )
        }
        today = dt.date.today()
        items = [
            {
                **row,
                "dagen": (today - row["laatst_gecontroleerd_op"]).days if row["laatst_gecontroleerd_op"] else None,
                "open": open_ids.get(row["id"]),
            }
            for row in found
        ]
        owners = [o for o in connection.execute(select(_A.c.eigenaar).distinct().where(_A.c.eigenaar.is_not(None)).order_by(_A.c.eigenaar)).scalars()]
        link_filters = {k: v for k, v in filters.items() if v}
        context = {
            "items": items,
            "filters": filters,
            "keuzes": activity_form.options(connection),
            "eigenaren": owners,
            "totaal": total,
            "pagina": page,
            "paginas": pages,
            "vorige": urlencode({**link_filters, "pagina": page - 1}) if page > 1 else None,
            "volgende": urlencode({**link_filters, "pagina": page + 1}) if page < pages else None,
            "ter_controle": editorial.pending_review(connection),
            "nieuw": editorial.unpublished_new(connection),
            "statussen": models.STATUSES,
        }
        return self.portal.render(request, "lijst.html", context, user=user, rights=rights)



def find_routes(portal) -> list[Route]:
    pages = FindPages(portal)
    return [Route("/", pages.home, methods=["GET"])]
