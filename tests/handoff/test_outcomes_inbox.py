"""Outcomes and feedback recorded by the coach in the inbox (real app, real SQLite)."""

import re

import pytest
from coach_testdata import add_coach, add_request, add_team, make_settings
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.models import (
    AuditLogEntry,
    HandoffRequest,
    OutboxMessage,
    ReferrerOrganisation,
    StatusChange,
)
from bot.web.inbox import create_inbox_app

PASSWORD = "lang-en-geheim-wachtwoord"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    versa = add_team(settings)
    add_coach(settings, versa, "anna", PASSWORD)
    request_id, reference = add_request(settings, versa)
    with session_scope(settings.database_url) as db:
        db.add(
            ReferrerOrganisation(
                code="praktijk-linde",
                naam="Huisartsenpraktijk De Linde",
                soort="huisartsenpraktijk",
                email="praktijk@example.org",
            )
        )
        request = db.get(HandoffRequest, request_id)
        request.source, request.referrer_org_code = "verwijzer", "praktijk-linde"
    client = TestClient(
        Starlette(routes=[Mount("/coach", create_inbox_app(settings))]), follow_redirects=False
    )
    page = client.get("/coach/inloggen")
    client.post(
        "/coach/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD, "csrf": _csrf(page.text)}
    )
    return settings, client, request_id, reference


def _post(client, reference, action, data):
    page = client.get(f"/coach/aanvragen/{reference}")
    return client.post(f"/coach/aanvragen/{reference}/{action}", data={**data, "csrf": _csrf(page.text)})


def test_contact_outcome_and_feedback_are_recorded_with_history(world):
    settings, client, request_id, reference = world
    page = client.get(f"/coach/aanvragen/{reference}")
    assert "Huisartsenpraktijk De Linde" in page.text and "Huisbezoek" in page.text
    today = re.search(r'name="datum" required max="([0-9-]+)"', page.text).group(1)
    assert _post(client, reference, "contact", {"datum": today, "manier": "huisbezoek"}).status_code == 303
    response = _post(
        client,
        reference,
        "uitkomst",
        {
            "uitkomst": "doorverwezen naar andere hulp",
            "andere_hulp": "schuldhulp",
            "gesprekken": "3",
            "activiteit": "Koffieochtend in de bibliotheek",
        },
    )
    assert response.status_code == 303
    response = _post(
        client, reference, "terugkoppeling", {"terugkoppeling": "Mevrouw gaat naar de schuldhulp."}
    )
    assert response.status_code == 303
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert request.contact_way == "huisbezoek" and request.first_contact_at.date().isoformat() == today
        assert (request.outcome, request.outcome_detail) == ("doorverwezen naar andere hulp", "schuldhulp")
        assert request.conversations == 3 and request.activity == "Koffieochtend in de bibliotheek"
        assert request.status == "afgerond" and request.closed_at is not None
        assert (
            Cipher(settings.fernet_keys).decrypt(request.feedback_encrypted)
            == "Mevrouw gaat naar de schuldhulp."
        )
        history = [
            (h.status, h.actor)
            for h in db.execute(
                select(StatusChange).where(StatusChange.request_id == request_id).order_by(StatusChange.id)
            ).scalars()
        ]
        assert history[1:] == [("in contact", "anna"), ("afgerond", "anna")]
        actions = [
            a.action for a in db.execute(select(AuditLogEntry).where(AuditLogEntry.actor == "anna")).scalars()
        ]
        assert {"eerste_contact", "uitkomst", "terugkoppeling"} <= set(actions)
        notice = db.execute(
            select(OutboxMessage).where(OutboxMessage.kind.like("terugkoppeling-%"))
        ).scalar_one()
        assert notice.payload == {
            "soort": "terugkoppeling",
            "referentie": reference,
            "recipient": "praktijk@example.org",
        }


def test_feedback_with_medical_terms_is_refused_and_kept_in_the_form(world):
    settings, client, request_id, reference = world
    response = _post(
        client,
        reference,
        "terugkoppeling",
        {"terugkoppeling": "Ze gebruikt sertraline 50 mg en is gestart bij de wandelgroep."},
    )
    assert response.status_code == 400
    assert "sertraline" in response.text and "50 mg" in response.text and "medische gegevens" in response.text
    assert "is gestart bij de wandelgroep" in response.text  # what the coach typed is kept
    with session_scope(settings.database_url) as db:
        assert db.get(HandoffRequest, request_id).feedback_encrypted is None
        assert (
            db.execute(select(OutboxMessage).where(OutboxMessage.kind.like("terugkoppeling-%"))).first()
            is None
        )


def test_success_needs_first_contact_and_other_help_needs_its_kind(world):
    settings, client, request_id, reference = world
    response = _post(client, reference, "uitkomst", {"uitkomst": "succesvol doorverwezen"})
    assert response.status_code == 400 and "Leg eerst het eerste contact vast" in response.text
    response = _post(client, reference, "uitkomst", {"uitkomst": "doorverwezen naar andere hulp"})
    assert response.status_code == 400 and "naar welke hulp" in response.text
    response = _post(client, reference, "contact", {"datum": "2999-01-01", "manier": "telefonisch"})
    assert response.status_code == 400
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert request.outcome is None and request.first_contact_at is None and request.status == "nieuw"


def test_feedback_notice_to_the_practice_carries_no_personal_data(world):
    from bot.handoff.notify import render
    from bot.handoff.sender import build_notification

    settings, client, request_id, reference = world
    _post(client, reference, "terugkoppeling", {"terugkoppeling": "Meneer Testpersoon komt nu elke week."})
    with session_scope(settings.database_url) as db:
        notice = db.execute(
            select(OutboxMessage).where(OutboxMessage.kind.like("terugkoppeling-%"))
        ).scalar_one()
        notification = build_notification(db, notice.id, settings)
    subject, body = render(notification)
    assert notification.recipient == "praktijk@example.org"
    assert reference in subject and f"/verwijzer/verwijzingen/{reference}" in body
    for secret in ("Test Inwoner", "0612345678", "Testpersoon", "elke week"):
        assert secret not in subject + body


def test_feedback_is_rotated_with_the_keys_and_purged_with_the_contact_details(world):
    import dataclasses
    from datetime import timedelta

    from cryptography.fernet import Fernet

    from bot.handoff.crypto import rotate
    from bot.handoff.models import utcnow
    from bot.handoff.purge import purge_contact_details

    settings, client, request_id, reference = world
    _post(client, reference, "terugkoppeling", {"terugkoppeling": "Loopt mee met de wandelgroep."})
    new_key = Fernet.generate_key().decode()
    with session_scope(settings.database_url) as db:
        rotate(db, Cipher([new_key, *settings.fernet_keys]))
    rotated = dataclasses.replace(settings, fernet_keys=(new_key,))  # the old key is gone
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert (
            Cipher(rotated.fernet_keys).decrypt(request.feedback_encrypted) == "Loopt mee met de wandelgroep."
        )
        request.status, request.closed_at = "afgerond", utcnow() - timedelta(days=200)
    with session_scope(settings.database_url) as db:
        assert purge_contact_details(db, utcnow() - timedelta(days=90), utcnow()) == 1
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert request.feedback_encrypted is None and request.contact_encrypted is None
