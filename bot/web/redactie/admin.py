"""The accounts page of the back office (/redactie/accounts, beheerder only): create accounts
with a role and scope (every role of bot.accounts: coach, teamleider, regiocoördinator,
verwijzer, redacteur, eindredacteur, beheerder), give and remove roles, set the work e-mail
address (verification reminders), set a new password, disable and enable accounts.

Server-side validation of the forms is WTForms; the rules themselves (username, password,
which scope a role has) stay in bot.accounts, whose Dutch messages the forms show. Every
POST is checked against the session's CSRF token first (Portal.checked_form). The Dutch
labels and messages are in admin.yml. Routes: `admin_routes(portal)` (app.py registers them).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select
from starlette.requests import Request
from starlette.routing import Route
from wtforms import Form, PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from bot import accounts
from bot.accounts.service import MAX_PASSWORD, MIN_PASSWORD, message as account_message

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def texts() -> dict:
    with open(HERE / "admin.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _label(key: str) -> str:
    return texts()["labels"][key]


def _fout(key: str) -> str:
    return texts()["fouten"][key]


class _AccountRules:
    """Validators that ask bot.accounts, so the form says exactly what the CLI says."""

    @staticmethod
    def username(form, field):
        name = accounts.service.normalise_username(field.data or "")
        if not accounts.service.USERNAME.match(name):
            raise ValidationError(account_message("ongeldige_gebruikersnaam"))
        field.data = name

    @staticmethod
    def email(form, field):
        try:
            field.data = accounts.service.normalise_email(field.data)
        except accounts.AccountError as error:
            raise ValidationError(error.message()) from None

    @staticmethod
    def password(form, field):
        try:
            accounts.service.check_password_rules(field.data or "")
        except accounts.AccountError as error:
            raise ValidationError(error.message()) from None

    @staticmethod
    def scope(form, field):
        try:
            form.code.data = accounts.service.check_role(form.rol.data, field.data, form.code.data)
        except accounts.AccountError as error:
            raise ValidationError(error.message()) from None


def _role_choices():
    return [(role, texts()["rollen"][role]) for role in accounts.ROLES]


def _scope_choices():
    return [(kind, label) for kind, label in texts()["reikwijdtes"].items()]


def _one_of(choices):
    def check(form, field):
        if field.data not in {code for code, _label in choices()}:
            raise ValidationError(_fout("keuze"))

    return check


class RoleForm(Form):
    rol = SelectField(_label("rol"), choices=_role_choices, validate_choice=False,
                      validators=[_one_of(_role_choices)])
    soort = SelectField(_label("soort"), choices=_scope_choices, validate_choice=False,
                        validators=[_one_of(_scope_choices), _AccountRules.scope])
    code = StringField(_label("code"), validators=[Optional(), Length(max=120, message=_fout("te_lang"))])


class EmailForm(Form):
    email = StringField(_label("email"), validators=[_AccountRules.email])


class PasswordForm(Form):
    wachtwoord = PasswordField(
        _label("wachtwoord"),
        validators=[InputRequired(_fout("verplicht")), Length(max=MAX_PASSWORD, message=_fout("te_lang")),
                    _AccountRules.password],
    )
    wachtwoord_nog_eens = PasswordField(
        _label("wachtwoord_nog_eens"),
        validators=[EqualTo("wachtwoord", message=account_message("wachtwoorden_verschillen"))],
    )


class NewAccountForm(RoleForm, EmailForm, PasswordForm):
    gebruikersnaam = StringField(
        _label("gebruikersnaam"),
        validators=[InputRequired(_fout("verplicht")), Length(max=80, message=_fout("te_lang")),
                    _AccountRules.username],
    )


def _errors(form: Form) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in form.errors.items()}


class AccountsAdmin:
    """The request handlers; `portal` is the EditorsPortal (login, rights, rendering)."""

    def __init__(self, portal):
        self.portal = portal

    def _message(self, key: str) -> str:
        return texts()["meldingen"][key]

    def _guard(self, request: Request, work):
        portal = self.portal

        def admin_only(db, user, rights):
            if not rights["beheerder"]:
                return portal.refused(request, "geen_rechten", 403, user)
            return work(db, user, rights)

        return portal.guarded(request, admin_only)

    def _redirect(self, request, path, key):
        # The flash text is looked up in the portal's messages; ours are passed by text.
        request.session["melding_tekst"] = self._message(key)
        return self.portal.redirect(request, path)

    def _render(self, request, name, context, user, rights, status=200):
        context = dict(context)
        context.setdefault("melding", request.session.pop("melding_tekst", None))
        context["teksten"] = texts()
        return self.portal.render(request, name, context, status, user=user, rights=rights)

    # -- the list and the new-account form ---------------------------------------
    async def list_page(self, request: Request):
        return await self._guard(request, lambda db, user, rights: self._list(request, db, user, rights,
                                                                                NewAccountForm()))

    def _list(self, request, db, user, rights, form, fout=None, status=200):
        users = db.execute(select(accounts.User).order_by(accounts.User.username)).scalars().all()
        context = {"gebruikers": [(u, accounts.roles_of(db, u)) for u in users], "form": form,
                   "fouten": _errors(form), "fout": fout}
        return self._render(request, "accounts.html", context, user, rights, status)

    async def create(self, request: Request):
        data = await self.portal.checked_form(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def work(db, user, rights):
            form = NewAccountForm(formdata=data)
            if not form.validate():
                return self._list(request, db, user, rights, form, self._message("niet_gemaakt"), 422)
            try:
                with db.begin_nested():
                    new = accounts.create_user(db, form.gebruikersnaam.data, form.wachtwoord.data,
                                               email=form.email.data)
                    accounts.grant(db, new, form.rol.data, form.soort.data, form.code.data)
            except accounts.AccountError as error:
                form.gebruikersnaam.errors = [error.message()]
                return self._list(request, db, user, rights, form, self._message("niet_gemaakt"), 422)
            return self._redirect(request, f"/accounts/{new.username}", "account_gemaakt")

        return await self._guard(request, work)

    # -- one account --------------------------------------------------------------
    def _detail(self, request, db, user, rights, account, forms=None, fout=None, status=200):
        forms = {"rol": RoleForm(), "email": EmailForm(data={"email": account.email or ""}),
                 "wachtwoord": PasswordForm(), **(forms or {})}
        fouten = {}
        for form in forms.values():
            fouten.update(_errors(form))
        context = {"account": account, "rollen": accounts.roles_of(db, account), "forms": forms,
                   "fouten": fouten, "fout": fout, "zelf": account.id == user.id}
        return self._render(request, "account.html", context, user, rights, status)

    def _account(self, db, request):
        return accounts.find_user(db, request.path_params["username"][:80])

    async def detail_page(self, request: Request):
        def work(db, user, rights):
            account = self._account(db, request)
            if account is None:
                return self._not_found(request, user, rights)
            return self._detail(request, db, user, rights, account)

        return await self._guard(request, work)

    def _not_found(self, request, user, rights):
        return self._render(request, "fout.html", {"fout": self._message("onbekend_account")}, user, rights, 404)

    def _change(self, request: Request, data, change):
        """POST on one account: change(db, user, account, data) -> response or a flash key."""

        def work(db, user, rights):
            account = self._account(db, request)
            if account is None:
                return self._not_found(request, user, rights)
            outcome = change(db, user, rights, account)
            if isinstance(outcome, str):
                return self._redirect(request, f"/accounts/{account.username}", outcome)
            return outcome

        return self._guard(request, work)

    async def _checked(self, request):
        return await self.portal.checked_form(request)

    async def add_role(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            form = RoleForm(formdata=data)
            if not form.validate():
                return self._detail(request, db, user, rights, account, {"rol": form},
                                    self._message("niet_opgeslagen"), 422)
            accounts.grant(db, account, form.rol.data, form.soort.data, form.code.data)
            return "rol_gegeven"

        return await self._change(request, data, change)

    async def remove_role(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            grant_id = str(data.get("grant") or "")
            grant = next((g for g in accounts.roles_of(db, account) if str(g.id) == grant_id), None)
            if grant is None:
                return self._detail(request, db, user, rights, account, fout=self._message("niet_opgeslagen"),
                                    status=422)
            if account.id == user.id and grant.role == "beheerder":
                return self._detail(request, db, user, rights, account,
                                    fout=self._message("niet_zelf_beheer_weg"), status=409)
            accounts.revoke_role(db, account, grant.role, grant.scope_kind, grant.scope_code)
            return "rol_weg"

        return await self._change(request, data, change)

    async def set_email(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            form = EmailForm(formdata=data)
            if not form.validate():
                return self._detail(request, db, user, rights, account, {"email": form},
                                    self._message("niet_opgeslagen"), 422)
            accounts.set_email(db, account, form.email.data)
            return "email_opgeslagen"

        return await self._change(request, data, change)

    async def set_password(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            form = PasswordForm(formdata=data)
            if not form.validate():
                return self._detail(request, db, user, rights, account, {"wachtwoord": form},
                                    self._message("niet_opgeslagen"), 422)
            accounts.set_password(db, account, form.wachtwoord.data)
            return "wachtwoord_gezet"

        return await self._change(request, data, change)

    async def disable(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            if account.id == user.id:
                return self._detail(request, db, user, rights, account,
                                    fout=self._message("niet_zelf_uitschakelen"), status=409)
            accounts.disable(db, account)
            return "uitgeschakeld"

        return await self._change(request, data, change)

    async def enable(self, request: Request):
        data = await self._checked(request)
        if data is None:
            return self.portal.refused(request, "formulier_verlopen", 403)

        def change(db, user, rights, account):
            accounts.enable(db, account)
            return "ingeschakeld"

        return await self._change(request, data, change)


def admin_routes(portal) -> list[Route]:
    admin = AccountsAdmin(portal)
    return [
        Route("/accounts", admin.list_page, methods=["GET"]),
        Route("/accounts", admin.create, methods=["POST"]),
        Route("/accounts/{username}", admin.detail_page, methods=["GET"]),
        Route("/accounts/{username}/rol", admin.add_role, methods=["POST"]),
        Route("/accounts/{username}/rol-weg", admin.remove_role, methods=["POST"]),
        Route("/accounts/{username}/email", admin.set_email, methods=["POST"]),
        Route("/accounts/{username}/wachtwoord", admin.set_password, methods=["POST"]),
        Route("/accounts/{username}/uitschakelen", admin.disable, methods=["POST"]),
        Route("/accounts/{username}/inschakelen", admin.enable, methods=["POST"]),
    ]
