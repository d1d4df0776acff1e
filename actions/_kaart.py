"""The actions' door to the sociale kaart: one cached engine per process, a session per call."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.settings import Settings
from sociale_kaart.db import make_engine, session_scope
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def kaart_session() -> Iterator[Session]:
    """A fresh session for one action run, on the database of the current settings."""
    with session_scope(_engine(Settings.from_env().database_url)) as session:
        yield session


def taxonomy() -> Taxonomy:
    return load_taxonomy()
