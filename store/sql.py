"""The record in SQL: the latest result per task, the release index with its maintained counts, tasks by outcome.

Every list is read a page at a time by its index (keyset pagination), so that a page costs the same with a
thousand results or a million. A save is one transaction: the result, its place in the outcome lists, and
its moves in the release index with their counts and dates.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from releasebot.model import TaskResult
from store import version_order
from store.database import WRITE
from store.paging import Page, clamp, decode, page_of
from store.schema import facts, release_tasks, results, versions
from store.writes import FAILED_RESULT_TTL, INDEXED_OUTCOMES, epoch, save_result, stored_result

__all__ = ["FAILED_RESULT_TTL", "INDEXED_OUTCOMES", "ResultStore"]
IDS_PER_QUERY = 500  # task ids in one IN (...): far below every database's parameter limit
MAX_LISTED = 1000  # results a tool (rules suggest, rules redo) reads of one outcome, newest first
PORTAL, SWEEP_WATERMARK = "portal", "sweep_watermark"  # facts: names of single values


def _iso(seconds: int | None) -> str | None:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds") if seconds else None


def _insert(connection: Connection, table):
    """INSERT with the database's own ON CONFLICT (PostgreSQL and SQLite spell it the same)."""
    return (postgresql if connection.dialect.name == "postgresql" else sqlite).insert(table)


