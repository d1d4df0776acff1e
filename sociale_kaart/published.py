"""Which catalogue entries are published: what the HSDS API (and later other outlets) may show.

One function, so the rule lives in one place. The editors' workflow (concept -> ter controle
-> gepubliceerd, sociale_kaart/editorial.py) keeps concepts in activity_version: the activity
row only ever holds published content (an import, or a version an eindredacteur published).
So here: not ended or archived (status beeindigd) and not past its end date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_

from sociale_kaart.records import ACTIVITY


def published(today: dt.date | None = None):
    """A SQL condition on the activity table: the entry is published on ``today``."""
    today = today or dt.date.today()
    return and_(
        ACTIVITY.c.status != "beeindigd",
        or_(ACTIVITY.c.geldig_tot.is_(None), ACTIVITY.c.geldig_tot >= today),
    )
