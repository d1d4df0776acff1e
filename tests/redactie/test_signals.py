"""Signals from the field: the library (sociale_kaart.signals) and the editors' queue at
/redactie/meldingen, on a real migrated SQLite database through Starlette's TestClient."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select
from test_redactie_web import KEY, client_for, csrf, settings  # noqa: F401 - the fixture

from bot.handoff.db import make_engine
from sociale_kaart import signals


@pytest.fixture
def engine(settings):  # noqa: F811
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


def test_a_signal_is_a_reason_code_a_source_and_a_day(engine):
    signal_id = signals.report(engine, KEY, "gestopt", "web", today=dt.date(2026, 12, 1))
    with engine.connect() as connection:
        row = (
            connection.execute(select(signals.SIGNAL).where(signals.SIGNAL.c.id == signal_id))
            .mappings()
            .one()
        )
    assert (row["activity_id"], row["reden"], row["bron"], row["gemeld_op"], row["status"]) == (
        KEY,
        "gestopt",
        "web",
        dt.date(2026, 12, 1),
        "open",
    )
    assert row["melder"] is None and row["notitie"] is None
    # Only the day is a column with a date: no time of day to line up with a conversation.
    kinds = {c["name"]: str(c["type"]) for c in inspect(engine).get_columns("activity_signal")}
    assert kinds["gemeld_op"] == "DATE"


@pytest.mark.parametrize(
    "activity, reason, source, reporter, note, error",
    [
        ("act-bestaat-niet", "gestopt", "web", None, None, "onbekende_activiteit"),
        (KEY, "mijn telefoon is 0612345678", "web", None, None, "onbekende_reden"),
        (KEY, "gestopt", "rasa", None, None, "onbekende_bron"),
        (KEY, "anders", "web", None, "bel me op 0612345678", "geen_tekst_van_inwoners"),
        (KEY, "anders", "telegram", "Piet", None, "geen_tekst_van_inwoners"),
    ],
)
def test_what_cannot_be_stored_is_refused_and_nothing_is_stored(
    engine, activity, reason, source, reporter, note, error
):
    with pytest.raises(signals.SignalError) as raised:
        signals.report(engine, activity, reason, source, reporter=reporter, note=note)
    assert raised.value.reason == error
    with engine.connect() as connection:
        assert connection.execute(select(signals.SIGNAL)).first() is None


def test_the_queue_groups_per_activity_and_handling_closes_the_open_ones(engine):
    for reason in ("gestopt", "gestopt", "contact"):
        signals.report(engine, KEY, reason, "web")
    signals.report(
        engine, "act-mantelzorg-regio", "kosten", "coach", reporter="coach1", note="Kost nu 5 euro"
    )
    with engine.connect() as connection:
        queue = signals.queue(connection)
        assert [g.activity_id for g in queue] == [KEY, "act-mantelzorg-regio"]
        assert queue[0].per_reden == {"gestopt": 2, "contact": 1}
        assert signals.open_counts(connection) == {KEY: 3, "act-mantelzorg-regio": 1}
    assert signals.handle(engine, KEY, "opgelost", "bert") == 3
    assert signals.handle(engine, KEY, "opgelost", "bert") == 0
    with pytest.raises(signals.SignalError):
        signals.handle(engine, KEY, "weg", "bert")
    with engine.connect() as connection:
        assert [g.activity_id for g in signals.queue(connection)] == ["act-mantelzorg-regio"]
        handled = signals.queue(connection, "opgelost")
    assert handled[0].signalen[0]["afgehandeld_door"] == "bert"


# -- /redactie/meldingen ------------------------------------------------------------------


def test_editors_see_the_signals_of_their_scope_and_resolve_them(settings, engine):  # noqa: F811
    signals.report(engine, KEY, "tijd_plaats", "telegram")
    signals.report(
        engine, "act-mantelzorg-regio", "kosten", "coach", reporter="coach1", note="Kost nu 5 euro"
    )
    anna = client_for(settings, "anna")  # redacteur of org-buurt-hilversum (act-koffie-oost)
    page = anna.get("/redactie/meldingen")
    assert page.status_code == 200
    assert "Tijd of plaats klopt niet" in page.text and "Inwoner, Telegram" in page.text
    assert "Kosten kloppen niet" not in page.text  # org-regio-gooi's activity: not anna's
    assert 'href="/redactie/meldingen"' in page.text  # in the menu
    refused = anna.post(f"/redactie/meldingen/{KEY}", data={"actie": "opgelost", "csrf": "fout"})
    assert refused.status_code == 403
    outside = anna.post(
        "/redactie/meldingen/act-mantelzorg-regio", data={"actie": "afgewezen", "csrf": csrf(page.text)}
    )
    assert outside.status_code == 403
    odd = anna.post(f"/redactie/meldingen/{KEY}", data={"actie": "<script>", "csrf": csrf(page.text)})
    assert odd.status_code == 422 and "<script>" not in odd.text
    done = anna.post(f"/redactie/meldingen/{KEY}", data={"actie": "opgelost", "csrf": csrf(page.text)})
    assert done.status_code == 303 and done.headers["location"] == "/redactie/meldingen"
    after = anna.get("/redactie/meldingen")
    assert "de meldingen zijn opgelost" in after.text
    assert "Er zijn geen open meldingen." in after.text and "opgelost door anna" in after.text

    beheer = client_for(settings, "beheer")
    everything = beheer.get("/redactie/meldingen").text
    assert "Kosten kloppen niet" in everything and "Kost nu 5 euro" in everything and "(coach1)" in everything


def test_the_queue_needs_a_login_and_an_editor_role(settings):  # noqa: F811
    assert client_for(settings).get("/redactie/meldingen").status_code == 303
    coach = client_for(settings)
    page = coach.get("/redactie/inloggen")
    response = coach.post(
        "/redactie/inloggen",
        data={"gebruikersnaam": "coach", "wachtwoord": "lang-en-geheim-wachtwoord", "csrf": csrf(page.text)},
    )
    assert response.status_code != 303 or coach.get("/redactie/meldingen").status_code == 303
