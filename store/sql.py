"""The record in SQL: the latest result per task, the release index with its maintained counts, tasks by outcome.

Every list is read a page at a time by its index (keyset pagination), so that a page costs the same with a
thousand results or a million. A save is one transaction: the result, its place in the outcome lists, and
its moves in the release index with their counts and dates.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, and_, delete, func, or_, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from releasebot.model import TaskResult
from store import version_order
from store.database import WRITE
from store.paging import Page, clamp, decode, page_of
from store.schema import components, facts, release_tasks, results, versions

# Outcomes after which the task's place in the release index is known; the others leave it alone.
INDEXED_OUTCOMES = frozenset({"found", "not_found", "no_chat"})
# A failed result (a task that does not exist, a permanent API error) is kept this long, then forgotten:
# anyone can make the bot look up task ids that do not exist, and such results must not pile up.
FAILED_RESULT_TTL = 7 * 24 * 3600
IDS_PER_QUERY = 500  # task ids in one IN (...): far below every database's parameter limit
PORTAL, SWEEP_WATERMARK = "portal", "sweep_watermark"  # facts: names of single values


def _epoch(moment: str | None) -> int:
    """Whole seconds since 1970 of an ISO 8601 moment (naive ones taken as UTC); 0 when unreadable."""
    try:
        parsed = datetime.fromisoformat(moment or "")
    except ValueError:
        return 0
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def _iso(epoch: int | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds") if epoch else None


def _body(result: TaskResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":"))


def _result(body: str) -> TaskResult:
    return TaskResult.from_json(json.loads(body))


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
        return _result(body) if body else None

    def get_many(self, task_ids: list[int]) -> list[TaskResult]:
        """The stored results of those tasks, in that order (tasks never processed left out)."""
        found: dict[int, str] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(task_ids), IDS_PER_QUERY):
                chunk = task_ids[start:start + IDS_PER_QUERY]
                query = select(results.c.task_id, results.c.body).where(results.c.task_id.in_(chunk), self._alive())
                found.update((task_id, body) for task_id, body in connection.execute(query))
        return [_result(found[i]) for i in task_ids if i in found]

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

    def import_results(self, batch: list[TaskResult]) -> int:
        """Save those results in one transaction, but not over a newer result of the same task (an import
        running beside live workers, or again); how many were saved."""
        ids = [r.task_id for r in batch]
        with self.engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                query = select(results.c.task_id, results.c.processed_at).where(results.c.task_id.in_(ids))
                stored = {task_id: processed for task_id, processed in connection.execute(query)}
                fresh = [r for r in batch if stored.get(r.task_id, 0) <= _epoch(r.processed_at)]
                for result in fresh:
                    self._save(connection, result)
        return len(fresh)

    def _save(self, connection: Connection, result: TaskResult) -> None:
        if connection.dialect.name == "postgresql":  # one save of a task at a time; SQLite's writer lock is one
            connection.execute(text("SELECT pg_advisory_xact_lock(CAST(:id AS bigint))"), {"id": result.task_id})
        now = int(self.clock())
        row = {"task_id": result.task_id, "outcome": result.outcome, "processed_at": _epoch(result.processed_at),
               "expires_at": now + FAILED_RESULT_TTL if result.outcome == "failed" else None,
               "body": _body(result)}
        upsert = _insert(connection, results).values(row)
        connection.execute(upsert.on_conflict_do_update(index_elements=[results.c.task_id],
                                                        set_={k: upsert.excluded[k] for k in row if k != "task_id"}))
        if result.outcome == "failed":
            connection.execute(delete(results).where(results.c.outcome == "failed", results.c.expires_at <= now))
        if result.outcome in INDEXED_OUTCOMES:
            _Reindex(connection, result).run()

    def _alive(self):
        return or_(results.c.expires_at.is_(None), results.c.expires_at > int(self.clock()))

    def with_outcome(self, outcome: str, limit: int | None = None, cursor: str | None = None) -> Page[TaskResult]:
        """The latest results with that outcome, newest first, a page at a time."""
        limit, after = clamp(limit), decode(cursor, int, int)
        order = (results.c.processed_at, results.c.task_id)
        query = select(*order, results.c.body).where(results.c.outcome == outcome, self._alive())
        if after:
            query = query.where(tuple_(*order) < after)
        query = query.order_by(*(c.desc() for c in order)).limit(limit + 1)
        with self.engine.connect() as connection:
            page = page_of(list(connection.execute(query)), limit, lambda r: (r.processed_at, r.task_id))
        return Page([_result(r.body) for r in page.items], page.next)

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
            yield from (_result(r.body) for r in rows)
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
        order = (versions.c.component, versions.c.version_order)
        if after:
            statement = statement.where(tuple_(*order) > after)
        statement = statement.order_by(*order).limit(limit + 1)
        with self.engine.connect() as connection:
            page = page_of(list(connection.execute(statement)), limit, lambda r: (r.component, r.version_order))
        return Page([_version_json(r) for r in page.items], page.next)

    def release(self, component: str, version: str) -> dict | None:
        """One component (any case)/version with its task count and announcement dates, or None if unknown."""
        statement = _version_rows().where(versions.c.component == component.lower(), versions.c.version == version)
        with self.engine.connect() as connection:
            row = connection.execute(statement).first()
        return _version_json(row) if row else None

    def component_summaries(self, names: Iterable[str]) -> dict[str, dict]:
        """For each named component: its number of versions and tasks, and its first and last announcement."""
        statement = select(components).where(components.c.name.in_(sorted(set(names))))
        with self.engine.connect() as connection:
            rows = list(connection.execute(statement))
        return {r.name: {"versions": r.versions, "tasks": r.tasks, "firstAnnouncedAt": _iso(r.first_announced),
                         "lastAnnouncedAt": _iso(r.last_announced)} for r in rows}

    def release_results(self, component: str, version: str, limit: int | None = None,
                        cursor: str | None = None) -> Page[TaskResult]:
        """The results of the tasks shipped in that component (any case)/version, most recently closed first."""
        limit, after = clamp(limit), decode(cursor, int, int)
        order = (release_tasks.c.closed_at, release_tasks.c.task_id)
        statement = (select(*order, results.c.body)
                     .join(results, results.c.task_id == release_tasks.c.task_id)
                     .join(versions, versions.c.id == release_tasks.c.version_id)
                     .where(versions.c.component == component.lower(), versions.c.version == version))
        if after:
            statement = statement.where(tuple_(*order) < after)
        statement = statement.order_by(*(c.desc() for c in order)).limit(limit + 1)
        with self.engine.connect() as connection:
            page = page_of(list(connection.execute(statement)), limit, lambda r: (r.closed_at, r.task_id))
        return Page([_result(r.body) for r in page.items], page.next)

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


class _Reindex:
    """One result's moves in the release index, inside the save's transaction. Rows are locked in one global
    order (components, then versions, each sorted) so that concurrent saves on PostgreSQL never deadlock."""

    def __init__(self, connection: Connection, result: TaskResult):
        self.connection, self.task_id = connection, result.task_id
        closed = _epoch(result.task.closed_date) if result.task else 0
        processed = _epoch(result.processed_at)
        self.new = {(r.component.lower(), r.version): (_epoch(r.message_at) or processed, closed)
                    for r in result.releases}

    def run(self) -> None:
        old = self._old()
        if {pair: values for pair, (_, *values) in old.items()} == self.new:
            return
        pairs = sorted(set(old) | set(self.new))
        for name in sorted({component for component, _ in pairs}):
            self._lock_component(name)
        rows = {pair: self._lock_version(*pair) for pair in pairs}
        for pair in pairs:
            self._move(rows[pair], old.get(pair), self.new.get(pair))
        for name in sorted({component for component, _ in pairs}):
            self._sum_component(name)

    def _old(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """The task's current index entries: (component, version) -> (version id, announced, closed)."""
        statement = (select(versions.c.component, versions.c.version, release_tasks.c.version_id,
                            release_tasks.c.announced_at, release_tasks.c.closed_at)
                     .join(versions, versions.c.id == release_tasks.c.version_id)
                     .where(release_tasks.c.task_id == self.task_id))
        return {(r.component, r.version): (r.version_id, r.announced_at, r.closed_at)
                for r in self.connection.execute(statement)}

    def _lock_component(self, name: str) -> None:
        insert = _insert(self.connection, components).values(name=name, versions=0, tasks=0)
        self.connection.execute(insert.on_conflict_do_nothing(index_elements=[components.c.name]))
        self.connection.execute(select(components.c.name).where(components.c.name == name).with_for_update())

    def _lock_version(self, component: str, version: str):
        insert = _insert(self.connection, versions).values(
            component=component, version=version, version_order=version_order.descending(version), tasks=0)
        self.connection.execute(insert.on_conflict_do_nothing(index_elements=[versions.c.component,
                                                                              versions.c.version]))
        statement = (select(versions.c.id, versions.c.tasks, versions.c.first_announced, versions.c.last_announced)
                     .where(versions.c.component == component, versions.c.version == version).with_for_update())
        return self.connection.execute(statement).one()

    def _move(self, row, old: tuple[int, int, int] | None, new: tuple[int, int] | None) -> None:
        """Apply one entry's change to release_tasks and to its version's count and dates."""
        entry = and_(release_tasks.c.task_id == self.task_id, release_tasks.c.version_id == row.id)
        if old and not new:
            self.connection.execute(delete(release_tasks).where(entry))
        elif new and not old:
            self.connection.execute(release_tasks.insert().values(
                task_id=self.task_id, version_id=row.id, announced_at=new[0], closed_at=new[1]))
        elif old[1:] != new:
            self.connection.execute(update(release_tasks).where(entry).values(announced_at=new[0], closed_at=new[1]))
        if old and old[1] in (row.first_announced, row.last_announced):  # a bound left: read them again
            self._recount(row.id)
        elif not new:
            self.connection.execute(update(versions).where(versions.c.id == row.id).values(tasks=row.tasks - 1))
        else:
            self._widen(row, new[0], row.tasks + (0 if old else 1))

    def _widen(self, row, announced: int, tasks: int) -> None:
        first = min(filter(None, (row.first_announced, announced)), default=None)
        last = max(filter(None, (row.last_announced, announced)), default=None)
        self.connection.execute(update(versions).where(versions.c.id == row.id)
                                .values(tasks=tasks, first_announced=first, last_announced=last))

    def _recount(self, version_id: int) -> None:
        """A version's count and dates from its entries (the version's own rows, by index); gone when none."""
        where = release_tasks.c.version_id == version_id
        count, first, last = self.connection.execute(
            select(func.count(), func.min(release_tasks.c.announced_at), func.max(release_tasks.c.announced_at))
            .where(where)).one()
        if count:
            self.connection.execute(update(versions).where(versions.c.id == version_id)
                                    .values(tasks=count, first_announced=first, last_announced=last))
        else:
            self.connection.execute(delete(versions).where(versions.c.id == version_id))

    def _sum_component(self, name: str) -> None:
        """A component's totals from its versions (a few rows, by index); gone with its last version."""
        self.connection.execute(delete(versions).where(versions.c.component == name, versions.c.tasks == 0))
        count, tasks, first, last = self.connection.execute(
            select(func.count(), func.sum(versions.c.tasks), func.min(versions.c.first_announced),
                   func.max(versions.c.last_announced)).where(versions.c.component == name)).one()
        if count:
            self.connection.execute(update(components).where(components.c.name == name)
                                    .values(versions=count, tasks=tasks, first_announced=first, last_announced=last))
        else:
            self.connection.execute(delete(components).where(components.c.name == name))
