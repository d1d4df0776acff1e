"""The actions' door to the sociale kaart: one cached engine per process, a session per call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from actions._settings import settings
from sociale_kaart.db import make_engine, session_scope
from sociale_kaart.matching import warm_up
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return make_engine(url, options=settings().engine_options)


def kaart_engine() -> Engine:
    """The cached engine of the current settings (for libraries that take an engine)."""
    return _engine(settings().database_url)


@contextmanager
def kaart_session() -> Iterator[Session]:
    """A fresh session for one action run, on the database of the current settings."""
    with session_scope(_engine(settings().database_url)) as session:
        yield session


def taxonomy() -> Taxonomy:
    return load_taxonomy()


def warm_up_in_background() -> None:
    """Load spaCy and build the match index while the action server starts,
    so the first resident does not wait for them."""
    from sociale_kaart.text import use_spacy_model

    use_spacy_model(settings().spacy_model)

    def warm() -> None:
        try:
            with kaart_session() as session:
                warm_up(session)
        except Exception:  # a cold start is slower, not broken
            logging.getLogger(__name__).warning("kaart_warm_up_failed", exc_info=True)

    threading.Thread(target=warm, name="kaart-warm-up", daemon=True).start()
