"""/redactie/importeren (upload, dry run, apply; eindredacteur and beheerder) and
/redactie/export.yml (the whole catalogue as YAML)."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.inbox.auth import csrf_valid
from sociale_kaart import editorial


class TransferPages:
    """Import and export of the catalogue; `portal` is the EditorsPortal."""

    def __init__(self, portal):
        self.portal = portal

    def _may_import(self, rights) -> bool:
        return rights["beheerder"] or rights["eindredacteur"]

    async def import_page(self, request: Request):
        def work(db, user, rights):
            if not self._may_import(rights):
                return self.portal.refused(request, "geen_rechten", 403, user)
            return self.portal.render(request, "importeren.html", {}, user=user, rights=rights)

        return await self.portal.guarded(request, work)

    def _upload_dir(self) -> Path:
        directory = Path(self.portal.settings.var_dir) / "redactie_uploads"
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    async def import_upload(self, request: Request):
        """Upload -> dry run: what would be new, changed, ended; the problems per record."""
        limit = self.portal.settings.import_max_bytes
        try:
            form = await request.form(max_files=1, max_fields=10, max_part_size=1024 * 1024)
        except Exception:  # a malformed multipart body
            return self.portal.refused(request, "bestand_onleesbaar", 400)
        if not csrf_valid(request.session, form.get("csrf")):
            return self.portal.refused(request, "formulier_verlopen", 403)
        upload = form.get("bestand")
        if upload is None or not hasattr(upload, "read"):
            return self.portal.refused(request, "geen_bestand", 400)
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
                return self.portal.refused(request, "geen_rechten", 403, user)
            return self._import_result(request, user, rights, target, token, dry_run=True, too_big=too_big, size=size)

        return await self.portal.guarded(request, work)

    def _import_result(self, request, user, rights, target, token, dry_run, too_big=False, size=0):
        from sociale_kaart.problems import Problem
        from sociale_kaart.readers import InputLimits, read_path
        from sociale_kaart.texts import message as kaart_message

        limits = InputLimits.from_settings(self.portal.settings)
        if too_big:
            text = kaart_message("fouten.bestand_te_groot", grootte=f"{size / 1_000_000:.1f}",
                                 max=f"{limits.max_bytes / 1_000_000:g}")
            problems = [Problem(target.name, None, None, text, "bestand_te_groot")]
            context = {"problemen": [str(p) for p in problems], "wijzigingen": [], "token": None}
            return self.portal.render(request, "importeren.html", context, 422, user=user, rights=rights)
        document = read_path(target, limits)
        report, changes = editorial.import_with_versions(self.portal.engine, [document], user.username, dry_run=dry_run)
        with self.portal.engine.connect() as connection:
            outside = [c for c in changes if not self.portal.may_edit(connection, rights, c.record)]
        if outside and not rights["beheerder"]:
            if not dry_run:
                raise RuntimeError("scope was checked in the dry run")
            context = {"fout": self.portal.messages["import_buiten_bereik"], "wijzigingen": changes, "token": None}
            return self.portal.render(request, "importeren.html", context, 403, user=user, rights=rights)
        context = {
            "problemen": [str(p) for p in report.problems],
            "wijzigingen": changes,
            "samenvatting": report.summary(),
            "token": token if dry_run and report.ok and changes else None,
            "toegepast": not dry_run,
        }
        return self.portal.render(request, "importeren.html", context, 200 if report.ok else 422, user=user, rights=rights)

    async def import_apply(self, request: Request):
        form = await self.portal.checked_form(request)
        if form is None:
            return self.portal.refused(request, "formulier_verlopen", 403)
        token = str(form.get("token") or "")
        if not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", token):
            return self.portal.refused(request, "geen_bestand", 400)
        folder = self._upload_dir() / token
        files = sorted(folder.glob("*")) if folder.is_dir() else []
        if not files:
            return self.portal.refused(request, "geen_bestand", 400)

        def work(db, user, rights):
            if not self._may_import(rights):
                return self.portal.refused(request, "geen_rechten", 403, user)
            # The scope check of the dry run again: the same file, the same records.
            response = self._import_result(request, user, rights, files[0], token, dry_run=True)
            if response.status_code != 200:
                return response
            response = self._import_result(request, user, rights, files[0], token, dry_run=False)
            shutil.rmtree(folder, ignore_errors=True)
            return response

        return await self.portal.guarded(request, work)

    async def export_yaml(self, request: Request):
        from sociale_kaart.export_yaml import catalogue_yaml

        def work(db, user, rights):
            return Response(catalogue_yaml(self.portal.engine), media_type="application/x-yaml; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="sociale_kaart.yml"',
                                     "Cache-Control": "no-store"})

        return await self.portal.guarded(request, work)



def transfer_routes(portal) -> list[Route]:
    pages = TransferPages(portal)
    return [
        Route("/importeren", pages.import_page, methods=["GET"]),
        Route("/importeren", pages.import_upload, methods=["POST"]),
        Route("/importeren/toepassen", pages.import_apply, methods=["POST"]),
        Route("/export.yml", pages.export_yaml, methods=["GET"]),
    ]
