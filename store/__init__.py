"""The record: task results and the release index in SQL (SQLite by default, PostgreSQL in production).

Web, worker and CLI all read and write it through `ResultStore`; Redis keeps only the queue and short-lived
state. The tables are in `schema.py`, created and changed by the migrations under `migrations/`.
"""

from store.database import DatabaseUnavailable, SchemaBehind, failure, open_database, open_engine, upgrade
from store.paging import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, Page
from store.sql import FAILED_RESULT_TTL, INDEXED_OUTCOMES, ResultStore

__all__ = ["DEFAULT_LIMIT", "FAILED_RESULT_TTL", "INDEXED_OUTCOMES", "MAX_LIMIT", "BadCursor", "DatabaseUnavailable",
           "Page", "ResultStore", "SchemaBehind", "failure", "open_database", "open_engine", "upgrade"]
