"""One save inside its transaction: the result row, and the task's moves in the release index with the counts
and dates of the versions it enters or leaves.

A new result costs one statement for the result and two for each release (its version's row, added to or
created, and the task's entry), whatever the size of the record. Statements are built once per database kind
and run with parameters. Version rows are touched in (component, version) order, so that concurrent saves on
PostgreSQL wait for each other instead of deadlocking; two saves of one task are serialised by an advisory
lock there (SQLite has a single writer).
"""

from __future__ import annotations

import functools
import json
import zlib
from datetime import UTC, datetime
from types import SimpleNamespace

from sqlalchemy import Connection, bindparam, case, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from releasebot.model import TaskResult, settled
from store import version_order
from store.schema import release_tasks, results, versions

# Outcomes after which the task's place in the release index is known; the others leave it alone.
INDEXED_OUTCOMES = frozenset({"found", "not_found", "no_chat"})
# A failed result (a task that does not exist, a permanent API error) is kept this long, then forgotten:
# anyone can make the bot look up task ids that do not exist, and such results must not pile up.
FAILED_RESULT_TTL = 7 * 24 * 3600

Entry = tuple[int, int]  # (announced, closed): a task's entry in one version


def epoch(moment: str | None) -> int:
    """Whole seconds since 1970 of an ISO 8601 moment (naive ones taken as UTC); 0 when unreadable."""
    try:
        parsed = datetime.fromisoformat(moment or "")
    except ValueError:
        return 0
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def stored_body(result: TaskResult) -> bytes:
    """The result JSON as stored: compact, zlib-compressed."""
    return zlib.compress(json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":")).encode())


def stored_result(body: bytes) -> TaskResult:
    """A stored result."""
    return TaskResult.from_json(json.loads(zlib.decompress(body)))


def save_result(connection: Connection, result: TaskResult, now: int) -> None:
    """Store the result and move the task in the release index, inside the caller's transaction. A failure
    never replaces a final result: that stays, with the failure beside it (releasebot.model.settled)."""
    sql = _statements(connection.dialect.name)
    if connection.dialect.name == "postgresql":
        connection.execute(sql.lock_task, {"task_id": result.task_id})
    if result.outcome == "failed":
        body = connection.scalar(sql.result_body, {"task": result.task_id})
        result = settled(stored_result(body) if body else None, result)
    connection.execute(sql.save_result, {
        "task_id": result.task_id, "outcome": result.outcome, "processed_at": epoch(result.processed_at),
        "expires_at": now + FAILED_RESULT_TTL if result.outcome == "failed" else None,
        "body": stored_body(result)})
    if result.outcome == "failed":
        connection.execute(sql.forget_expired, {"now": now})
    if result.outcome in INDEXED_OUTCOMES:
        _reindex(connection, sql, result)


def _reindex(connection: Connection, sql, result: TaskResult) -> None:
    closed = epoch(result.task.closed_date) if result.task else 0
    processed = epoch(result.processed_at)
    new = {(r.component.lower(), r.version): (epoch(r.message_at) or processed, closed) for r in result.releases}
    old = {(r.component, r.version): (r.version_id, (r.announced_at, r.closed_at))
           for r in connection.execute(sql.entries, {"task": result.task_id})}
    for pair in sorted(set(old) | set(new)):
        was, now = old.get(pair), new.get(pair)
        if was is None:
            _enter(connection, sql, result.task_id, pair, now)
        elif now is None:
            _leave(connection, sql, result.task_id, *was)
        elif was[1] != now:
            _move_within(connection, sql, result.task_id, was[0], was[1], now)


def _enter(connection: Connection, sql, task_id: int, pair: tuple[str, str], entry: Entry) -> None:
    component, version = pair
    version_id = connection.execute(sql.add_to_version, {
        "component": component, "version": version, "version_order": version_order.descending(version),
        "tasks": 1, "first_announced": entry[0], "last_announced": entry[0]}).scalar_one()
    connection.execute(sql.add_entry, {"task_id": task_id, "version_id": version_id, "announced_at": entry[0],
                                       "closed_at": entry[1]})


