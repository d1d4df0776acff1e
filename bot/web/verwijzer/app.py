"""The referrer portal, mounted at /verwijzer by the web app.

- /verwijzer/inloggen: verwijzers (role "verwijzer", scope = their practice) and beheerders;
- /verwijzer/nieuw: the short B1 referral form (medical-data check, consent confirmation);
- /verwijzer/verwijzingen[/{code}]: own practice's referrals: status, outcome, feedback;
- /verwijzer/beheer: a beheerder adds referrer organisations and verwijzer accounts.

Every POST carries the CSRF token. Business rules live in bot.referral.professional.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import accounts
from bot.accounts import LoginLimiter
from bot.handoff.crypto import Cipher
from bot.handoff.models import MOMENTS
from bot.handoff.routing import TeamRouting
from bot.handoff.store import notify_channels
from bot.referral import professional
from bot.referral.medical_check import found_message, warning
from bot.referral.outcomes import labels, read_feedback
from bot.web.verwijzer.portal import Portal, make_templates, session_middleware

HERE = Path(__file__).resolve().parent
templates = make_templates(HERE / "templates")


def theme_choices() -> list[tuple[str, str]]:
    from sociale_kaart.taxonomy import load_taxonomy

    return [(code, theme.label) for code, theme in load_taxonomy().themes.items()]


class ReferrerPortal(Portal):
    roles = ("verwijzer", "beheerder")
    home_path = "/verwijzingen"

    def __init__(self, settings, limiter: LoginLimiter | None = None, routing: TeamRouting | None = None):
        super().__init__(settings, templates, professional.messages(), limiter)
        self.cipher = Cipher(settings.fernet_keys)
        self.routing = routing or TeamRouting.load(getattr(settings, "teams_file", None))
        self.channels = notify_channels(settings)

    def _is_admin(self, db, user) -> bool:
        return accounts.has_role(db, user, "beheerder", accounts.SCOPE_ALL)

    def render(self, request, name, context=None, status_code=200, user=None):
        context = dict(context or {})
        context.setdefault("beheerder", False)
        return super().render(request, name, context, status_code, user)

    async def home(self, request: Request):
        return self.redirect(request, "/verwijzingen")

    # -- own referrals -------------------------------------------------
    async def referral_list(self, request: Request):
        return await run_in_threadpool(self._referral_list, request)

    def _referral_list(self, request: Request):
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return self.redirect(request, "/inloggen")
            orgs = professional.organisations(db, professional.referrer_org_codes(db, user))
            rows = [
                {
                    "referentie": r.reference_code,
                    "datum": r.created_at,
                    "gemeente": r.gemeente_naam or "onbekend",
                    "status": professional.status_text(r),
                    "uitkomst": r.outcome,
                    "terugkoppeling": r.feedback_at is not None,
                }
                for r in professional.referrals_of(db, user)
            ]
            context = {"verwijzingen": rows, "organisaties": orgs, "beheerder": self._is_admin(db, user)}
            return self.render(request, "lijst.html", context, user=user)

    async def referral_detail(self, request: Request):
        return await run_in_threadpool(self._referral_detail, request)

    def _referral_detail(self, request: Request):
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return self.redirect(request, "/inloggen")
            item = professional.referral_of(db, user, request.path_params["referentie"])
            if item is None:
                return self.refused(request, "niet_gevonden", 404, user)
            themes = dict(theme_choices())
            context = {
                "a": item,
                "status": professional.status_text(item),
                "themas": [themes.get(t, t) for t in item.themes or []],
                "labels": labels(),
                "terugkoppeling": read_feedback(self.cipher, item),
                "beheerder": self._is_admin(db, user),
            }
            return self.render(request, "detail.html", context, user=user)

    # -- the referral form ---------------------------------------------
    def _form_context(self, db, user, form: professional.ReferralForm, checked=None) -> dict:
        consent = professional.referrer_consent()
        codes = sorted(professional.referrer_org_codes(db, user))
        return {
            "f": form,
            "c": checked,
            "fouten": checked.errors if checked else {},
            "medisch": found_message(checked.medical) if checked and checked.medical else None,
            "waarschuwing": warning(),
            "momenten": [(m, labels()["momenten"][m]) for m in MOMENTS],
            "themakeuze": theme_choices(),
            "toestemming_tekst": consent.text,
            "organisaties": professional.organisations(db, codes),
            "beheerder": self._is_admin(db, user),
        }

    async def new_form(self, request: Request):
        return await run_in_threadpool(self._new_form, request)

    def _new_form(self, request: Request):
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return self.redirect(request, "/inloggen")
            form = professional.ReferralForm(form_id=secrets.token_urlsafe(16))
            return self.render(request, "nieuw.html", self._form_context(db, user, form), user=user)

    async def submit(self, request: Request):
        form = await self.checked_form(request)
        return await run_in_threadpool(self._submit, request, form)

    def _submit(self, request: Request, raw):
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return self.redirect(request, "/inloggen")
            if raw is None:
                return self.refused(request, "formulier_verlopen", 403, user)
            form = professional.ReferralForm(
                form_id=str(raw.get("formulier_id", ""))[:64],
                naam=str(raw.get("naam", ""))[:200],
                contact=str(raw.get("contact", ""))[:320],
                moment=str(raw.get("moment", "")),
                woonplaats=str(raw.get("woonplaats", ""))[:120],
                gemeente_code=str(raw.get("gemeente_code", ""))[:10],
                themas=[str(t)[:60] for t in raw.getlist("themas")][:20],
                reden=str(raw.get("reden", ""))[:2000],
                toestemming=raw.get("toestemming") == "ja",
            )
            codes = sorted(professional.referrer_org_codes(db, user))
            org_code = str(raw.get("organisatie", "")) or (codes[0] if len(codes) == 1 else "")
            if org_code not in codes:
                return self.refused(request, "niet_gevonden", 403, user)
            checked, opened = professional.submit(
                db, self.cipher, self.settings.secret_key, self.routing, self.channels, user, org_code, form
            )
            if opened is None:
                context = self._form_context(db, user, form, checked)
                return self.render(request, "nieuw.html", context, 400, user=user)
            reference = opened.request.reference_code
        return self.redirect(request, f"/verwijzingen/{reference}", flash="verstuurd")

    # -- beheer --------------------------------------------------------
    async def admin_page(self, request: Request):
        return await run_in_threadpool(self._admin, request, None)

    async def admin_post(self, request: Request):
        form = await self.checked_form(request)
        return await run_in_threadpool(self._admin, request, form or False)

    def _admin(self, request: Request, form):
        from sqlalchemy import select

        from bot.handoff.models import ReferrerOrganisation

        error, status = None, 200
        with self.db() as db:
            user = self.current_user(request, db)
            if user is None:
                return self.redirect(request, "/inloggen")
            if not self._is_admin(db, user):
                return self.refused(request, "alleen_beheerder", 403, user)
            if form is False:
                return self.refused(request, "formulier_verlopen", 403, user)
            if form is not None:
                try:
                    with db.begin_nested():
                        if form.get("actie") == "organisatie":
                            professional.add_organisation(
                                db,
                                str(form.get("code", "")),
                                str(form.get("naam", "")),
                                str(form.get("soort", "")),
                                str(form.get("email", "")),
                            )
                            flash = "organisatie_aangemaakt"
                        else:
                            professional.add_referrer(
                                db,
                                str(form.get("gebruikersnaam", "")),
                                str(form.get("wachtwoord", "")),
                                str(form.get("organisatie", "")),
                            )
                            flash = "account_aangemaakt"
                except professional.OrganisationError as exc:
                    error, status = self.messages[exc.reason], 400
                except accounts.AccountError as exc:
                    error, status = exc.message(), 400
                else:
                    return self.redirect(request, "/beheer", flash=flash)
            orgs = list(
                db.execute(select(ReferrerOrganisation).order_by(ReferrerOrganisation.naam)).scalars()
            )
            context = {
                "organisaties": orgs,
                "soorten": labels()["soorten_verwijzer"],
                "fout": error,
                "beheerder": True,
            }
            return self.render(request, "beheer.html", context, status, user=user)


def create_referrer_app(
    settings, limiter: LoginLimiter | None = None, mount_path: str = "/verwijzer"
) -> Starlette:
    portal = ReferrerPortal(settings, limiter)
    routes = [
        Route("/", portal.home, methods=["GET"]),
        Route("/inloggen", portal.login_page, methods=["GET"]),
        Route("/inloggen", portal.login, methods=["POST"]),
        Route("/uitloggen", portal.logout, methods=["POST"]),
        Route("/verwijzingen", portal.referral_list, methods=["GET"]),
        Route("/verwijzingen/{referentie}", portal.referral_detail, methods=["GET"]),
        Route("/nieuw", portal.new_form, methods=["GET"]),
        Route("/nieuw", portal.submit, methods=["POST"]),
        Route("/beheer", portal.admin_page, methods=["GET"]),
        Route("/beheer", portal.admin_post, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static"))),
    ]
    middleware = [
        session_middleware(settings, "ww_verwijzer", b"welzijnswijzer-verwijzer-portal", mount_path)
    ]
    return Starlette(routes=routes, middleware=middleware)
