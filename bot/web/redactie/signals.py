"""/redactie/meldingen: the signals from the field ("Klopt dit niet?" of residents in the
chat and on Telegram, flags of coaches from the inbox), grouped per activity, with
"opgelost" and "afgewezen". The rules live in sociale_kaart.signals; this module only
translates HTTP. An editor sees the signals of the activities they may edit.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from starlette.requests import Request
from starlette.routing import Route

from sociale_kaart import editorial, signals

TEXTS_FILE = Path(__file__).resolve().parent / "signals.yml"
HANDLED_SHOWN = 50


@lru_cache(maxsize=1)
def texts() -> dict:
    with open(TEXTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _visible(
    portal, connection, rights, groups: list[signals.ActivitySignals]
) -> list[signals.ActivitySignals]:
    if rights["beheerder"]:
        return groups
    shown = []
    for group in groups:
        record, _ = editorial.current_version(connection, group.activity_id)
        if record is not None and portal.may_edit(connection, rights, record):
            shown.append(group)
    return shown


def signal_routes(portal) -> list[Route]:
    """The routes of the signals queue, on the editors' portal (bot/web/redactie/app.py)."""
    portal.messages.update({k: v for k, v in texts().items() if isinstance(v, str)})

    async def queue_page(request: Request):
        def work(db, user, rights):
            connection = db.connection()
            context = {
                "groepen": _visible(portal, connection, rights, signals.queue(connection, "open")),
                "afgehandeld": [
                    group
                    for status in signals.HANDLED
                    for group in _visible(
                        portal, connection, rights, signals.queue(connection, status, HANDLED_SHOWN)
                    )
                ],
                "redenen": signals.reasons(),
                "bronnen": signals.texts()["bronnen"],
            }
            return portal.render(request, "signalen.html", context, user=user, rights=rights)

        return await portal.guarded(request, work)

    async def handle(request: Request):
        activity_id = request.path_params["activity_id"][:120]
        form = await portal.checked_form(request)
        if form is None:
            return portal.refused(request, "formulier_verlopen", 403)
        outcome = str(form.get("actie") or "")

        def work(db, user, rights):
            connection = db.connection()
            if outcome not in signals.HANDLED:
                return portal.render(
                    request,
                    "fout.html",
                    {"fout": texts()["afhandeling_onbekend"], "terug": "/meldingen"},
                    422,
                    user=user,
                    rights=rights,
                )
            record, _ = editorial.current_version(connection, activity_id)
            if not (
                rights["beheerder"] or (record is not None and portal.may_edit(connection, rights, record))
            ):
                return portal.refused(request, "geen_rechten", 403, user)
            db.commit()
            changed = signals.handle(portal.engine, activity_id, outcome, user.username)
            flash = f"meldingen_{outcome}" if changed else "meldingen_al_afgehandeld"
            return portal.redirect(request, "/meldingen", flash=flash)

        return await portal.guarded(request, work)

    return [
        Route("/meldingen", queue_page, methods=["GET"]),
        Route("/meldingen/{activity_id}", handle, methods=["POST"]),
    ]
