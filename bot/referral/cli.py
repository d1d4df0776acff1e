"""`welzijnswijzer verwijzer organisatie-add|organisaties|add`: referrer organisations and
verwijzer accounts (a beheerder's job; the /verwijzer/beheer page does the same).
Also `welzijnswijzer fhir export|import` (bot.referral.fhir). Dutch output."""

from __future__ import annotations

import sys

from bot.settings import Settings


def _settings() -> Settings:
    from bot.handoff.db import migrate

    settings = Settings.from_env()
    migrate(settings.database_url)
    return settings


def organisation_add(args) -> int:
    from bot.handoff.db import session_scope
    from bot.referral import professional

    settings = _settings()
    try:
        with session_scope(settings.database_url) as db:
            org = professional.add_organisation(db, args.code, args.naam, args.soort, args.email)
            print(f"organisatie {org.code} ({org.naam}) aangemaakt")
    except professional.OrganisationError as exc:
        print(professional.messages()[exc.reason], file=sys.stderr)
        return 2
    return 0


def organisation_list(args) -> int:
    from sqlalchemy import select

    from bot.handoff.db import session_scope
    from bot.handoff.models import ReferrerOrganisation

    settings = _settings()
    with session_scope(settings.database_url) as db:
        for org in db.execute(select(ReferrerOrganisation).order_by(ReferrerOrganisation.code)).scalars():
            print(f"{org.code}\t{org.soort}\t{org.naam}\t{org.email or '-'}")
    return 0


def referrer_add(args) -> int:
    from bot import accounts
    from bot.accounts.cli import read_password
    from bot.handoff.db import session_scope
    from bot.referral import professional

    settings = _settings()
    try:
        password = read_password(args.password_stdin)
        with session_scope(settings.database_url) as db:
            user = professional.add_referrer(db, args.username, password, args.organisatie)
            print(f"verwijzer {user.username} aangemaakt voor {args.organisatie}")
    except professional.OrganisationError as exc:
        print(professional.messages()[exc.reason], file=sys.stderr)
        return 2
    except accounts.AccountError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    return 0


def fhir_export(args) -> int:
    from sqlalchemy import select

    from bot.handoff.crypto import Cipher
    from bot.handoff.db import session_scope
    from bot.handoff.models import HandoffRequest
    from bot.handoff.store import normalise_reference_code
    from bot.referral import fhir

    settings = _settings()
    with session_scope(settings.database_url) as db:
        request = db.execute(
            select(HandoffRequest).where(
                HandoffRequest.reference_code == normalise_reference_code(args.referentie)
            )
        ).scalar_one_or_none()
        if request is None:
            print("deze aanvraag bestaat niet", file=sys.stderr)
            return 2
        print(fhir.dumps(fhir.export_bundle(request, Cipher(settings.fernet_keys))))
    return 0


def fhir_import(args) -> int:
    import json

    from bot.handoff.crypto import Cipher
    from bot.handoff.db import session_scope
    from bot.handoff.routing import TeamRouting
    from bot.handoff.store import notify_channels
    from bot.referral import fhir
    from bot.referral.core import ReferralError

    settings = _settings()
    try:
        with open(args.bestand, encoding="utf-8") as handle:
            bundle = json.load(handle)
        with session_scope(settings.database_url) as db:
            opened = fhir.import_bundle(
                db,
                bundle,
                Cipher(settings.fernet_keys),
                TeamRouting.load(getattr(settings, "teams_file", None)),
                notify_channels(settings),
                system=args.systeem,
            )
            word = "aangemaakt" if opened.created else "bestond al"
            print(f"verwijzing {opened.request.reference_code} {word} ({opened.request.team_naam})")
    except (OSError, ValueError, fhir.FhirError, ReferralError) as exc:
        print(f"niet ingelezen: {exc}", file=sys.stderr)
        return 2
    return 0


def register(subparsers) -> None:
    from bot.referral.outcomes import labels

    group = subparsers.add_parser("verwijzer", help="verwijzende organisaties en verwijzers").add_subparsers(
        dest="verwijzer_command", required=True
    )
    add = group.add_parser("organisatie-add", help="organisatie (praktijk) aanmaken")
    add.add_argument("code", help="code, bijv. huisartsen-de-linde")
    add.add_argument("--naam", required=True)
    add.add_argument("--soort", required=True, choices=sorted(labels()["soorten_verwijzer"]))
    add.add_argument("--email", help="adres voor meldingen over terugkoppeling (geen persoonsgegevens)")
    add.set_defaults(handler=organisation_add)
    group.add_parser("organisaties", help="alle organisaties").set_defaults(handler=organisation_list)
    user = group.add_parser("add", help="verwijzer-account aanmaken (vraagt om een wachtwoord)")
    user.add_argument("username")
    user.add_argument("--organisatie", required=True, help="code van de organisatie")
    user.add_argument("--password-stdin", action="store_true", help="wachtwoord van stdin lezen (scripts)")
    user.set_defaults(handler=referrer_add)

    bridge = subparsers.add_parser("fhir", help="verwijzingen als HL7 FHIR R4 (docs/fhir.md)").add_subparsers(
        dest="fhir_command", required=True
    )
    export = bridge.add_parser("export", help="een verwijzing en haar terugkoppeling als FHIR-Bundle (JSON)")
    export.add_argument("referentie")
    export.set_defaults(handler=fhir_export)
    load = bridge.add_parser(
        "import", help="een ServiceRequest (Bundle, JSON-bestand) als verwijzing inlezen"
    )
    load.add_argument("bestand")
    load.add_argument("--systeem", default="fhir", help="naam van het verwijssysteem (bijv. zorgdomein)")
    load.set_defaults(handler=fhir_import)