def _leave(connection: Connection, sql, task_id: int, version_id: int, entry: Entry) -> None:
    connection.execute(sql.drop_entry, {"task": task_id, "version_ref": version_id})
    tasks, first, last = connection.execute(sql.take_from_version, {"version_ref": version_id}).one()
    if tasks == 0:
        connection.execute(sql.drop_version, {"version_ref": version_id})
    elif entry[0] in (first, last):  # a bound left: read the dates again
        _recount(connection, sql, version_id)


def _move_within(connection: Connection, sql, task_id: int, version_id: int, was: Entry, now: Entry) -> None:
    """The same version announced again (a newer message) or the task's closed date changed."""
    connection.execute(sql.change_entry, {"task": task_id, "version_ref": version_id, "new_announced": now[0],
                                          "new_closed": now[1]})
    if was[0] != now[0]:
        _recount(connection, sql, version_id)


def _recount(connection: Connection, sql, version_id: int) -> None:
    """A version's count and dates from its own entries (by index): only when a bound left it."""
    tasks, first, last = connection.execute(sql.count_entries, {"version_ref": version_id}).one()
    connection.execute(sql.set_version, {"version_ref": version_id, "new_tasks": tasks, "new_first": first,
                                         "new_last": last})


@functools.cache
def _statements(dialect: str) -> SimpleNamespace:
    """The save's statements for one kind of database, built once."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    # INSERTs take their values by column name from the parameters; other statements' names differ from the
    # columns' (SQLAlchemy reserves those for the VALUES or SET it builds).
    row, version = insert(results), insert(versions)
    fresh = row.excluded
    entry = (release_tasks.c.task_id == bindparam("task")) & (release_tasks.c.version_id == bindparam("version_ref"))
    this_version = versions.c.id == bindparam("version_ref")
    return SimpleNamespace(
        lock_task=text("SELECT pg_advisory_xact_lock(CAST(:task_id AS bigint))"),
        result_body=select(results.c.body).where(results.c.task_id == bindparam("task")),
        save_result=row.on_conflict_do_update(index_elements=[results.c.task_id], set_={
            "outcome": fresh.outcome, "processed_at": fresh.processed_at, "expires_at": fresh.expires_at,
            "body": fresh.body}),
        forget_expired=delete(results).where(results.c.outcome == "failed",
                                             results.c.expires_at <= bindparam("now")),
        entries=select(versions.c.component, versions.c.version, release_tasks.c.version_id,
                       release_tasks.c.announced_at, release_tasks.c.closed_at)
        .join(versions, versions.c.id == release_tasks.c.version_id)
        .where(release_tasks.c.task_id == bindparam("task")),
        add_to_version=version.on_conflict_do_update(
            index_elements=[versions.c.component, versions.c.version],
            set_={"tasks": versions.c.tasks + 1,
                  "first_announced": _least(version.excluded.first_announced, versions.c.first_announced),
                  "last_announced": _greatest(version.excluded.last_announced, versions.c.last_announced)})
        .returning(versions.c.id),
        add_entry=release_tasks.insert(),
        drop_entry=delete(release_tasks).where(entry),
        change_entry=update(release_tasks).where(entry).values(announced_at=bindparam("new_announced"),
                                                               closed_at=bindparam("new_closed")),
        take_from_version=update(versions).where(this_version).values(tasks=versions.c.tasks - 1)
        .returning(versions.c.tasks, versions.c.first_announced, versions.c.last_announced),
        drop_version=delete(versions).where(this_version),
        count_entries=select(func.count(), func.min(release_tasks.c.announced_at),
                             func.max(release_tasks.c.announced_at))
        .where(release_tasks.c.version_id == bindparam("version_ref")),
        set_version=update(versions).where(this_version).values(
            tasks=bindparam("new_tasks"), first_announced=bindparam("new_first"), last_announced=bindparam("new_last")),
    )


def _least(a, b):
    """The earlier of two moments, in SQL both databases speak (SQLite has no LEAST)."""
    return case((a < b, a), else_=b)


def _greatest(a, b):
    """The later of two moments."""
    return case((a > b, a), else_=b)
