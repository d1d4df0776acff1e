"""/redactie/activiteit/{id} and /redactie/nieuw (?van=id duplicates): the one form for every
field (derived from the record description, bot/web/redactie/form.py)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.routing import Route

from bot.web.redactie import form as activity_form
from bot.web.redactie.portal import ACTIVITY as _A
from bot.web.redactie.portal import whole_number
from sociale_kaart import editorial


class EditPages:
    """The form: show, save, new, duplicate; `portal` is the EditorsPortal."""

    def __init__(self, portal):
        self.portal = portal

    def _form_context(self, connection, record: dict, number: int, activity_id: str | None, problems=(), extra=None):
        history = editorial.history(connection, activity_id) if activity_id else []
        latest = history[0] if history else None
        live = connection.execute(
            select(_A.c.status, _A.c.eigenaar, _A.c.laatst_gecontroleerd_op, _A.c.archief_reden, _A.c.versie)
            .where(_A.c.id == activity_id)
        ).mappings().first() if activity_id else None
        return {
            "record": record,
            "nummer": number,
            "activiteit_id": activity_id,
            "velden": activity_form.scalar_fields(),
            "locatievelden": activity_form.location_fields(),
            "locaties": activity_form.rows(record, "locaties"),
            "regels": activity_form.rows(record, "rooster.regels"),
            "keuzes": activity_form.options(connection),
            "waarde": lambda pad: activity_form.get(record, pad),
            "fouten": activity_form.field_errors(problems),
            "zinnen": activity_form.sentence_hint(record.get("beschrijving")),
            "roosterregel": activity_form.schedule_text(record),
            "laatste": latest,
            "live": live,
            **(extra or {}),
        }

    async def edit_page(self, request: Request):
        activity_id = request.path_params["activity_id"]

        def show(connection, user, rights, record, number):
            context = self._form_context(connection, record, number, activity_id)
            return self.portal.render(request, "bewerken.html", context, user=user, rights=rights)

        return await self.portal.activity_page(request, show)

    async def save(self, request: Request):
        activity_id = request.path_params["activity_id"]
        form = await self.portal.checked_form(request)
        if form is None:
            return self.portal.refused(request, "formulier_verlopen", 403)
        raw = activity_form.parse(form)
        raw["id"] = activity_id  # the id of an existing entry does not change
        based_on = whole_number(form.get("nummer"), -1, -1, 10**9)

        def work(db, user, rights):
            connection = db.connection()
            published, _ = editorial.current_version(connection, activity_id)
            if published is None:
                return self.portal.refused(request, "niet_gevonden", 404, user)
            if not (self.portal.may_edit(connection, rights, published) and self.portal.may_edit(connection, rights, raw)):
                return self.portal.refused(request, "geen_rechten", 403, user)
            db.commit()
            return self._save(request, user, rights, raw, based_on, activity_id, new=False)

        return await self.portal.guarded(request, work)

    def _save(self, request, user, rights, raw, based_on, activity_id, new: bool):
        try:
            result = editorial.save(self.portal.engine, raw, user.username, based_on, new=new)
        except editorial.EditError as error:
            return self._form_again(request, user, rights, raw, based_on, activity_id, error.text, status=409)
        if not result.ok:
            return self._form_again(request, user, rights, raw, based_on, activity_id,
                                    self.portal.messages["fouten_in_formulier"], result.problems, status=422)
        return self.portal.redirect(request, f"/activiteit/{raw['id']}", flash="opgeslagen")

    def _form_again(self, request, user, rights, raw, based_on, activity_id, text, problems=(), status=422):
        """The form again with what the editor typed (nothing lost) and the Dutch messages."""
        with self.portal.engine.connect() as connection:
            context = self._form_context(connection, raw, based_on, activity_id if not (status == 422 and activity_id is None) else None,
                                         problems, {"fout": text, "nieuw_formulier": activity_id is None})
        return self.portal.render(request, "bewerken.html", context, status, user=user, rights=rights)

    async def new_page(self, request: Request):
        source = request.query_params.get("van")

        def work(db, user, rights):
            connection = db.connection()
            if not self.portal.may_edit(connection, rights, None):
                return self.portal.refused(request, "geen_rechten", 403, user)
            record = {"rooster": {"regels": []}, "locaties": [], "aanbod_in": {}}
            if source:
                original, _ = editorial.current_version(connection, source)
                if original and self.portal.may_edit(connection, rights, original):
                    record = dict(original, id=f"{original['id']}-kopie", naam=f"{original['naam']} (kopie)")
            context = self._form_context(connection, record, 0, None, extra={"nieuw_formulier": True})
            return self.portal.render(request, "bewerken.html", context, user=user, rights=rights)

        return await self.portal.guarded(request, work)

    async def create(self, request: Request):
        form = await self.portal.checked_form(request)
        if form is None:
            return self.portal.refused(request, "formulier_verlopen", 403)
        raw = activity_form.parse(form)

        def work(db, user, rights):
            if not self.portal.may_edit(db.connection(), rights, raw):
                return self.portal.refused(request, "geen_rechten", 403, user)
            db.commit()
            return self._save(request, user, rights, raw, None, None, new=True)

        return await self.portal.guarded(request, work)



def edit_routes(portal) -> list[Route]:
    pages = EditPages(portal)
    return [
        Route("/nieuw", pages.new_page, methods=["GET"]),
        Route("/nieuw", pages.create, methods=["POST"]),
        Route("/activiteit/{activity_id}", pages.edit_page, methods=["GET"]),
        Route("/activiteit/{activity_id}", pages.save, methods=["POST"]),
    ]
