"""The editors' workflow on a real SQLite database: versions, four eyes, locking, archive."""

from __future__ import annotations

import datetime as dt

import pytest
from kaart_helpers import fresh_engine, good_document
from sqlalchemy import select

from sociale_kaart import editorial
from sociale_kaart.importer import import_records
from sociale_kaart.published import published
from sociale_kaart.records import ACTIVITY, load_activity_records


@pytest.fixture
def engine(tmp_path):
    engine = fresh_engine(tmp_path)
    assert import_records(engine, good_document()).ok
    yield engine
    engine.dispose()


def first_id(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(select(ACTIVITY.c.id).order_by(ACTIVITY.c.id)).scalar()


def live(engine, activity_id):
    with engine.connect() as connection:
        return editorial.published_record(connection, activity_id)


def test_imported_entries_are_published_at_version_zero(engine):
    with engine.connect() as connection:
        rows = connection.execute(select(ACTIVITY.c.versie)).scalars().all()
        assert rows and set(rows) == {0}
        assert connection.execute(select(ACTIVITY.c.id).where(published())).first() is not None


def test_edit_submit_publish_by_another_eindredacteur(engine):
    key = first_id(engine)
    with engine.connect() as connection:
        record, number = editorial.current_version(connection, key)
    old_name = record["naam"]
    record["naam"] = "Nieuwe naam van de groep"
    result = editorial.save(engine, record, "anna", based_on=number)
    assert result.ok, result.problems
    # A concept does not reach residents, exports or the API.
    assert live(engine, key)["naam"] == old_name
    editorial.submit(engine, key, result.nummer, "anna")
    assert live(engine, key)["naam"] == old_name
    with pytest.raises(editorial.EditError) as refused:
        editorial.publish(engine, key, result.nummer, "anna")
    assert refused.value.code == "vier_ogen"
    editorial.publish(engine, key, result.nummer, "bert")
    assert live(engine, key)["naam"] == "Nieuwe naam van de groep"
    with engine.connect() as connection:
        versions = editorial.history(connection, key)
    assert [v["status"] for v in versions] == ["gepubliceerd", "vervangen"]
    assert ("naam", old_name, "Nieuwe naam van de groep") in versions[0]["wijzigingen"]
    assert versions[0]["beoordeeld_door"] == "bert" and versions[0]["auteur"] == "anna"


def test_revert_creates_a_new_version_with_the_old_content(engine):
    key = first_id(engine)
    original = live(engine, key)
    with engine.connect() as connection:
        record, number = editorial.current_version(connection, key)
    record["beschrijving"] = "Een andere tekst."
    saved = editorial.save(engine, record, "anna", based_on=number)
    editorial.submit(engine, key, saved.nummer, "anna")
    editorial.publish(engine, key, saved.nummer, "bert")
    back = editorial.revert(engine, key, 0, "anna", based_on=saved.nummer)
    assert back == saved.nummer + 1
    editorial.submit(engine, key, back, "anna")
    editorial.publish(engine, key, back, "bert")
    assert live(engine, key)["beschrijving"] == original["beschrijving"]
    with engine.connect() as connection:
        assert len(editorial.history(connection, key)) == 3


def test_two_editors_saving_at_once_the_second_gets_a_conflict(engine):
    key = first_id(engine)
    with engine.connect() as connection:
        record, number = editorial.current_version(connection, key)
    mine, theirs = dict(record, naam="Versie van Anna"), dict(record, naam="Versie van Bert")
    assert editorial.save(engine, mine, "anna", based_on=number).ok
    with pytest.raises(editorial.EditConflict) as conflict:
        editorial.save(engine, theirs, "bert", based_on=number)
    assert "Iemand anders heeft dit gewijzigd" in conflict.value.text
    with engine.connect() as connection:
        record, _ = editorial.current_version(connection, key)
    assert record["naam"] == "Versie van Anna"


def test_invalid_form_gets_the_import_messages_and_saves_nothing(engine):
    key = first_id(engine)
    with engine.connect() as connection:
        record, number = editorial.current_version(connection, key)
    record["contact"]["email"] = "geen-mailadres"
    record["themas"] = ["bestaat_niet"]
    result = editorial.save(engine, record, "anna", based_on=number)
    assert not result.ok and len(result.problems) >= 2
    assert all(problem.text for problem in result.problems)
    with engine.connect() as connection:
        assert editorial.latest_number(connection, key) == number


def test_new_activity_is_invisible_until_published(engine):
    record = live(engine, first_id(engine))
    record = editorial.from_json(editorial.to_json(record))
    record["id"] = "nieuwe-activiteit"
    result = editorial.save(engine, record, "anna", based_on=None, new=True)
    assert result.ok
    assert live(engine, "nieuwe-activiteit") is None
    with engine.connect() as connection:
        assert [r["activity_id"] for r in editorial.unpublished_new(connection)] == ["nieuwe-activiteit"]
    with pytest.raises(editorial.EditError):
        editorial.save(engine, record, "anna", based_on=None, new=True)
    editorial.submit(engine, "nieuwe-activiteit", result.nummer, "anna")
    editorial.publish(engine, "nieuwe-activiteit", result.nummer, "bert")
    assert live(engine, "nieuwe-activiteit")["naam"] == record["naam"]


def test_archive_needs_a_reason_and_ends_the_entry(engine):
    key = first_id(engine)
    with pytest.raises(editorial.EditError):
        editorial.archive(engine, key, "  ", "anna", based_on=0)
    editorial.archive(engine, key, "De groep is gestopt.", "anna", based_on=0)
    with engine.connect() as connection:
        row = connection.execute(select(ACTIVITY).where(ACTIVITY.c.id == key)).mappings().one()
        assert row["status"] == "beeindigd" and row["archief_reden"] == "De groep is gestopt."
        assert key not in [r["id"] for r, _ in load_activity_records(connection, where=published())]


def test_verify_sets_the_date_and_stale_queue(engine):
    key = first_id(engine)
    today = dt.date(2030, 1, 1)
    with engine.connect() as connection:
        assert key in [r["id"] for r in editorial.stale(connection, 180, today)]
    editorial.verify(engine, key, "anna", today)
    with engine.connect() as connection:
        assert key not in [r["id"] for r in editorial.stale(connection, 180, today)]
        assert editorial.published_record(connection, key)["laatst_gecontroleerd"]["datum"] == today


def test_saves_at_the_same_moment_one_wins_the_other_is_a_conflict(engine):
    import threading

    key = first_id(engine)
    with engine.connect() as connection:
        record, number = editorial.current_version(connection, key)
    outcomes, start = [], threading.Barrier(4)

    def save(name):
        start.wait()
        try:
            editorial.save(engine, dict(record, naam=f"Versie van {name}"), name, based_on=number)
            outcomes.append("ok")
        except editorial.EditConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in ("anna", "bert", "carla", "dirk")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "ok"]
    with engine.connect() as connection:
        assert editorial.latest_number(connection, key) == number + 1
