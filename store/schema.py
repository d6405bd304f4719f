"""The record's tables: results, the release index (versions with their counts, the tasks of each) and facts.

Created and changed only by the migrations under store/migrations/; a test checks that they build exactly
these tables. Moments are whole seconds since 1970 (UTC). Text that is sorted or compared in a cursor uses
the "C" collation on PostgreSQL, so that both databases order it bytewise, as SQLite does.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

# Bytewise order on PostgreSQL (a locale's collation ignores punctuation and would break the version keys).
SortedText = Text().with_variant(Text(collation="C"), "postgresql")

metadata = MetaData()
# The migration that builds exactly these tables (store/migrations/versions/); a process checks the database's
# against it at start. A test holds it to the newest migration.
SCHEMA_REVISION = "0001"

# The latest result of each task: its JSON as served by GET /api/tasks/<id>, plus what lists are ordered by.
results = Table(
    "results", metadata,
    Column("task_id", BigInteger, primary_key=True, autoincrement=False),
    Column("outcome", String(16), nullable=False),
    Column("processed_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger),  # failed results are forgotten then; the others are kept
    # The result JSON, zlib-compressed: about half the bytes, and a result a page needs is read whole anyway.
    Column("body", LargeBinary, nullable=False),
)
Index("results_by_outcome", results.c.outcome, results.c.processed_at, results.c.task_id)

# One row per component/version with at least one task, with its count and announcement dates, maintained.
versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("component", SortedText, nullable=False),  # in lower case
    Column("version", SortedText, nullable=False),
    Column("version_order", SortedText, nullable=False),  # store.version_order.descending(version)
    Column("tasks", Integer, nullable=False),
    Column("first_announced", BigInteger),
    Column("last_announced", BigInteger),
)
Index("versions_by_name", versions.c.component, versions.c.version, unique=True)
Index("versions_in_order", versions.c.component, versions.c.version_order)

# The tasks shipped in each version (a task's releases; one version per component and task).
release_tasks = Table(
    "release_tasks", metadata,
    Column("task_id", BigInteger, primary_key=True, autoincrement=False),
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True, autoincrement=False),
    Column("announced_at", BigInteger, nullable=False),
    Column("closed_at", BigInteger, nullable=False),  # 0 when the task's closed date is unknown
)
Index("release_tasks_by_version", release_tasks.c.version_id, release_tasks.c.closed_at, release_tasks.c.task_id)

# Single values of the record: the portal learnt from events, the sweep's watermark.
facts = Table(
    "facts", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
