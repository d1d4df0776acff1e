"""/redactie: the editors' back office (Dutch, B1).

- /redactie/: find activities (search, filters, sort, pages) and the queues (ter controle,
  new concepts, signals);
- /redactie/activiteit/{id}: the one form for every field (derived from the record
  description), the workflow buttons (ter controle, publiceren, terugsturen,
  gecontroleerd, archiveren) and /versies with diffs and revert;
- /redactie/nieuw (?van=id duplicates), /redactie/verouderd (stale queue per owner),
  /redactie/accounts (beheerder: accounts and roles, bot/web/redactie/admin.py).

Roles: redacteur and eindredacteur (scope organisation or region) and beheerder. Logins,
CSRF, rate limit: bot.web.verwijzer.portal (bot.accounts sessions). The workflow rules
live in sociale_kaart.editorial; this module only translates HTTP to it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
from pathlib import Path
from urllib.parse import urlencode

import yaml
from sqlalchemy import and_, func, or_, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import accounts
from bot.handoff.db import make_engine
from bot.web.inbox.auth import LoginLimiter, csrf_valid
from bot.web.redactie import form as activity_form
from bot.web.redactie.admin import admin_routes
from bot.web.redactie import reminders
from bot.web.redactie.demand import demand_routes
from bot.web.redactie.signals import signal_routes
from bot.web.verwijzer.portal import Portal, make_templates, session_middleware
from sociale_kaart import editorial, models

HERE = Path(__file__).resolve().parent
templates = make_templates(HERE / "templates")
PAGE_SIZE = 25
_A = models.Activity.__table__
_AM = models.ActivityMunicipality.__table__
_AC = models.ActivityCategory.__table__
_AT = models.ActivityTheme.__table__
_MUN = models.Municipality.__table__
_ORG = models.Organisation.__table__
SORTS = {
    "naam": (_A.c.naam,),
    "gecontroleerd": (_A.c.laatst_gecontroleerd_op.is_(None).desc(), _A.c.laatst_gecontroleerd_op, _A.c.naam),
    "gewijzigd": (_A.c.laatst_gewijzigd_op.desc(), _A.c.naam),
    "organisatie": (_A.c.organisation_id, _A.c.naam),
}
EDITOR_ROLES = ("redacteur", "eindredacteur", "beheerder")


def _messages() -> dict:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


class EditorsPortal(Portal):
    roles = EDITOR_ROLES
    home_path = "/"

    def __init__(self, settings, limiter: LoginLimiter | None = None):
        super().__init__(settings, templates, _messages(), limiter)
        self.stale_days = getattr(settings, "redactie_stale_days", 180)
        self.reminder_policy = reminders.ReminderPolicy.from_settings(settings)

    @property
    def engine(self):
        return make_engine(self.settings.database_url)

    # -- rights ----------------------------------------------------------
    def rights(self, db, user) -> dict:
        """What this user may do: beheerder everything; editors within their scopes."""
        admin = accounts.has_role(db, user, "beheerder", accounts.SCOPE_ALL)
        result = {"beheerder": admin, "eindredacteur": admin, "organisaties": set(), "regios": set()}
        for role in ("redacteur", "eindredacteur"):
            organisations = accounts.scopes(db, user, role, accounts.SCOPE_ORGANISATION)
            regions = accounts.scopes(db, user, role, accounts.SCOPE_REGION)
            result["organisaties"] |= organisations
            result["regios"] |= regions
            if role == "eindredacteur" and (organisations or regions):
                result["eindredacteur"] = True
        return result

    def _regions_of(self, connection, record: dict) -> set[str]:
        offered = record.get("aanbod_in") or {}
        if offered.get("regio"):
            return {offered["regio"]}
        codes = offered.get("gemeenten") or []
        if not codes:
            return set()
        return set(connection.execute(select(_MUN.c.regio).where(_MUN.c.code.in_(codes))).scalars())

    def may_edit(self, connection, rights: dict, record: dict | None) -> bool:
        if rights["beheerder"]:
            return True
        if record is None:
            return bool(rights["organisaties"] or rights["regios"])
        if record.get("organisatie") in rights["organisaties"]:
            return True
        return bool(self._regions_of(connection, record) & rights["regios"])

    def _visible(self, rights: dict):
        """SQL condition: activities within the user's scopes."""
        if rights["beheerder"]:
            return None
        in_region = _A.c.id.in_(
            select(_AM.c.activity_id).join(_MUN, _MUN.c.code == _AM.c.municipality_code)
            .where(_MUN.c.regio.in_(rights["regios"]))
        )
        return or_(
            _A.c.organisation_id.in_(rights["organisaties"]), _A.c.regio.in_(rights["regios"]), in_region
        )

    def guarded(self, request: Request, work):
        """Run work(db, user, rights) for a logged-in editor (in a worker thread)."""

        def run():
            with self.db() as db:
                user = self.current_user(request, db)
                if user is None:
                    return self.redirect(request, "/inloggen")
                return work(db, user, self.rights(db, user))

        return run_in_threadpool(run)

    def render(self, request, name, context=None, status_code=200, user=None, rights=None):
        context = dict(context or {})
        context["rechten"] = rights or {}
        return super().render(request, name, context, status_code, user)

    # -- list --------------------------------------------------------------
    async def home(self, request: Request):
        return await self.guarded(request, lambda db, user, rights: self._home(request, db, user, rights))

    def _filters(self, request: Request) -> dict:
        q = request.query_params
        keys = ("zoek", "gemeente", "categorie", "thema", "organisatie", "status", "eigenaar", "dagen", "sorteer",
                "herinnering")
        return {key: (q.get(key) or "").strip()[:200] for key in keys}

    def _home(self, request: Request, db, user, rights):
        connection = db.connection()
        filters = self._filters(request)
        conditions = []
        visible = self._visible(rights)
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
            days = _int(filters["dagen"], 0, 0, 100_000)
            limit = dt.date.today() - dt.timedelta(days=days)
            conditions.append(or_(_A.c.laatst_gecontroleerd_op.is_(None), _A.c.laatst_gecontroleerd_op < limit))
        if filters["herinnering"] == "geen_reactie":  # max unanswered verification reminders
            conditions.append(_A.c.id.in_(sorted(reminders.marked_ids(connection, self.reminder_policy)) or [""]))
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
        page = _int(request.query_params.get("pagina"), 1, 1, pages)
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
        return self.render(request, "lijst.html", context, user=user, rights=rights)

    # -- the form ----------------------------------------------------------
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

        def work(db, user, rights):
            connection = db.connection()
            record, number = editorial.current_version(connection, activity_id)
            if record is None:
                return self.refused(request, "niet_gevonden", 404, user)
            if not self.may_edit(connection, rights, record):
                return self.refused(request, "geen_rechten", 403, user)
            return self.render(request, "bewerken.html", self._form_context(connection, record, number, activity_id),
                               user=user, rights=rights)

        return await self.guarded(request, work)

    async def save(self, request: Request):
        activity_id = request.path_params["activity_id"]
        form = await self.checked_form(request)
        if form is None:
            return self.refused(request, "formulier_verlopen", 403)
        raw = activity_form.parse(form)
        raw["id"] = activity_id  # the id of an existing entry does not change
        based_on = _int(form.get("nummer"), -1, -1, 10**9)

        def work(db, user, rights):
            connection = db.connection()
            published, _ = editorial.current_version(connection, activity_id)
            if published is None:
                return self.refused(request, "niet_gevonden", 404, user)
            if not (self.may_edit(connection, rights, published) and self.may_edit(connection, rights, raw)):
                return self.refused(request, "geen_rechten", 403, user)
            db.commit()
            return self._save(request, user, rights, raw, based_on, activity_id, new=False)

        return await self.guarded(request, work)

    def _save(self, request, user, rights, raw, based_on, activity_id, new: bool):
        try:
            result = editorial.save(self.engine, raw, user.username, based_on, new=new)
        except editorial.EditError as error:
            return self._form_again(request, user, rights, raw, based_on, activity_id, error.text, status=409)
        if not result.ok:
            return self._form_again(request, user, rights, raw, based_on, activity_id,
                                    self.messages["fouten_in_formulier"], result.problems, status=422)
        return self.redirect(request, f"/activiteit/{raw['id']}", flash="opgeslagen")

    def _form_again(self, request, user, rights, raw, based_on, activity_id, text, problems=(), status=422):
        """The form again with what the editor typed (nothing lost) and the Dutch messages."""
        with self.engine.connect() as connection:
            context = self._form_context(connection, raw, based_on, activity_id if not (status == 422 and activity_id is None) else None,
                                         problems, {"fout": text, "nieuw_formulier": activity_id is None})
        return self.render(request, "bewerken.html", context, status, user=user, rights=rights)

    async def new_page(self, request: Request):
        source = request.query_params.get("van")

        def work(db, user, rights):
            connection = db.connection()
            if not self.may_edit(connection, rights, None):
                return self.refused(request, "geen_rechten", 403, user)
            record = {"rooster": {"regels": []}, "locaties": [], "aanbod_in": {}}
            if source:
                original, _ = editorial.current_version(connection, source)
                if original and self.may_edit(connection, rights, original):
                    record = dict(original, id=f"{original['id']}-kopie", naam=f"{original['naam']} (kopie)")
            context = self._form_context(connection, record, 0, None, extra={"nieuw_formulier": True})
            return self.render(request, "bewerken.html", context, user=user, rights=rights)

        return await self.guarded(request, work)

    async def create(self, request: Request):
        form = await self.checked_form(request)
        if form is None:
            return self.refused(request, "formulier_verlopen", 403)
        raw = activity_form.parse(form)

        def work(db, user, rights):
            if not self.may_edit(db.connection(), rights, raw):
                return self.refused(request, "geen_rechten", 403, user)
            db.commit()
            return self._save(request, user, rights, raw, None, None, new=True)

        return await self.guarded(request, work)

    # -- workflow steps ------------------------------------------------------
    def _step(self, request: Request, action, flash: str, needs_reviewer: bool = False):
        activity_id = request.path_params["activity_id"]

        async def handler():
            form = await self.checked_form(request)
            if form is None:
                return self.refused(request, "formulier_verlopen", 403)

            def work(db, user, rights):
                connection = db.connection()
                record, _ = editorial.current_version(connection, activity_id)
                if record is None:
                    return self.refused(request, "niet_gevonden", 404, user)
                if not self.may_edit(connection, rights, record) or (needs_reviewer and not rights["eindredacteur"]):
                    return self.refused(request, "geen_rechten", 403, user)
                db.commit()
                try:
                    action(activity_id, form, user)
                except editorial.EditError as error:
                    return self.render(request, "fout.html", {"fout": error.text, "terug": f"/activiteit/{activity_id}"},
                                       409, user=user, rights=rights)
                return self.redirect(request, f"/activiteit/{activity_id}", flash=flash)

            return await self.guarded(request, work)

        return handler()

    async def submit(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.submit(self.engine, key, _int(form.get("nummer"), 0, 0, 10**9), user.username),
            "ingediend")

    async def publish(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.publish(self.engine, key, _int(form.get("nummer"), 0, 0, 10**9), user.username),
            "gepubliceerd", needs_reviewer=True)

    async def send_back(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.send_back(
                self.engine, key, _int(form.get("nummer"), 0, 0, 10**9), user.username, str(form.get("notitie") or "")),
            "teruggestuurd", needs_reviewer=True)

    async def verify(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.verify(self.engine, key, user.username), "gecontroleerd")

    async def archive(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.archive(
                self.engine, key, str(form.get("reden") or ""), user.username, _int(form.get("nummer"), -1, -1, 10**9)),
            "gearchiveerd")

    async def revert(self, request: Request):
        return await self._step(
            request,
            lambda key, form, user: editorial.revert(
                self.engine, key, _int(form.get("naar"), -1, -1, 10**9), user.username,
                _int(form.get("nummer"), -1, -1, 10**9)),
            "teruggezet")

    async def owner(self, request: Request):
        return await self._step(
            request, lambda key, form, user: editorial.set_owner(self.engine, key, str(form.get("eigenaar") or "").strip()[:200]),
            "opgeslagen")

    # -- history, stale queue ------------------------------------------------
    async def history_page(self, request: Request):
        activity_id = request.path_params["activity_id"]

        def work(db, user, rights):
            connection = db.connection()
            record, number = editorial.current_version(connection, activity_id)
            if record is None:
                return self.refused(request, "niet_gevonden", 404, user)
            if not self.may_edit(connection, rights, record):
                return self.refused(request, "geen_rechten", 403, user)
            labels = {f.pad: f.label for f in activity_form.fields()}
            context = {"record": record, "nummer": number, "activiteit_id": activity_id,
                       "versies": editorial.history(connection, activity_id),
                       "label": lambda key: _label(labels, key)}
            return self.render(request, "versies.html", context, user=user, rights=rights)

        return await self.guarded(request, work)

    async def stale_page(self, request: Request):
        def work(db, user, rights):
            connection = db.connection()
            rows = [r for r in editorial.stale(connection, self.stale_days)
                    if rights["beheerder"] or self.may_edit(connection, rights, editorial.current_version(connection, r["id"])[0])]
            policy = self.reminder_policy
            sent = reminders.unanswered(connection, rows, policy)
            groups: dict[str, list] = {}
            for row in rows:
                count, marked = sent.get(row["id"], (0, False))
                groups.setdefault(row["eigenaar"] or "", []).append(
                    {**row, "herinneringen": count, "geen_reactie": marked})
            # Owners first (they get the reminders), the entries without an owner last.
            ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
            context = {"groepen": ordered, "dagen": self.stale_days,
                       "max_herinneringen": policy.max_reminders, "interval": policy.interval_days}
            return self.render(request, "verouderd.html", context, user=user, rights=rights)

        return await self.guarded(request, work)

    # -- import and export ----------------------------------------------------
    def _may_import(self, rights) -> bool:
        return rights["beheerder"] or rights["eindredacteur"]

    async def import_page(self, request: Request):
        def work(db, user, rights):
            if not self._may_import(rights):
                return self.refused(request, "geen_rechten", 403, user)
            return self.render(request, "importeren.html", {}, user=user, rights=rights)

        return await self.guarded(request, work)

    def _upload_dir(self) -> Path:
        directory = Path(self.settings.var_dir) / "redactie_uploads"
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    async def import_upload(self, request: Request):
        """Upload -> dry run: what would be new, changed, ended; the problems per record."""
        limit = self.settings.import_max_bytes
        try:
            form = await request.form(max_files=1, max_fields=10, max_part_size=1024 * 1024)
        except Exception:  # a malformed multipart body
            return self.refused(request, "bestand_onleesbaar", 400)
        if not csrf_valid(request.session, form.get("csrf")):
            return self.refused(request, "formulier_verlopen", 403)
        upload = form.get("bestand")
        if upload is None or not hasattr(upload, "read"):
            return self.refused(request, "geen_bestand", 400)
        name = Path(upload.filename or "upload").name
        suffix = Path(name).suffix.lower()
        token = secrets.token_urlsafe(16)
        folder = self._upload_dir() / token
        folder.mkdir()
        target = folder / (re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120] or f"upload{suffix}")
        with open(target, "wb") as handle:
            size = 0
            while chunk := await upload.read(1024 * 1024):
                size += len(chunk)
                if size > limit:  # stop reading: read_path refuses it by size below
                    handle.write(chunk[: 1])
                    break
                handle.write(chunk)
        too_big = size > limit

        def work(db, user, rights):
            if not self._may_import(rights):
                return self.refused(request, "geen_rechten", 403, user)
            return self._import_result(request, user, rights, target, token, dry_run=True, too_big=too_big, size=size)

        return await self.guarded(request, work)

    def _import_result(self, request, user, rights, target, token, dry_run, too_big=False, size=0):
        from sociale_kaart.problems import Problem
        from sociale_kaart.readers import InputLimits, read_path
        from sociale_kaart.texts import message as kaart_message

        limits = InputLimits.from_settings(self.settings)
        if too_big:
            text = kaart_message("fouten.bestand_te_groot", grootte=f"{size / 1_000_000:.1f}",
                                 max=f"{limits.max_bytes / 1_000_000:g}")
            problems = [Problem(target.name, None, None, text, "bestand_te_groot")]
            context = {"problemen": [str(p) for p in problems], "wijzigingen": [], "token": None}
            return self.render(request, "importeren.html", context, 422, user=user, rights=rights)
        document = read_path(target, limits)
        report, changes = editorial.import_with_versions(self.engine, [document], user.username, dry_run=dry_run)
        with self.engine.connect() as connection:
            outside = [c for c in changes if not self.may_edit(connection, rights, c.record)]
        if outside and not rights["beheerder"]:
            if not dry_run:
                raise RuntimeError("scope was checked in the dry run")
            context = {"fout": self.messages["import_buiten_bereik"], "wijzigingen": changes, "token": None}
            return self.render(request, "importeren.html", context, 403, user=user, rights=rights)
        context = {
            "problemen": [str(p) for p in report.problems],
            "wijzigingen": changes,
            "samenvatting": report.summary(),
            "token": token if dry_run and report.ok and changes else None,
            "toegepast": not dry_run,
        }
        return self.render(request, "importeren.html", context, 200 if report.ok else 422, user=user, rights=rights)

    async def import_apply(self, request: Request):
        form = await self.checked_form(request)
        if form is None:
            return self.refused(request, "formulier_verlopen", 403)
        token = str(form.get("token") or "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", token):
            return self.refused(request, "geen_bestand", 400)
        folder = self._upload_dir() / token
        files = sorted(folder.glob("*")) if folder.is_dir() else []
        if not files:
            return self.refused(request, "geen_bestand", 400)

        def work(db, user, rights):
            if not self._may_import(rights):
                return self.refused(request, "geen_rechten", 403, user)
            # The scope check of the dry run again: the same file, the same records.
            response = self._import_result(request, user, rights, files[0], token, dry_run=True)
            if response.status_code != 200:
                return response
            response = self._import_result(request, user, rights, files[0], token, dry_run=False)
            shutil.rmtree(folder, ignore_errors=True)
            return response

        return await self.guarded(request, work)

    async def export_yaml(self, request: Request):
        from sociale_kaart.export_yaml import catalogue_yaml

        def work(db, user, rights):
            return Response(catalogue_yaml(self.engine), media_type="application/x-yaml; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="sociale_kaart.yml"',
                                     "Cache-Control": "no-store"})

        return await self.guarded(request, work)

    # -- the signed "klopt nog" link of a reminder -----------------------------
    def _reminder(self, token: str):
        data = reminders.read_token(self.settings.secret_key, token)
        if data is None:
            return None, None
        with self.engine.connect() as connection:
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
            return self.render(request, "fout.html", {"fout": self.messages["link_verlopen"]}, 410)
        context = {"activiteit": row, "token": token}
        return self.render(request, "klopt_nog.html", context)

    async def reminder_confirm(self, request: Request):
        token = request.path_params["token"][:500]
        form = await self.checked_form(request)
        if form is None:
            return self.refused(request, "formulier_verlopen", 403)
        data, row = await run_in_threadpool(self._reminder, token)
        if data is None:
            return self.render(request, "fout.html", {"fout": self.messages["link_verlopen"]}, 410)
        await run_in_threadpool(editorial.verify, self.engine, data["a"], self.messages["via_herinnering"])
        return self.render(request, "klopt_nog.html", {"activiteit": row, "klaar": True})


