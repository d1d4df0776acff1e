"""Keep the municipality, woonplaats, theme and category tables equal to the vocab files."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sociale_kaart import models
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy


def _sync_codes(session: Session, model, wanted: dict[str, dict]) -> None:
    """Insert or update rows keyed by code. Rows gone from the vocab stay (activities may refer to them)."""
    existing = {row.code: row for row in session.execute(select(model)).scalars()}
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            session.add(model(code=code, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)


def sync_vocabularies(session: Session, taxonomy: Taxonomy | None = None) -> None:
    taxonomy = taxonomy or load_taxonomy()
    _sync_codes(session, models.Theme, {t.code: {"label": t.label} for t in taxonomy.themes.values()})
    _sync_codes(session, models.Category, {c.code: {"label": c.label} for c in taxonomy.categories.values()})
    _sync_codes(
        session,
        models.Municipality,
        {
            m.code: {
                "naam": m.naam,
                "provincie": m.provincie,
                "regio": m.regio,
                "welzijnsorganisatie": m.welzijnsorganisatie,
            }
            for m in taxonomy.municipalities.values()
        },
    )
    session.flush()
    session.execute(delete(models.Woonplaats))
    session.add_all(
        models.Woonplaats(naam=naam, municipality_code=m.code)
        for m in taxonomy.municipalities.values()
        for naam in m.woonplaatsen
    )
