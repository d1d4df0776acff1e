"""Import files that are too large or nested far too deeply get a clear Dutch
error and change nothing (no RecursionError, nothing half imported)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kaart_helpers import GOOD_YAML, fresh_engine
from sqlalchemy import func, select

from sociale_kaart import models
from sociale_kaart.db import session_scope
from sociale_kaart.importer import import_paths
from sociale_kaart.readers import InputLimits, read_path


def _activities(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(models.Activity)).scalar_one()


def _deep_yaml(levels: int) -> str:
    return "activiteiten:\n" + "".join("  " * i + "- \n" for i in range(1, levels)) + "  " * levels + "- x\n"


def _deep_json(levels: int) -> str:
    return '{"services": ' + "[" * levels + "]" * levels + ', "organizations": []}'


@pytest.mark.parametrize("name, text", [
    ("diep.yml", "activiteiten: " + "[" * 5000 + "]" * 5000 + "\n"),  # flow style, beyond the stack
    ("diep_blok.yml", _deep_yaml(60)),  # block style, within the stack but beyond the limit
    ("diep.json", _deep_json(100_000)),  # beyond json's own recursion limit
    ("diep2.json", _deep_json(60)),
], ids=["yaml-flow-5000", "yaml-block-60", "json-100000", "json-60"])
def test_deep_nesting_is_refused_in_dutch_and_nothing_is_imported(tmp_path, name, text):
    deep = tmp_path / name
    deep.write_text(text, encoding="utf-8")
    document = read_path(deep)
    assert [p.code for p in document.problems] == ["te_diep_genest"]
    assert "te diep genest" in str(document.problems[0]) and "niets ingelezen" in str(document.problems[0])
    engine = fresh_engine(tmp_path)
    report = import_paths(engine, [GOOD_YAML, deep])  # together with a good file: all or nothing
    assert not report.ok and _activities(engine) == 0


def test_shared_and_self_referencing_yaml_anchors_do_not_hang_the_check(tmp_path):
    bomb = tmp_path / "anker.yml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 9)]
    lines += ["zelf: &zelf [*zelf]", "activiteiten: []"]
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = read_path(bomb)  # returns at once; its problems are ordinary validation
    assert all(p.code != "te_diep_genest" for p in document.problems)


def test_a_file_above_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "groot.yml"
    big.write_text(GOOD_YAML.read_text(encoding="utf-8") + "#" * 5000 + "\n", encoding="utf-8")
    limits = InputLimits(max_bytes=4000, max_depth=40)
    document = read_path(big, limits)
    assert [p.code for p in document.problems] == ["bestand_te_groot"]
    assert "te groot" in str(document.problems[0]) and "0.004 MB" in str(document.problems[0])
    engine = fresh_engine(tmp_path)
    assert not import_paths(engine, [big], limits=limits).ok and _activities(engine) == 0
    assert import_paths(engine, [GOOD_YAML]).ok  # the same content within the limit imports


def test_limits_come_from_the_settings_object():
    class Settings:
        import_max_bytes, import_max_depth = 1234, 7

    assert InputLimits.from_settings(Settings()) == InputLimits(max_bytes=1234, max_depth=7)


def test_cli_reads_the_limits_from_the_environment(tmp_path):
    deep = tmp_path / "diep.json"
    deep.write_text(_deep_json(10), encoding="utf-8")
    env = {"WW_IMPORT_MAX_DEPTH": "5", "WW_DATABASE_URL": f"sqlite:///{tmp_path / 'kaart.db'}",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "sociale_kaart.cli", "validate", str(deep)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0 and "te diep genest" in result.stdout + result.stderr
    assert "5 lagen" in result.stdout + result.stderr
    json.loads(deep.read_text())  # a valid JSON file: only the limit refuses it


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_bad_limit_in_the_environment_gets_a_dutch_message_not_a_traceback(tmp_path, value):
    env = {"WW_IMPORT_MAX_BYTES": value, "WW_DATABASE_URL": f"sqlite:///{tmp_path / 'kaart.db'}",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "sociale_kaart.cli", "validate", str(GOOD_YAML)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "WW_IMPORT_MAX_BYTES" in result.stderr and "heel getal" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_database_url_the_cli_uses_the_var_dir_of_the_settings(tmp_path, monkeypatch):
    from bot.settings import Settings
    from sociale_kaart.cli import database_url

    monkeypatch.delenv("WW_DATABASE_URL", raising=False)
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    assert database_url(None) == Settings.from_env().database_url == f"sqlite:///{tmp_path / 'welzijnswijzer.db'}"


def test_a_byte_order_mark_is_read_as_nothing_in_yaml_csv_and_hsds_json(tmp_path):
    """Excel's "CSV UTF-8" and many JSON writers start the file with a BOM; it must not
    become part of the first key or column name."""
    from sociale_kaart.export_csv import catalogue_csv_files
    from sociale_kaart.export_hsds import catalogue_hsds_json

    engine = fresh_engine(tmp_path)
    assert import_paths(engine, [GOOD_YAML]).ok
    files = {"kaart.yml": GOOD_YAML.read_text(encoding="utf-8"), "hsds.json": catalogue_hsds_json(engine)}
    files.update(catalogue_csv_files(engine))
    for name, text in files.items():
        plain, marked = tmp_path / "zonder" / name, tmp_path / "met" / name
        for path, data in ((plain, text.encode("utf-8")), (marked, b"\xef\xbb\xbf" + text.encode("utf-8"))):
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        without, with_bom = read_path(plain), read_path(marked)
        assert with_bom.problems == without.problems, name
        assert with_bom.data == without.data, name
        assert with_bom.data, name