class ResultStore:
    """Latest result per task, for each component/version the tasks shipped in it, and tasks by outcome."""

    def __init__(self, engine: Engine, clock=time.time):
        self.engine, self.clock = engine, clock

    # Results

    def get(self, task_id: int) -> TaskResult | None:
        """The latest stored result for a task, or None if it was never processed (or its failure expired)."""
        with self.engine.connect() as connection:
            body = connection.scalar(select(results.c.body).where(results.c.task_id == task_id, self._alive()))
        return stored_result(body) if body else None

    def get_many(self, task_ids: list[int]) -> list[TaskResult]:
        """The stored results of those tasks, in that order (tasks never processed left out)."""
        found: dict[int, bytes] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(task_ids), IDS_PER_QUERY):
                chunk = task_ids[start:start + IDS_PER_QUERY]
                query = select(results.c.task_id, results.c.body).where(results.c.task_id.in_(chunk), self._alive())
                found.update((task_id, body) for task_id, body in connection.execute(query))
        return [stored_result(found[i]) for i in task_ids if i in found]

    def save(self, result: TaskResult) -> None:
        """Store the result, move the task between release index entries and outcome lists, atomically."""
        self.save_many([result])

    def save_many(self, many: Iterable[TaskResult]) -> int:
        """Save results in one transaction (the import and the benchmark); how many."""
        count = 0
        with self.engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                for result in many:
                    self._save(connection, result)
                    count += 1
        return count

    def import_results(self, batch: list[TaskResult]) -> dict[str, int]:
        """Save those results in one transaction, but not over a newer result of the same task (an import
        running beside live workers) nor again over itself (an import run twice); counts of each."""
        ids = [r.task_id for r in batch]
        counts = {"imported": 0, "already": 0, "newer": 0}
        with self.engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                query = select(results.c.task_id, results.c.processed_at, results.c.body)
                stored = {row.task_id: row for row in connection.execute(query.where(results.c.task_id.in_(ids)))}
                for result in batch:
                    have = stored.get(result.task_id)
                    if have is not None and have.processed_at > epoch(result.processed_at):
                        counts["newer"] += 1
                    elif have is not None and stored_result(have.body) == result:
                        counts["already"] += 1
                    else:
                        self._save(connection, result)
                        counts["imported"] += 1
        return counts

    def _save(self, connection: Connection, result: TaskResult) -> None:
        save_result(connection, result, int(self.clock()))

    def _alive(self):
        return or_(results.c.expires_at.is_(None), results.c.expires_at > int(self.clock()))

    def with_outcome(self, outcome: str, limit: int | None = None, cursor: str | None = None) -> Page[TaskResult]:
        """The latest results with that outcome, newest first, a page at a time."""
        order = (results.c.processed_at, results.c.task_id)
        query = select(*order, results.c.body).where(results.c.outcome == outcome, self._alive())
        page = self._page(query, order, decode(cursor, int, int), clamp(limit), newest_first=True)
        return Page([stored_result(r.body) for r in page.items], page.next)

    def newest(self, outcome: str, most: int = MAX_LISTED) -> list[TaskResult]:
        """The newest results with that outcome, at most `most`, read a page at a time (the rules tools)."""
        found, cursor = [], None
        while len(found) < most:
            page = self.with_outcome(outcome, most - len(found), cursor)
            found += page.items
            if page.next is None:
                break
            cursor = page.next
        return found

    def count(self) -> int:
        """How many results are stored."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(results))

    def all_results(self, batch: int = 1000) -> Iterator[TaskResult]:
        """Every stored result by task id, read a batch at a time (exports and checks)."""
        after = 0
        while True:
            query = (select(results.c.task_id, results.c.body).where(results.c.task_id > after)
                     .order_by(results.c.task_id).limit(batch))
            with self.engine.connect() as connection:
                rows = list(connection.execute(query))
            yield from (stored_result(r.body) for r in rows)
            if len(rows) < batch:
                return
            after = rows[-1].task_id

    # The release index

    def releases(self, limit: int | None = None, cursor: str | None = None, query: str = "") -> Page[dict]:
        """Known component/versions with task counts and first and last announcement: components A to Z, each
        one's versions newest first; `query` keeps those whose "component version" holds every word of it."""
        limit, after = clamp(limit), decode(cursor, str, str)
        statement = _version_rows()
        for word in query.lower().split():
            statement = statement.where(func.lower(versions.c.component + " " + versions.c.version)
                                        .contains(word, autoescape=True))
        return self._version_page(statement, after, limit)

    def versions_of(self, component: str, limit: int | None = None, cursor: str | None = None,
                    since: str | None = None, until: str | None = None) -> Page[dict]:
        """A component's (any case) versions newest first; `since`/`until` keep a range in version order."""
        limit, after = clamp(limit), decode(cursor, str, str)
        statement = _version_rows().where(versions.c.component == component.lower())
        if until:
            statement = statement.where(versions.c.version_order >= version_order.descending(until))
        if since:
            statement = statement.where(versions.c.version_order <= version_order.descending(since))
        return self._version_page(statement, after, limit)

    def _version_page(self, statement, after: tuple | None, limit: int) -> Page[dict]:
        page = self._page(statement, (versions.c.component, versions.c.version_order), after, limit)
        return Page([_version_json(r) for r in page.items], page.next)

    def _page(self, statement, order: tuple, after: tuple | None, limit: int, newest_first: bool = False) -> Page:
        """One keyset page of the statement's rows in `order` (descending when `newest_first`), from the row
        after the key `after`: one indexed range read, the same cost at any depth."""
        if after:
            key = tuple_(*order)
            statement = statement.where(key < after if newest_first else key > after)
        statement = statement.order_by(*(c.desc() if newest_first else c for c in order)).limit(limit + 1)
        with self.engine.connect() as connection:
            rows = list(connection.execute(statement))
        return page_of(rows, limit, lambda row: tuple(getattr(row, column.name) for column in order))

    def release(self, component: str, version: str) -> dict | None:
        """One component (any case)/version with its task count and announcement dates, or None if unknown."""
        statement = _version_rows().where(versions.c.component == component.lower(), versions.c.version == version)
        with self.engine.connect() as connection:
            row = connection.execute(statement).first()
        return _version_json(row) if row else None

    def component_summaries(self, names: Iterable[str]) -> dict[str, dict]:
        """For each named component: its number of versions and tasks, and its first and last announcement
        (from its versions' maintained counts, a few rows each, by index)."""
        statement = (select(versions.c.component, func.count(), func.sum(versions.c.tasks),
                            func.min(versions.c.first_announced), func.max(versions.c.last_announced))
                     .where(versions.c.component.in_(sorted(set(names)))).group_by(versions.c.component))
        with self.engine.connect() as connection:
            rows = list(connection.execute(statement))
        return {name: {"versions": count, "tasks": tasks, "firstAnnouncedAt": _iso(first),
                       "lastAnnouncedAt": _iso(last)} for name, count, tasks, first, last in rows}

    def release_results(self, component: str, version: str, limit: int | None = None,
                        cursor: str | None = None) -> Page[TaskResult]:
        """The results of the tasks shipped in that component (any case)/version, most recently closed first."""
        order = (release_tasks.c.closed_at, release_tasks.c.task_id)
        statement = (select(*order, results.c.body)
                     .join(results, results.c.task_id == release_tasks.c.task_id)
                     .join(versions, versions.c.id == release_tasks.c.version_id)
                     .where(versions.c.component == component.lower(), versions.c.version == version))
        page = self._page(statement, order, decode(cursor, int, int), clamp(limit), newest_first=True)
        return Page([stored_result(r.body) for r in page.items], page.next)

    def tasks_in(self, component: str, version: str) -> list[int]:
        """Ids of the tasks shipped in that component/version (any case), ascending."""
        statement = (select(release_tasks.c.task_id).join(versions, versions.c.id == release_tasks.c.version_id)
                     .where(versions.c.component == component.lower(), versions.c.version == version)
                     .order_by(release_tasks.c.task_id))
        with self.engine.connect() as connection:
            return list(connection.scalars(statement))

    # Single values

    def portal(self) -> str | None:
        """The portal address learnt from received events, if any."""
        return self._fact(PORTAL)

    def remember_portal(self, portal: str) -> None:
        """Keep the portal address of received events (for task links when PORTAL_URL is unset)."""
        if self.portal() != portal:
            self._set_fact(PORTAL, portal)

    def sweep_watermark(self) -> datetime | None:
        """When the last sweep ran, or None before the first."""
        mark = self._fact(SWEEP_WATERMARK)
        return datetime.fromisoformat(mark) if mark else None

    def set_sweep_watermark(self, when: datetime) -> None:
        """Record that a sweep covered every task closed up to `when`."""
        self._set_fact(SWEEP_WATERMARK, when.isoformat(timespec="seconds"))

    def _fact(self, name: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(facts.c.value).where(facts.c.name == name))

    def _set_fact(self, name: str, value: str) -> None:
        with self.engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                upsert = _insert(connection, facts).values(name=name, value=value)
                connection.execute(upsert.on_conflict_do_update(index_elements=[facts.c.name],
                                                                set_={"value": upsert.excluded.value}))


def _version_rows():
    return select(versions.c.component, versions.c.version, versions.c.version_order, versions.c.tasks,
                  versions.c.first_announced, versions.c.last_announced)


def _version_json(row) -> dict:
    return {"component": row.component, "version": row.version, "tasks": row.tasks,
            "firstAnnouncedAt": _iso(row.first_announced), "lastAnnouncedAt": _iso(row.last_announced)}
