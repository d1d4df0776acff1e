from pathlib import Path

from sqlalchemy import func, inspect, select, text

from sociale_kaart import models
from sociale_kaart.db import VERSION_TABLE, make_engine, migrate, session_scope
from sociale_kaart.taxonomy import VOCAB_DIR, load_taxonomy

SHARED_DOMAIN = Path(__file__).resolve().parents[2].parent / "shared" / "domain"


def test_vocab_mirror_equals_shared_domain():
    if not SHARED_DOMAIN.exists():
        return
    for name in ("themes.yml", "categories.yml", "gemeenten.csv", "hulplijnen.yml"):
        assert (VOCAB_DIR / name).read_bytes() == (SHARED_DOMAIN / name).read_bytes(), name


def test_taxonomy_reads_all_vocabularies():
    taxonomy = load_taxonomy()
    assert len(taxonomy.themes) == 13
    assert "contact_ontmoeten" in taxonomy.categories
    gooise_meren = taxonomy.municipalities["GM1942"]
    assert gooise_meren.naam == "Gooise Meren"
    assert "Muiderberg" in gooise_meren.woonplaatsen
    assert taxonomy.helplines["zelfmoordpreventie"].telefoon == ("113", "0800-0113")
    assert "Gooi en Vechtstreek" in taxonomy.regions
    assert load_taxonomy() is taxonomy


def test_migrate_creates_tables_and_seeds_vocab(tmp_path):
    url = f"sqlite:///{tmp_path / 'kaart.db'}"
    migrate(url)
    migrate(url)  # idempotent
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {"activity", "organisation", "municipality", "woonplaats", VERSION_TABLE} <= tables
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(models.Municipality)).scalar_one() == 25
        bussum = session.execute(
            select(models.Woonplaats).where(models.Woonplaats.naam == "Bussum")
        ).scalar_one()
        assert bussum.municipality_code == "GM1942"
        assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    engine.dispose()


def test_models_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = f"sqlite:///{tmp_path / 'kaart.db'}"
    migrate(url)
    engine = make_engine(url)

    def ours(name, type_, *_):
        return type_ != "table" or name in models.Base.metadata.tables

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE, "include_name": ours, "compare_type": True}
        )
        assert compare_metadata(context, models.Base.metadata) == []
    engine.dispose()
