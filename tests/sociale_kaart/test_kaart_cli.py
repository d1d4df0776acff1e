"""The sociale-kaart command line, run as a real process on a temporary database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kaart_helpers import GOOD_YAML, good_document, write_yaml

from sociale_kaart.cli import PROJECT_ROOT, database_url
from sociale_kaart.hsds_schema import hsds_errors

SCRIPT = Path(sys.executable).parent / "sociale-kaart"


def run(*args, url: str, env_url: bool = False):
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("WW_DATABASE_URL", None)
    command = [str(SCRIPT)]
    if env_url:
        env["WW_DATABASE_URL"] = url
    else:
        command += ["--database-url", url]
    result = subprocess.run(
        command + [str(a) for a in args], capture_output=True, text=True, env=env, timeout=120
    )
    return result


def test_migrate_import_export_and_reports(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run("migrate", url=url).returncode == 0
    imported = run("import", GOOD_YAML, url=url, env_url=True)
    assert imported.returncode == 0, imported.stderr
    assert "Ingelezen: 3 toegevoegd, 0 gewijzigd, 0 beeindigd, 0 ongewijzigd." in imported.stdout
    trial = run("import", "--dry-run", GOOD_YAML, url=url)
    assert "0 toegevoegd, 0 gewijzigd, 0 beeindigd, 3 ongewijzigd" in trial.stdout
    assert "er is niets opgeslagen" in trial.stdout
    again = run("import", GOOD_YAML, url=url)
    assert "0 toegevoegd, 0 gewijzigd, 0 beeindigd, 3 ongewijzigd" in again.stdout

    hsds_file = tmp_path / "hsds.json"
    exported = run("export", "--format", "hsds", "--out", hsds_file, url=url)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(hsds_file.read_text(encoding="utf-8"))
    assert hsds_errors(document) == [] and len(document["services"]) == 3

    csv_dir = tmp_path / "csv"
    assert run("export", "--format", "csv", "--out", csv_dir, url=url).returncode == 0
    assert (csv_dir / "activiteiten.csv").read_text(encoding="utf-8").count("\n") == 4
    yaml_out = run("export", "--format", "yaml", url=url)
    assert yaml_out.stdout.startswith("catalogus:") and "act-online-geld" in yaml_out.stdout

    stale = run("stale", "--days", "30", url=url)
    assert stale.returncode == 0
    lines = stale.stdout.splitlines()
    assert lines[0] == "3 activiteiten niet gecontroleerd in de laatste 30 dagen:"
    assert "Regionaal Steunpunt Gooi (2):" in lines
    assert "  - act-mantelzorg-regio: Mantelzorgcafe (laatst gecontroleerd: nooit)" in lines

    stats = run("stats", url=url)
    assert stats.returncode == 0
    assert (
        "Hilversum (GM0402): 2 activiteiten" in stats.stdout
    )  # its own + online (the regional one is closed)
    assert "  Leiden: " in stats.stdout  # a gap line


def test_validate_reports_problems_and_fails(tmp_path):
    document = good_document()
    document["activiteiten"][0]["aanbod_in"] = {"gemeenten": ["Hilversun"]}
    document["activiteiten"][1]["locaties"] = [
        {"straat": "Dorpsstraat 1", "postcode": "12345", "woonplaats": "Laren"}
    ]
    bad = write_yaml(tmp_path / "fout.yml", document)
    result = run("validate", bad, url="sqlite:///unused.db")
    assert result.returncode == 1
    assert "Bedoel je Hilversum?" in result.stdout
    assert f"{bad}, regel " in result.stdout
    assert result.stdout.strip().endswith("2 problemen gevonden. Er is niets ingelezen.")
    good = run("validate", GOOD_YAML, url="sqlite:///unused.db")
    assert good.returncode == 0 and "Geen problemen gevonden" in good.stdout


def test_import_of_a_bad_file_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run("migrate", url=url)
    document = good_document()
    document["activiteiten"][2]["geldig_van"] = "2025-06-01"
    document["activiteiten"][2]["geldig_tot"] = "2025-01-01"
    result = run("import", write_yaml(tmp_path / "fout.yml", document), url=url)
    assert result.returncode == 1
    assert "einddatum (2025-01-01) ligt voor de begindatum (2025-06-01)" in result.stdout
    exported = run("export", "--format", "yaml", url=url)
    assert "activiteiten: []" in exported.stdout


def test_unmigrated_database_gets_a_dutch_message(tmp_path):
    result = run("stats", url=f"sqlite:///{tmp_path / 'leeg.db'}")
    assert result.returncode == 2
    assert "sociale-kaart migrate" in result.stderr
    bad_days = run("stale", "--days", "veel", url=f"sqlite:///{tmp_path / 'leeg.db'}")
    assert bad_days.returncode == 2
    assert "'veel' is geen aantal dagen" in bad_days.stderr


def test_relative_sqlite_url_is_taken_from_the_project_root(monkeypatch):
    monkeypatch.delenv("WW_DATABASE_URL", raising=False)
    monkeypatch.delenv("WW_VAR_DIR", raising=False)
    assert database_url(None) == f"sqlite:///{PROJECT_ROOT / 'var' / 'welzijnswijzer.db'}"
    monkeypatch.setenv("WW_DATABASE_URL", "postgresql://kaart@localhost/kaart")
    assert database_url(None) == "postgresql://kaart@localhost/kaart"
    assert database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_command_line_mistakes_are_answered_in_dutch():
    missing = run("import", url="sqlite:///unused.db")
    assert missing.returncode == 2
    assert "gebruik: sociale-kaart import" in missing.stderr
    assert "fout: dit ontbreekt nog: BESTAND" in missing.stderr
    wrong = run("export", "--format", "pdf", url="sqlite:///unused.db")
    assert "onbekende keuze: 'pdf'" in wrong.stderr


def test_a_locked_database_gets_a_dutch_message_and_keeps_its_data(tmp_path):
    import sqlite3

    path = tmp_path / "bezet.db"
    url = f"sqlite:///{path}"
    run("migrate", url=url)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    try:
        result = run("import", GOOD_YAML, url=url)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 2
    assert "De database is bezig" in result.stderr
    assert "activiteiten: []" in run("export", "--format", "yaml", url=url).stdout
