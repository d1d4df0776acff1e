"""The resident's opt-in at hand-off for a pickup message (bot/handoff/pickup.py), on a
real, migrated SQLite database: stored with the request, due when a coach picks the
request up, shown once on the web (the real web app's history endpoint), delivered on
Telegram by the real sender code to a Bot API stand-in, gone with purge and deletion.
The end-to-end runs through Rasa are in test_pickup_notice_e2e.py."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from coach_testdata import add_coach, add_request, add_team, make_settings
from handoff_standins import BotApiStandIn
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.handoff import casework, outbox, pickup
from bot.handoff.crypto import sender_hash
from bot.handoff.db import make_engine, session_scope
from bot.handoff.models import AuditLogEntry, Coach, HandoffRequest, OutboxMessage, PickupNotice
from bot.handoff.notify import Notifier
from bot.handoff.purge import RetentionPolicy, purge_all
from bot.handoff.sender import deliver_due
from bot.handoff.store import HandoffStore
from bot.referral import outcomes

TOKEN = "135790:pickup-test"
NAME, PHONE = "Pieternel Ophaalstra", "0687654321"


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    coach_id = add_coach(settings, team, "anna", "lang-en-geheim-wachtwoord")
    return settings, team, coach_id


def _chat_request(settings, team, sender_id: str) -> str:
    """A chat request of the conversation `sender_id` (its sender hash, as the chat stores it)."""
    _id, code = add_request(settings, team, name=NAME, contact=PHONE)
    with session_scope(settings.database_url) as session:
        request = session.execute(
            select(HandoffRequest).where(HandoffRequest.reference_code == code)).scalar_one()
        request.sender_hash = sender_hash(settings.secret_key, sender_id)
    return code


def _claim(settings, coach_id, code):
    with session_scope(settings.database_url) as session:
        coach = session.get(Coach, coach_id)
        casework.claim(session, coach, casework.find_request(session, coach, code))


def _count(settings, model, *where) -> int:
    with session_scope(settings.database_url) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_the_marker_is_taken_out_of_rasas_replies():
    replies = [{"recipient_id": "s", "text": "Goed."},
               {"recipient_id": "s", "custom": {"ophaalbericht": "WW-ABC234"}}]
    rest, code = pickup.take_marker(replies)
    assert code == "WW-ABC234" and rest == [{"recipient_id": "s", "text": "Goed."}]
    assert pickup.take_marker([{"text": "hoi"}]) == ([{"text": "hoi"}], None)


def test_web_notice_is_due_when_a_coach_picks_up_and_shown_once(world):
    settings, team, coach_id = world
    code = _chat_request(settings, team, "web-resident-1")
    notices = pickup.PickupNotices.from_settings(settings)
    assert notices.register("web-resident-1", code, "web", web_token="browser-token-1")
    with session_scope(settings.database_url) as session:
        notice = session.execute(select(PickupNotice)).scalar_one()
        assert notice.token_hash == pickup.token_hash("browser-token-1") != "browser-token-1"
        assert notice.address_encrypted is None and notice.due_at is None
    assert notices.web_visit("browser-token-1") == ([], True)  # not picked up yet: keep the cookie
    _claim(settings, coach_id, code)
    texts, keep = notices.web_visit("browser-token-1")
    assert texts == [pickup.notice_text()] and keep is False
    assert "opgepakt" in texts[0]
    for personal in (code, NAME, "Pieternel", PHONE, "Hilversum"):
        assert personal not in texts[0]
    assert notices.web_visit("browser-token-1") == ([], False)  # once
    assert notices.web_visit("another-browser") == ([], False)
    assert _count(settings, AuditLogEntry, AuditLogEntry.action == "ophaalbericht_getoond") == 1


def test_first_contact_recorded_in_the_outcome_form_also_counts_as_picked_up(world):
    settings, team, coach_id = world
    code = _chat_request(settings, team, "web-resident-2")
    pickup.PickupNotices.from_settings(settings).register("web-resident-2", code, "web", web_token="t2")
    with session_scope(settings.database_url) as session:
        coach = session.get(Coach, coach_id)
        outcomes.record_first_contact(session, coach, casework.find_request(session, coach, code),
                                      date.today(), "telefonisch")
    assert pickup.PickupNotices.from_settings(settings).web_visit("t2")[0] == [pickup.notice_text()]


def test_only_the_conversation_that_made_the_request_can_opt_in(world):
    settings, team, _coach = world
    code = _chat_request(settings, team, "web-resident-3")
    notices = pickup.PickupNotices.from_settings(settings)
    assert not notices.register("web-someone-else", code, "web", web_token="t3")
    assert not notices.register("web-resident-3", "WW-ZZZZZZ", "web", web_token="t3")
    assert not notices.register("web-resident-3", code, "web")  # no browser token: nothing stored
    assert not notices.register("web-resident-3", code, "sms", web_token="t3")
    assert _count(settings, PickupNotice) == 0
    replies, stored = notices.take_reply("web-someone-else", "web", [{"custom": {"ophaalbericht": code}}],
                                         web_token="t3")
    assert not stored and replies == [{"text": pickup.failed_text()}]  # told honestly


def test_telegram_notice_goes_through_the_outbox_to_the_residents_chat(world):
    settings, team, coach_id = world
    code = _chat_request(settings, team, "tg-resident-4")
    notices = pickup.PickupNotices.from_settings(settings)
    assert notices.register("tg-resident-4", code, "telegram", chat_id="7770001")
    with session_scope(settings.database_url) as session:
        notice = session.execute(select(PickupNotice)).scalar_one()
        assert notice.address_encrypted and "7770001" not in notice.address_encrypted
        assert notice.token_hash is None
    assert _count(settings, OutboxMessage, OutboxMessage.kind == pickup.KIND) == 0
    _claim(settings, coach_id, code)
    _claim(settings, coach_id, code)  # a second click queues nothing more
    with session_scope(settings.database_url) as session:
        [row] = session.execute(select(OutboxMessage).where(OutboxMessage.kind == pickup.KIND)).scalars()
        assert row.channel == "telegram" and row.payload == {"soort": "ophaalbericht"}
    with BotApiStandIn(TOKEN) as botapi:
        sending = dataclasses.replace(settings, telegram_bot_token=TOKEN,
                                      telegram_api_base_url=botapi.base_url)
        policy = outbox.OutboxPolicy.from_settings(sending)
        engine = make_engine(settings.database_url)
        assert deliver_due(engine, sending, Notifier(sending), "test", policy) == 1
        assert [(chat, text.strip()) for chat, text in botapi.sent] == [("7770001", pickup.notice_text())]
        for personal in (code, NAME, PHONE):
            assert personal not in botapi.sent[0][1]


def test_purge_and_deletion_take_the_opt_in_with_them(world):
    settings, team, coach_id = world
    notices = pickup.PickupNotices.from_settings(settings)
    closed = _chat_request(settings, team, "tg-resident-5")
    deleted = _chat_request(settings, team, "web-resident-6")
    assert notices.register("tg-resident-5", closed, "telegram", chat_id="7770005")
    assert notices.register("web-resident-6", deleted, "web", web_token="t6")
    with session_scope(settings.database_url) as session:
        coach = session.get(Coach, coach_id)
        casework.change_status(session, coach, casework.find_request(session, coach, closed), "afgerond")
    purge_all(dataclasses.replace(settings), dataclasses.replace(RetentionPolicy.from_settings(settings),
                                                                  contact_days=0, tracker_db=None))
    assert _count(settings, PickupNotice) == 1
    store = HandoffStore.from_settings(settings)
    assert store.delete_for_sender("web-resident-6") == [deleted]
    assert _count(settings, PickupNotice) == 0
    # A closed request takes no new opt-in.
    assert not notices.register("tg-resident-5", closed, "telegram", chat_id="7770005")


def test_history_endpoint_of_the_web_app_shows_the_notice_once(world):
    from bot.web.app import create_app
    from bot.web.status.pickup import COOKIE_NAME, WebPickup

    settings, team, coach_id = world
    code = _chat_request(settings, team, "web-resident-7")
    pickup.PickupNotices.from_settings(settings).register("web-resident-7", code, "web", web_token="t7")
    cookie = WebPickup(settings)._signer.sign("t7").decode()
    with TestClient(create_app(settings)) as client:
        client.cookies.set(COOKIE_NAME, cookie)
        before = client.get("/api/chat/geschiedenis")
        assert before.json() == {"messages": []} and "set-cookie" not in before.headers
        _claim(settings, coach_id, code)
        shown = client.get("/api/chat/geschiedenis")
        assert [m["text"] for m in shown.json()["messages"]] == [pickup.notice_text()]
        assert f'{COOKIE_NAME}=""' in shown.headers["set-cookie"]  # shown: the browser forgets the token
        client.cookies.set(COOKIE_NAME, cookie)
        assert client.get("/api/chat/geschiedenis").json() == {"messages": []}
        forged = WebPickup(dataclasses.replace(settings, secret_key="x" * 40))._signer.sign("t7").decode()
        client.cookies.set(COOKIE_NAME, forged)
        assert client.get("/api/chat/geschiedenis").json() == {"messages": []}
