"""The workflow buttons of an activity (ter controle, publiceren, terugsturen, gecontroleerd,
archiveren, terugzetten, eigenaar) and /versies with its diffs. The rules live in
sociale_kaart.editorial."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from bot.web.redactie import form as activity_form
from bot.web.redactie.portal import whole_number
from sociale_kaart import editorial


class WorkflowPages:
    """Workflow steps and the version history; `portal` is the EditorsPortal."""

    def __init__(self, portal):
        self.portal = portal

    def _step(self, request: Request, action, flash: str, needs_reviewer: bool = False):
        activity_id = request.path_params["activity_id"]

        async def handler():
            form = await self.portal.checked_form(request)
            if form is None:
                return self.portal.refused(request, "formulier_verlopen", 403)

            def work(db, user, rights):
                connection = db.connection()
                _record, _number, refused = self.portal.editable_version(
                    request, connection, user, rights, activity_id
                )
                if refused is not None:
                    return refused
                if needs_reviewer and not rights["eindredacteur"]:
                    return self.portal.refused(request, "geen_rechten", 403, user)
                db.commit()
                try:
                    action(activity_id, form, user)
                except editorial.EditError as error:
                    return self.portal.render(request, "fout.html", {"fout": error.text, "terug": f"/activiteit/{activity_id}"},
                                       409, user=user, rights=rights)
                return self.portal.redirect(request, f"/activiteit/{activity_id}", flash=flash)

            return await self.portal.guarded(request, work)

        return handler()

    async def submit(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.submit(self.portal.engine, key, whole_number(form.get("nummer"), 0, 0, 10**9), user.username),
            "ingediend")

    async def publish(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.publish(self.portal.engine, key, whole_number(form.get("nummer"), 0, 0, 10**9), user.username),
            "gepubliceerd", needs_reviewer=True)

    async def send_back(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.send_back(
                self.portal.engine, key, whole_number(form.get("nummer"), 0, 0, 10**9), user.username, str(form.get("notitie") or "")),
            "teruggestuurd", needs_reviewer=True)

    async def verify(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.verify(self.portal.engine, key, user.username), "gecontroleerd")

    async def archive(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.archive(
                self.portal.engine, key, str(form.get("reden") or ""), user.username, whole_number(form.get("nummer"), -1, -1, 10**9)),
            "gearchiveerd")

    async def revert(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.revert(
                self.portal.engine, key, whole_number(form.get("naar"), -1, -1, 10**9), user.username,
                whole_number(form.get("nummer"), -1, -1, 10**9)),
            "teruggezet")

    async def owner(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.set_owner(self.portal.engine, key, str(form.get("eigenaar") or "").strip()[:200]),
            "opgeslagen")

    # -- versions --------------------------------------------------------------
    async def history_page(self, request: Request):
        activity_id = request.path_params["activity_id"]

        def show(connection, user, rights, record, number):
            labels = {f.pad: f.label for f in activity_form.fields()}
            context = {"record": record, "nummer": number, "activiteit_id": activity_id,
                       "versies": editorial.history(connection, activity_id),
                       "label": lambda key: _label(labels, key)}
            return self.portal.render(request, "versies.html", context, user=user, rights=rights)

        return await self.portal.activity_page(request, show)



def _label(labels: dict, key: str) -> str:
    """'locaties.1.postcode' -> 'Postcode (plek 1)'; 'rooster.regels.2.dag' -> 'Roosterregels 2: dag'."""
    parts = key.split(".")
    if parts[0] == "locaties" and len(parts) == 3:
        return f"{labels.get('locaties[].' + parts[2], parts[2])} ({parts[1]})"
    if key.startswith("rooster.regels.") and len(parts) == 4:
        return f"{labels.get('rooster.regels', 'Rooster')} {parts[2]}: {parts[3]}"
    return labels.get(key, key)



def workflow_routes(portal) -> list[Route]:
    pages = WorkflowPages(portal)
    return [
        Route("/activiteit/{activity_id}/versies", pages.history_page, methods=["GET"]),
        Route("/activiteit/{activity_id}/indienen", pages.submit, methods=["POST"]),
        Route("/activiteit/{activity_id}/publiceren", pages.publish, methods=["POST"]),
        Route("/activiteit/{activity_id}/terugsturen", pages.send_back, methods=["POST"]),
        Route("/activiteit/{activity_id}/gecontroleerd", pages.verify, methods=["POST"]),
        Route("/activiteit/{activity_id}/archiveren", pages.archive, methods=["POST"]),
        Route("/activiteit/{activity_id}/terugzetten", pages.revert, methods=["POST"]),
        Route("/activiteit/{activity_id}/eigenaar", pages.owner, methods=["POST"]),
    ]
