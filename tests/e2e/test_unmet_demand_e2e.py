"""Unmet demand and "Klopt dit niet?" through the real stack (web app, Rasa with the trained
model, action server, SQLite): residents in Haarlemmermeer search for company while the
catalogue has (1) local activities, (2) only region-wide and online ones, (3) nothing. The
report at /redactie/vraag (CSV over HTTP, an editor logged in) counts each outcome once, and
the counter table holds codes and counts only: nothing the residents typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import String, inspect, select, update
from support.stack import ChatClient, texts

from bot import accounts
from bot.handoff.db import session_scope
from sociale_kaart import demand, models, signals
from sociale_kaart.db import make_engine
from sociale_kaart.taxonomy import load_taxonomy

pytestmark = pytest.mark.e2e

GEMEENTE = "GM0394"  # Haarlemmermeer: its own region, no other e2e test searches there
THEME = "eenzaamheid"
WORRY = "ik voel me eenzaam"
PLACE = "Hoofddorp"
ANSWER = "weet ik niet"
EDITOR, PASSWORD = "redactie-e2e", "lang-en-geheim-wachtwoord-e2e"
_A = models.Activity.__table__
_AM = models.ActivityMunicipality.__table__


def search(stack) -> tuple[list[dict], ChatClient, str]:
    """A new resident looks for company in Hoofddorp and answers "weet ik niet" when asked
    what they enjoy. The last reply, the chat, and the whole conversation (for messages)."""
    chat = ChatClient(stack)
    said: list[str] = []
    messages = []
    for text in (WORRY, PLACE, ANSWER, ANSWER):
        messages = chat.say(text)
        said += [text, texts(messages)]
        if text != WORRY and (any(m.get("card") for m in messages) or "niets gevonden" in texts(messages)):
            break
    return messages, chat, "\n".join(said)


@contextmanager
def ended(engine, condition):
    """Activities matching `condition` are ended for a moment (and restored afterwards); the
    changed date makes the action server's match index rebuild."""
    with engine.begin() as connection:
        saved = connection.execute(select(_A.c.id, _A.c.status).where(condition)).all()
        connection.execute(
            update(_A)
            .where(_A.c.id.in_([key for key, _ in saved]))
            .values(status="beeindigd", laatst_gewijzigd_op=dt.datetime.utcnow())
        )
    try:
        yield
    finally:
        with engine.begin() as connection:
            for key, status in saved:
                connection.execute(
                    update(_A)
                    .where(_A.c.id == key)
                    .values(status=status, laatst_gewijzigd_op=dt.datetime.utcnow())
                )


def editor_client(stack) -> httpx.Client:
    with session_scope(stack.settings.database_url) as db:
        if accounts.find_user(db, EDITOR) is None:
            user = accounts.create_user(db, EDITOR, PASSWORD)
            accounts.grant(db, user, "beheerder", accounts.SCOPE_ALL)
    client = httpx.Client(base_url=stack.web_url, timeout=30)
    page = client.get("/redactie/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/redactie/inloggen", data={"gebruikersnaam": EDITOR, "wachtwoord": PASSWORD, "csrf": token}
    )
    assert response.status_code == 303, response.text
    return client


def counts_in_report(client: httpx.Client) -> dict[str, int]:
    response = client.get("/redactie/vraag/vraag.csv", params={"regio": "Haarlemmermeer", "weken": "4"})
    assert response.status_code == 200
    for row in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))):
        if (row["thema"], row["gemeente"]) == (THEME, GEMEENTE):
            return {outcome: int(row[outcome]) for outcome in demand.OUTCOMES}
    return dict.fromkeys(demand.OUTCOMES, 0)


def test_no_match_conversations_are_counted_and_nothing_typed_is_stored(stack):
    engine = make_engine(stack.settings.database_url)
    editor = editor_client(stack)
    before = counts_in_report(editor)
    chats = []
    try:
        # 1. Local activities: found in the gemeente itself.
        messages, chat, conversation = search(stack)
        chats.append(chat)
        cards = [m["card"] for m in messages if m.get("card")]
        assert cards, conversation
        # "Klopt dit niet?" on the first card, through the same conversation cookie.
        answer = chat.http.post(
            "/api/chat/melding", json={"activiteit": cards[0]["id"], "reden": "tijd_plaats"}
        )
        assert answer.status_code == 200 and answer.json()["ok"] == "bedankt", answer.text

        local = _A.c.id.in_(select(_AM.c.activity_id).where(_AM.c.municipality_code == GEMEENTE))
        with ended(engine, local):
            # 2. Nothing local: only region-wide or online activities.
            messages, chat, conversation = search(stack)
            chats.append(chat)
            assert "In Haarlemmermeer vond ik niets dat precies past" in texts(messages), conversation
            elsewhere = (_A.c.scope == "online") | (_A.c.regio == "Haarlemmermeer")
            with ended(engine, elsewhere):
                # 3. Nothing at all.
                messages, chat, conversation = search(stack)
                chats.append(chat)
                assert "niets gevonden" in texts(messages), conversation
    finally:
        for chat in chats:
            chat.close()

    after = counts_in_report(editor)
    assert {o: after[o] - before[o] for o in demand.OUTCOMES} == {"lokaal": 1, "alleen_elders": 1, "geen": 1}

    # The page shows the same, and the signal is in the editors' queue.
    assert "<svg" in editor.get("/redactie/vraag", params={"regio": "Haarlemmermeer"}).text
    assert "Tijd of plaats klopt niet" in editor.get("/redactie/meldingen").text
    editor.close()

    # Codes and counts only: no column that could hold a message, no value from the chat.
    taxonomy = load_taxonomy()
    columns = inspect(engine).get_columns("unmet_demand_count")
    assert {c["name"] for c in columns} == {"week", "theme_code", "municipality_code", "uitkomst", "aantal"}
    assert all(c["type"].length <= 60 for c in columns if isinstance(c["type"], String))
    with engine.connect() as connection:
        rows = connection.execute(select(demand.COUNT)).mappings().all()
        signal_rows = connection.execute(select(signals.SIGNAL)).mappings().all()
    allowed = {"", *taxonomy.themes, *taxonomy.municipalities, *demand.OUTCOMES}
    for row in rows:
        assert {row["theme_code"], row["municipality_code"], row["uitkomst"]} <= allowed, row
        assert isinstance(row["aantal"], int) and isinstance(row["week"], dt.date)
    typed = (WORRY, PLACE.lower(), ANSWER, "voel me")
    for row in [*rows, *signal_rows]:
        for value in row.values():
            assert not any(word in str(value).lower() for word in typed), row
    assert all(r["melder"] is None and r["notitie"] is None for r in signal_rows if r["bron"] == "web")
    engine.dispose()
