"""Paging of the HSDS 3.0 API: the query of a list request and the spec's Page object.

Pure functions: no database, no web framework (bot/web/hsds_api.py parses the request into
a Query; sociale_kaart.hsds_feed answers it).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class Query:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: dt.datetime | None = None  # naive UTC
    full: bool = False
    minimal: bool = False  # /services: just id and last_modified


def filters(query: Query) -> tuple:
    """The parts of a query that choose which services match (the key of their cached id list)."""
    return (
        query.search,
        query.taxonomy_term_id,
        query.taxonomy_id,
        query.organization_id,
        query.modified_after,
    )


def unfiltered(query: Query) -> bool:
    return filters(query) == (None,) * 5


def page_slice(query: Query, items: list) -> list:
    """The items of the query's page."""
    start = (query.page - 1) * query.per_page
    return items[start : start + query.per_page]


def page_of(query: Query, total: int, contents: list) -> dict:
    """The spec's Page object (openapi.json components.schemas.Page) around ``contents``."""
    pages = math.ceil(total / query.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(contents),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def dumps(value) -> str:
    """JSON text as Starlette's JSONResponse encodes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def page_json(query: Query, total: int, items: list[str]) -> str:
    """page_of() as JSON text around already serialised ``items``."""
    page = page_of(query, total, items)
    page["contents"] = []  # the last key
    head = dumps(page)
    return head[: -len("[]}")] + "[" + ",".join(items) + "]}"
