"""The professional referral (welzijnsrecept): validate the referrer's form and open it
through the referral core. No web or Rasa import: bot.web.verwijzer calls this.

A referrer's practice is the organisation scope of their bot.accounts role
"verwijzer"; they see only referrals of their own practice(s).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import select

from bot import accounts
from bot.handoff import validation
from bot.handoff.crypto import Cipher, sender_hash
from bot.handoff.models import MOMENTS, HandoffRequest, ReferrerOrganisation
from bot.handoff.routing import TeamRouting
from bot.referral.core import (
    SOURCE_VERWIJZER,
    ConsentGiven,
    NewReferral,
    Opened,
    SealedContact,
    open_referral,
)
from bot.referral.medical_check import find_medical
from bot.referral.outcomes import labels

HERE = Path(__file__).resolve().parent
MAX_REASON_CHARS = 500
ORG_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,118}$")


@lru_cache(maxsize=1)
def messages() -> dict[str, str]:
    with open(HERE / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class ReferrerConsent:
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def referrer_consent() -> ReferrerConsent:
    with open(HERE / "consent_verwijzer.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return ReferrerConsent(str(data["versie"]), data["tekst"].strip())


@dataclass
class ReferralForm:
    """What the referrer typed, as strings (kept to show the form again)."""

    form_id: str = ""
    naam: str = ""
    contact: str = ""
    moment: str = ""
    woonplaats: str = ""
    gemeente_code: str = ""
    themas: list[str] = field(default_factory=list)
    reden: str = ""
    toestemming: bool = False


@dataclass
class CheckedForm:
    errors: dict[str, str]  # field -> Dutch message
    medical: list[str]  # medical words found in the reason
    candidates: list[tuple[str, str]]  # (code, naam) when the place is ambiguous
    gemeente_code: str | None = None
    gemeente_naam: str | None = None
    contact: validation.ContactDetail | None = None
    naam: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.medical


def check_form(form: ReferralForm) -> CheckedForm:
    from sociale_kaart.places import PlaceResolver
    from sociale_kaart.taxonomy import load_taxonomy

    text = messages()
    taxonomy = load_taxonomy()
    checked = CheckedForm(errors={}, medical=[], candidates=[])
    checked.naam = validation.person_name(form.naam)
    if not checked.naam:
        checked.errors["naam"] = text["naam_nodig"]
    checked.contact = validation.contact_detail(form.contact.strip())
    if checked.contact is None:
        checked.errors["contact"] = text["contact_ongeldig"]
    if form.moment not in MOMENTS:
        checked.errors["moment"] = text["moment_kiezen"]
    if form.gemeente_code and form.gemeente_code in taxonomy.municipalities:
        municipality = taxonomy.municipalities[form.gemeente_code]
        checked.gemeente_code, checked.gemeente_naam = municipality.code, municipality.naam
    elif not form.woonplaats.strip():
        checked.errors["woonplaats"] = text["plaats_nodig"]
    else:
        resolution = PlaceResolver.default().resolve(form.woonplaats.strip())  # as in the chat
        if resolution.found:
            checked.gemeente_code = resolution.municipality.code
            checked.gemeente_naam = resolution.municipality.naam
        elif resolution.status == "ambiguous" and resolution.candidates:
            checked.errors["woonplaats"] = text["plaats_meerdere"]
            checked.candidates = [(m.code, m.naam) for m in resolution.candidates]
        else:
            checked.errors["woonplaats"] = text["plaats_onbekend"]
    if any(code not in taxonomy.themes for code in form.themas):
        checked.errors["themas"] = text["thema_onbekend"]
    reason = (validation.note(form.reden) or "").strip()
    if not reason:
        checked.errors["reden"] = text["reden_nodig"]
    elif len(reason) > MAX_REASON_CHARS:
        checked.errors["reden"] = text["reden_te_lang"]
    checked.medical = find_medical(form.reden)
    if not form.toestemming:
        checked.errors["toestemming"] = text["toestemming_nodig"]
    return checked


def submit(
    db,
    cipher: Cipher,
    secret_key: str,
    routing: TeamRouting,
    channels: list[str],
    user: accounts.User,
    org_code: str,
    form: ReferralForm,
) -> tuple[CheckedForm, Opened | None]:
    """Check the form and, when it passes, open the referral (in `db`'s transaction)."""
    checked = check_form(form)
    if org_code not in referrer_org_codes(db, user):
        raise PermissionError("not a referrer of this organisation")
    if not checked.ok or not form.form_id:
        return checked, None
    consent = referrer_consent()
    digest = sender_hash(secret_key, f"verwijzer:{form.form_id}")
    opened = open_referral(
        db,
        NewReferral(
            source=SOURCE_VERWIJZER,
            actor=f"verwijzer:{user.username}",
            idempotency_key=f"verwijzer-{hashlib.sha256(form.form_id.encode()).hexdigest()[:40]}",
            sender_hash=digest,
            channel="verwijzer",
            contact=SealedContact(
                name_encrypted=cipher.encrypt(checked.naam),
                contact_encrypted=cipher.encrypt(checked.contact.value),
                contact_route=checked.contact.route,
                note_encrypted=cipher.encrypt(form.reden.strip()),
            ),
            preferred_moment=form.moment,
            gemeente_code=checked.gemeente_code,
            gemeente_naam=checked.gemeente_naam,
            themes=list(dict.fromkeys(form.themas)),
            referrer_org_code=org_code,
            referrer_user_id=user.id,
        ),
        ConsentGiven(consent.version, consent.sha256, "verwijzer"),
        routing,
        channels,
    )
    return checked, opened


# -- what a referrer may see -------------------------------------------
def referrer_org_codes(db, user: accounts.User) -> set[str]:
    return accounts.scopes(db, user, "verwijzer", accounts.SCOPE_ORGANISATION)


def organisations(db, codes) -> list[ReferrerOrganisation]:
    if not codes:
        return []
    return list(
        db.execute(
            select(ReferrerOrganisation)
            .where(ReferrerOrganisation.code.in_(sorted(codes)))
            .order_by(ReferrerOrganisation.naam)
        ).scalars()
    )


def referrals_of(db, user: accounts.User) -> list[HandoffRequest]:
    codes = referrer_org_codes(db, user)
    if not codes:
        return []
    return list(
        db.execute(
            select(HandoffRequest)
            .where(HandoffRequest.referrer_org_code.in_(sorted(codes)))
            .order_by(HandoffRequest.created_at.desc(), HandoffRequest.id.desc())
        ).scalars()
    )


def referral_of(db, user: accounts.User, reference_code: str) -> HandoffRequest | None:
    """The referral with this code when it is of one of the user's practices, else None."""
    codes = referrer_org_codes(db, user)
    request = db.execute(
        select(HandoffRequest).where(HandoffRequest.reference_code == reference_code)
    ).scalar_one_or_none()
    if request is None or request.referrer_org_code not in codes:
        return None
    return request


def status_text(request: HandoffRequest) -> str:
    return labels()["status_voor_verwijzer"].get(request.status, request.status)


# -- beheer ------------------------------------------------------------
class OrganisationError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def add_organisation(db, code: str, naam: str, soort: str, email: str | None = None) -> ReferrerOrganisation:
    code, naam = code.strip().lower(), " ".join(naam.split())
    email = validation.normalise_email(email) if email and email.strip() else None
    if not ORG_CODE.match(code) or not naam or soort not in labels()["soorten_verwijzer"]:
        raise OrganisationError("organisatie_ongeldig")
    if db.execute(select(ReferrerOrganisation.id).where(ReferrerOrganisation.code == code)).first():
        raise OrganisationError("organisatie_bestaat")
    org = ReferrerOrganisation(code=code, naam=naam[:200], soort=soort, email=email)
    db.add(org)
    db.flush()
    return org


def add_referrer(db, username: str, password: str, org_code: str) -> accounts.User:
    """A verwijzer account for one practice (bot.accounts; AccountError on a bad name or password)."""
    if not db.execute(select(ReferrerOrganisation.id).where(ReferrerOrganisation.code == org_code)).first():
        raise OrganisationError("organisatie_onbekend")
    user = accounts.create_user(db, username, password)
    accounts.grant(db, user, "verwijzer", accounts.SCOPE_ORGANISATION, org_code)
    return user
