"""`welzijnswijzer verwijzer ...` and `welzijnswijzer fhir export|import` as real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

from coach_testdata import make_settings
from sqlalchemy import select

from bot import accounts
from bot.handoff.db import session_scope
from bot.handoff.models import HandoffRequest

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, stdin=""):
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    return result.returncode, result.stdout, result.stderr


def test_organisations_referrers_and_fhir_from_the_command_line(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    code, out, _ = _cli(
        "verwijzer",
        "organisatie-add",
        "linde",
        "--naam",
        "Huisartsenpraktijk De Linde",
        "--soort",
        "huisartsenpraktijk",
        "--email",
        "linde@example.org",
    )
    assert code == 0 and "linde" in out
    assert _cli("verwijzer", "organisatie-add", "linde", "--naam", "x", "--soort", "fysiotherapie")[0] == 2
    code, out, _ = _cli(
        "verwijzer",
        "add",
        "dr.jansen",
        "--organisatie",
        "linde",
        "--password-stdin",
        stdin="een-lang-wachtwoord\n",
    )
    assert code == 0 and "dr.jansen" in out
    code, _, err = _cli(
        "verwijzer",
        "add",
        "dr.x",
        "--organisatie",
        "onbekend",
        "--password-stdin",
        stdin="een-lang-wachtwoord\n",
    )
    assert code == 2 and "bestaat niet" in err
    with session_scope(settings.database_url) as db:
        user = accounts.find_user(db, "dr.jansen")
        assert accounts.scopes(db, user, "verwijzer", accounts.SCOPE_ORGANISATION) == {"linde"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111",
                "resource": {
                    "resourceType": "ServiceRequest",
                    "id": "11111111-1111-4111-8111-111111111111",
                    "status": "active",
                    "intent": "order",
                    "identifier": [{"system": "https://zorgdomein.example/verwijzing", "value": "ZD-1"}],
                    "subject": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                    "extension": [
                        {
                            "url": "https://welzijnswijzer.nl/fhir/StructureDefinition/toestemming",
                            "extension": [
                                {"url": "versie", "valueString": "zd-1"},
                                {"url": "sha256", "valueString": "d" * 64},
                            ],
                        },
                        {
                            "url": "https://welzijnswijzer.nl/fhir/StructureDefinition/verwijzende-organisatie",
                            "valueIdentifier": {"value": "linde"},
                        },
                    ],
                    "locationCode": [
                        {
                            "coding": [
                                {
                                    "system": "https://www.cbs.nl/gemeentecode",
                                    "code": "GM0362",
                                    "display": "Amstelveen",
                                }
                            ]
                        }
                    ],
                    "note": [{"text": "Zoekt contact met mensen in de buurt."}],
                },
            },
            {
                "fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222",
                "resource": {
                    "resourceType": "Patient",
                    "id": "22222222-2222-4222-8222-222222222222",
                    "name": [{"given": ["Piet"], "family": "Bakker"}],
                    "telecom": [{"system": "phone", "value": "020-1234567"}],
                },
            },
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    code, out, err = _cli("fhir", "import", str(path), "--systeem", "zorgdomein")
    assert code == 0 and "aangemaakt" in out, err
    assert "Piet" not in out + err and "1234567" not in out + err  # no contact detail on the screen
    with session_scope(settings.database_url) as db:
        request = db.execute(select(HandoffRequest)).scalar_one()
        assert (request.source, request.referrer_org_code, request.gemeente_naam) == (
            "api",
            "linde",
            "Amstelveen",
        )
    code, out, _ = _cli("fhir", "export", request.reference_code)
    exported = json.loads(out)
    assert code == 0 and exported["entry"][0]["resource"]["identifier"][0]["value"] == request.reference_code
    # The same ServiceRequest from the same system again: one referral.
    assert "bestond al" in _cli("fhir", "import", str(path), "--systeem", "zorgdomein")[1]