def _label(labels: dict, key: str) -> str:
    """'locaties.1.postcode' -> 'Postcode (plek 1)'; 'rooster.regels.2.dag' -> 'Roosterregels 2: dag'."""
    parts = key.split(".")
    if parts[0] == "locaties" and len(parts) == 3:
        return f"{labels.get('locaties[].' + parts[2], parts[2])} ({parts[1]})"
    if key.startswith("rooster.regels.") and len(parts) == 4:
        return f"{labels.get('rooster.regels', 'Rooster')} {parts[2]}: {parts[3]}"
    return labels.get(key, key)


def create_editors_app(settings, limiter: LoginLimiter | None = None, mount_path: str = "/redactie") -> Starlette:
    portal = EditorsPortal(settings, limiter)
    routes = [
        Route("/", portal.home, methods=["GET"]),
        Route("/nieuw", portal.new_page, methods=["GET"]),
        Route("/nieuw", portal.create, methods=["POST"]),
        Route("/verouderd", portal.stale_page, methods=["GET"]),
        Route("/importeren", portal.import_page, methods=["GET"]),
        Route("/importeren", portal.import_upload, methods=["POST"]),
        Route("/importeren/toepassen", portal.import_apply, methods=["POST"]),
        Route("/export.yml", portal.export_yaml, methods=["GET"]),
        *admin_routes(portal),  # /accounts (beheerder): bot/web/redactie/admin.py
        Route("/activiteit/{activity_id}", portal.edit_page, methods=["GET"]),
        Route("/activiteit/{activity_id}", portal.save, methods=["POST"]),
        Route("/activiteit/{activity_id}/versies", portal.history_page, methods=["GET"]),
        Route("/activiteit/{activity_id}/indienen", portal.submit, methods=["POST"]),
        Route("/activiteit/{activity_id}/publiceren", portal.publish, methods=["POST"]),
        Route("/activiteit/{activity_id}/terugsturen", portal.send_back, methods=["POST"]),
        Route("/activiteit/{activity_id}/gecontroleerd", portal.verify, methods=["POST"]),
        Route("/activiteit/{activity_id}/archiveren", portal.archive, methods=["POST"]),
        Route("/activiteit/{activity_id}/terugzetten", portal.revert, methods=["POST"]),
        Route("/activiteit/{activity_id}/eigenaar", portal.owner, methods=["POST"]),
        *signal_routes(portal),  # /meldingen (bot/web/redactie/signals.py)
        *demand_routes(portal),  # /vraag (bot/web/redactie/demand.py)
        Route("/klopt-nog/{token}", portal.reminder_page, methods=["GET"]),
        Route("/klopt-nog/{token}", portal.reminder_confirm, methods=["POST"]),
        Route("/inloggen", portal.login_page, methods=["GET"]),
        Route("/inloggen", portal.login, methods=["POST"]),
        Route("/uitloggen", portal.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE.parent / "verwijzer" / "static"))),
        Mount("/eigen", StaticFiles(directory=str(HERE / "static"))),
    ]
    middleware = [session_middleware(settings, "ww_redactie", b"welzijnswijzer-redactie", mount_path)]
    return Starlette(routes=routes, middleware=middleware)
