"""Importing is all-or-nothing, idempotent, and counts added / changed / ended."""

from __future__ import annotations

import datetime as dt

from kaart_helpers import GOOD_YAML, fresh_engine, good_document, write_yaml
from sqlalchemy import func, select

from sociale_kaart import models
from sociale_kaart.catalogue import catalogue_info
from sociale_kaart.db import session_scope
from sociale_kaart.importer import import_paths, import_records


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def status_of(engine, activity_id) -> str:
    with session_scope(engine) as session:
        return session.get(models.Activity, activity_id).status


def test_import_stores_everything(tmp_path):
    engine = fresh_engine(tmp_path)
    report = import_paths(engine, [GOOD_YAML])
    assert report.ok
    assert (report.added, report.changed, report.ended, report.unchanged) == (3, 0, 0, 0)
    assert report.organisations_added == 2
    with session_scope(engine) as session:
        koffie = session.get(models.Activity, "act-koffie-oost")
        assert koffie.organisation.naam == "Stichting Buurt Hilversum"
        assert [c.category_code for c in koffie.categories] == ["contact_ontmoeten"]
        assert [m.municipality_code for m in koffie.municipalities] == ["GM0402", "GM0406"]
        assert [(r.freq, r.dag, r.week, r.van, r.tot) for r in koffie.schedule_rules] == [
            ("wekelijks", "di", None, "10:00", "12:00"),
            ("maandelijks", "do", 1, "19:30", "21:30"),
        ]
        assert koffie.locations[0].postcode == "1216 AB"
        assert koffie.laatst_gecontroleerd_op == dt.date(2026, 9, 14)
        assert koffie.laatst_gecontroleerd_door == "Redactie Gooi"
        assert koffie.laatst_gewijzigd_op is not None
        cafe = session.get(models.Activity, "act-mantelzorg-regio")
        assert (cafe.scope, cafe.regio, cafe.kosten_bedrag_cent, cafe.kosten_per) == (
            "regio",
            "Gooi en Vechtstreek",
            250,
            "keer",
        )
        assert session.get(models.Activity, "act-online-geld").scope == "online"
        info = catalogue_info(session)
    assert info.is_example_data is True
    assert info.name == "Testcatalogus"
    assert info.activity_count == 2  # the closed one does not count


def test_one_bad_entry_means_nothing_is_imported(tmp_path):
    engine = fresh_engine(tmp_path)
    document = good_document()
    document["activiteiten"][2]["categorieen"] = ["bestaat_niet"]
    report = import_paths(engine, [write_yaml(tmp_path / "fout.yml", document)])
    assert not report.ok
    assert [p.code for p in report.problems] == ["categorie_onbekend"]
    assert count(engine, models.Activity) == 0
    assert count(engine, models.Organisation) == 0
    assert count(engine, models.CatalogueSource) == 0


def test_a_bad_file_blocks_the_good_file_next_to_it(tmp_path):
    engine = fresh_engine(tmp_path)
    other = good_document()
    other["organisaties"] = [{"id": "org-ander", "naam": "Ander"}]
    other["activiteiten"] = [
        dict(other["activiteiten"][2], id="act-ander", organisatie="org-ander", status="weg")
    ]
    report = import_paths(engine, [GOOD_YAML, write_yaml(tmp_path / "ander.yml", other)])
    assert [p.code for p in report.problems] == ["status_onbekend"]
    assert count(engine, models.Activity) == 0


def test_reimport_is_idempotent(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])
    with session_scope(engine) as session:
        before = session.get(models.Activity, "act-koffie-oost").laatst_gewijzigd_op
    again = import_paths(engine, [GOOD_YAML])
    assert (again.added, again.changed, again.ended, again.unchanged) == (0, 0, 0, 3)
    assert (again.organisations_added, again.organisations_changed) == (0, 0)
    assert count(engine, models.Activity) == 3
    assert count(engine, models.Location) == 1
    assert count(engine, models.ScheduleRule) == 2
    with session_scope(engine) as session:
        assert session.get(models.Activity, "act-koffie-oost").laatst_gewijzigd_op == before


