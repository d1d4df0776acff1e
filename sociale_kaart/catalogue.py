"""What the assistant may say about the catalogue itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sociale_kaart.models import Activity, CatalogueSource


@dataclass(frozen=True)
class CatalogueInfo:
    is_example_data: bool  # a source with voorbeeldgegevens: true still has activities that are not ended
    name: str | None  # the catalogue name(s) of those sources, joined with ", "
    activity_count: int  # activities with status actief


def catalogue_info(session: Session) -> CatalogueInfo:
    in_use = (
        select(Activity.id)
        .where(Activity.source == CatalogueSource.source, Activity.status != "beeindigd")
        .exists()
    )
    sources = session.execute(
        select(CatalogueSource.naam, CatalogueSource.voorbeeldgegevens)
        .where(in_use)
        .order_by(CatalogueSource.source)
    ).all()
    active = session.execute(
        select(func.count()).select_from(Activity).where(Activity.status == "actief")
    ).scalar_one()
    names = list(dict.fromkeys(naam for naam, _ in sources))
    return CatalogueInfo(
        is_example_data=any(example for _, example in sources),
        name=", ".join(names) if names else None,
        activity_count=active,
    )