def test_changes_and_endings_are_counted(tmp_path):
    engine = fresh_engine(tmp_path)
    path = tmp_path / "kaart.yml"
    document = good_document()
    write_yaml(path, document)
    import_paths(engine, [path])

    document["activiteiten"][0]["naam"] = "Koffieochtend Oost"
    document["activiteiten"][0]["locaties"][0]["straat"] = "Oostplein 6"
    document["activiteiten"][1]["status"] = "beeindigd"
    del document["activiteiten"][2]  # disappears from a full import of the same file
    document["activiteiten"].append(dict(good_document()["activiteiten"][2], id="act-nieuw"))
    report = import_paths(engine, [write_yaml(path, document)])
    assert (report.added, report.changed, report.ended, report.unchanged) == (1, 1, 2, 0)
    assert status_of(engine, "act-online-geld") == "beeindigd"
    assert status_of(engine, "act-mantelzorg-regio") == "beeindigd"
    with session_scope(engine) as session:
        koffie = session.get(models.Activity, "act-koffie-oost")
        assert koffie.naam == "Koffieochtend Oost"
        assert [loc.straat for loc in koffie.locations] == ["Oostplein 6"]
    assert count(engine, models.Location) == 1

    # Ended ones stay ended on the next identical import; a returning one is active again.
    assert import_paths(engine, [path]).ended == 0
    document["activiteiten"].append(good_document()["activiteiten"][2])
    back = import_paths(engine, [write_yaml(path, document)])
    assert (back.added, back.changed, back.ended) == (0, 1, 0)
    assert status_of(engine, "act-online-geld") == "actief"


def test_another_source_does_not_end_activities(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])
    extra = {"activiteiten": [dict(good_document()["activiteiten"][2], id="act-extra")]}
    report = import_records(engine, extra, source="extra")
    assert (report.added, report.ended) == (1, 0)
    assert status_of(engine, "act-online-geld") == "actief"


def test_import_records_accepts_a_document_or_a_list(tmp_path):
    engine = fresh_engine(tmp_path)
    document = good_document()
    report = import_records(engine, document, source="geheugen")
    assert report.ok and report.added == 3
    more = [dict(document["activiteiten"][0], id=f"act-{i}") for i in range(5)]
    assert import_records(engine, more, source="lijst").added == 5
    bad = [dict(document["activiteiten"][0], id="act-fout", organisatie="org-onbekend")]
    report = import_records(engine, bad, source="lijst")
    assert [p.code for p in report.problems] == ["organisatie_onbekend"]
    assert "geheugen" not in str(report.problems[0]) and "lijst" in str(report.problems[0])
    assert count(engine, models.Activity) == 8


def test_organisation_from_the_database_can_be_referenced(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])
    later = {"activiteiten": [dict(good_document()["activiteiten"][0], id="act-later")]}
    path = write_yaml(tmp_path / "later.yml", later)
    report = import_paths(engine, [path])
    assert report.ok and report.added == 1


def test_catalogue_info_of_an_empty_catalogue(tmp_path):
    engine = fresh_engine(tmp_path)
    with session_scope(engine) as session:
        info = catalogue_info(session)
    assert (info.is_example_data, info.name, info.activity_count) == (False, None, 0)


def test_example_flag_goes_when_the_example_data_is_gone(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])  # voorbeeldgegevens: true
    real = good_document()
    real["catalogus"] = {"naam": "Sociale kaart Gooi", "voorbeeldgegevens": False}
    real["activiteiten"] = [dict(real["activiteiten"][0], id="act-echt")]
    del real["organisaties"]
    import_paths(engine, [write_yaml(tmp_path / "echt.yml", real)])
    with session_scope(engine) as session:
        both = catalogue_info(session)
    assert both.is_example_data and both.name == "Sociale kaart Gooi, Testcatalogus"
    empty = {"catalogus": good_document()["catalogus"], "activiteiten": []}
    # A full import of the example file without activities ends them all.
    example_again = write_yaml(tmp_path / GOOD_YAML.name, empty)
    assert import_paths(engine, [example_again]).ended == 3
    with session_scope(engine) as session:
        info = catalogue_info(session)
    assert (info.is_example_data, info.name, info.activity_count) == (False, "Sociale kaart Gooi", 1)


def test_dry_run_counts_but_stores_nothing(tmp_path):
    engine = fresh_engine(tmp_path)
    trial = import_paths(engine, [GOOD_YAML], dry_run=True)
    assert (trial.added, trial.organisations_added) == (3, 2)
    assert count(engine, models.Activity) == 0
    assert count(engine, models.CatalogueSource) == 0
    assert import_paths(engine, [GOOD_YAML]).added == 3
