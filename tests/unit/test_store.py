"""The record in SQL: counts that follow every move, pages that walk every row once, versions in version order."""

import json
import multiprocessing

import fakeredis
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given
from hypothesis import strategies as st

from releasebot.model import ApiErrorInfo, TaskResult
from store import BadCursor, ResultStore, open_database, version_order
from store.database import current_revision, head_revision
from store.redis_import import import_redis, summary
from store.schema import SCHEMA_REVISION, metadata
from store.sql import IDS_PER_QUERY
from tests.unit.test_results_api import shipped

PROCESSES = 4  # gunicorn's workers on a small dyno, and enough to collide


def rows(page) -> list[tuple]:
    return [(r["component"], r["version"], r["tasks"]) for r in page.items]


def walk(read, limit: int) -> list:
    """Every item of a paginated list, page by page."""
    items, cursor = [], None
    while True:
        page = read(limit=limit, cursor=cursor)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next


def test_migrations_from_empty_build_exactly_the_schema_the_code_uses(engine):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    assert current_revision(engine) == SCHEMA_REVISION == head_revision(), "the schema names the newest migration"


def test_counts_and_dates_follow_a_task_that_moves_and_an_emptied_version_leaves_the_index(store):
    store.save(shipped(1, ("im", "24.500.0"), at="2026-06-01T10:00:00+00:00"))
    store.save(shipped(2, ("im", "24.500.0"), at="2026-06-05T10:00:00+00:00"))
    store.save(shipped(2, ("im", "24.501.0"), ("ui", "3.1.0"), at="2026-06-07T10:00:00+00:00"))
    assert rows(store.releases()) == [("im", "24.501.0", 1), ("im", "24.500.0", 1), ("ui", "3.1.0", 1)]
    assert store.release("im", "24.500.0")["lastAnnouncedAt"] == "2026-06-01T10:00:00+00:00", "its last left"
    assert store.component_summaries(["im"])["im"] | {} == {
        "versions": 2, "tasks": 2, "firstAnnouncedAt": "2026-06-01T10:00:00+00:00",
        "lastAnnouncedAt": "2026-06-07T10:00:00+00:00"}
    store.save(shipped(1, ("ui", "3.1.0")))
    store.save(shipped(2, ("ui", "3.1.0")))
    assert rows(store.releases()) == [("ui", "3.1.0", 2)]
    assert store.release("im", "24.500.0") is None and store.component_summaries(["im"]) == {}


def test_a_not_found_result_takes_the_task_out_of_the_index_and_a_failed_one_leaves_it(store):
    error = ApiErrorInfo("ERROR_CORE", "try later", 500)
    store.save(shipped(1, ("im", "24.500.0")))
    store.save(TaskResult(1, "failed", "2026-06-11T10:00:00+00:00", error=error))
    assert rows(store.releases()) == [("im", "24.500.0", 1)]
    store.save(TaskResult(1, "not_found", "2026-06-12T10:00:00+00:00"))
    assert store.releases().items == []


def test_saving_the_same_result_again_changes_nothing(store):
    for _ in range(3):
        store.save(shipped(1, ("im", "24.500.0"), ("ui", "3.1.0")))
    assert rows(store.releases()) == [("im", "24.500.0", 1), ("ui", "3.1.0", 1)]
    assert store.component_summaries(["im", "ui"])["ui"]["tasks"] == 1


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_pages_walk_every_release_once_in_order_whatever_the_page_size(store, limit):
    for n in range(10):
        store.save(shipped(n + 1, (f"c{n % 3}", f"1.{n}.0")))
    assert walk(store.releases, limit) == store.releases(limit=200).items
    assert len(walk(store.releases, limit)) == 10


def test_a_versions_tasks_come_most_recently_closed_first_a_page_at_a_time(store):
    for n in range(1, 8):
        store.save(shipped(n, ("im", "1.0"), closed=f"2026-06-0{n}T10:00:00+02:00"))
    tasks = walk(lambda **page: store.release_results("im", "1.0", **page), 3)
    assert [r.task_id for r in tasks] == [7, 6, 5, 4, 3, 2, 1]


def test_attention_lists_page_newest_first(store):
    for n in range(1, 6):
        store.save(TaskResult(n, "not_found", f"2026-06-0{n}T10:00:00+00:00"))
    assert [r.task_id for r in walk(lambda **page: store.with_outcome("not_found", **page), 2)] == [5, 4, 3, 2, 1]


def test_a_cursor_not_given_out_by_the_server_is_refused(store, client):
    with pytest.raises(BadCursor):
        store.releases(cursor="not-a-cursor")
    with pytest.raises(BadCursor):
        store.releases(cursor=store.with_outcome("failed").next or "WzEsMl0")  # another list's key: [1,2]
    answer = client.get("/api/releases?cursor=WzEsMl0")
    assert answer.status_code == 400 and "start again" in answer.json["error"]
    assert client.get("/releases?cursor=%%%").status_code == 400


def test_the_api_links_the_next_page_until_the_last(client, store):
    for n in range(5):
        store.save(shipped(n + 1, ("im", f"1.{n}")))
    first = client.get("/api/releases?limit=2").json
    assert [r["version"] for r in first["releases"]] == ["1.4", "1.3"] and "cursor=" in first["next"]
    second = client.get(first["next"]).json
    assert [r["version"] for r in second["releases"]] == ["1.2", "1.1"]
    assert client.get(second["next"]).json["next"] is None


def test_a_version_range_is_in_version_order_not_text_order(client, store):
    for n, version in enumerate(("24.90.0", "24.400.0", "24.500.0", "24.600.0", "24.1000.0"), start=1):
        store.save(shipped(n, ("im", version)))
    answer = client.get("/api/releases/IM?since=24.400.0&until=24.600.0").json
    assert [r["version"] for r in answer["releases"]] == ["24.600.0", "24.500.0", "24.400.0"]
    assert client.get("/api/releases/nothing").status_code == 404


def test_the_filter_takes_percent_and_underscore_literally(store):
    store.save(shipped(1, ("im", "1.0")))
    store.save(shipped(2, ("a_b", "1.0")))
    assert rows(store.releases(query="_")) == [("a_b", "1.0", 1)]
    assert store.releases(query="%").items == []


def test_get_many_keeps_the_order_asked_across_query_chunks(store):
    store.save_many(shipped(n, ("im", "1.0")) for n in range(1, IDS_PER_QUERY + 10))
    wanted = [IDS_PER_QUERY + 5, 3, 999_999, 1]
    assert [r.task_id for r in store.get_many(wanted)] == [IDS_PER_QUERY + 5, 3, 1]


def test_the_release_notes_download_holds_every_task_past_one_page(client, store):
    store.save_many(shipped(n, ("im", "1.0")) for n in range(1, 451))
    markdown = client.get("/api/releases/im/1.0?format=markdown").get_data(as_text=True)
    assert markdown.count("\n- ") == 450
    page = client.get("/api/releases/im/1.0").json
    assert len(page["tasks"]) == 100 and page["next"]


def reference_key(version: str) -> tuple:
    """Version order as people read it: numeric parts as numbers, anything else as 0."""
    return tuple(int(p) if p.isascii() and p.isdigit() else 0 for p in version.split("."))


versions = st.lists(st.one_of(st.integers(0, 10**12).map(str), st.sampled_from(["rc1", "", "x", "007", "²"])),
                    min_size=1, max_size=5).map(".".join)


@given(versions, versions)
def test_the_version_keys_sort_like_versions_in_both_directions(a, b):
    up, down = version_order.ascending, version_order.descending
    assert (up(a) < up(b)) == (reference_key(a) < reference_key(b))
    assert (down(a) < down(b)) == (reference_key(a) > reference_key(b))


def test_the_import_copies_the_redis_record_once_and_never_over_a_newer_result(store):
    redis = fakeredis.FakeRedis()
    old = shipped(1, ("im", "24.500.0"))
    redis.set("releasebot:result:1", json.dumps(old.to_json()))
    redis.set("releasebot:result:2", json.dumps(shipped(2, ("ui", "3.1.0")).to_json()))
    redis.set("releasebot:result:3", "{not json")
    redis.set("releasebot:portal", "https://acme.bitrix24.eu")
    redis.set("releasebot:sweep:watermark", "2026-06-10T12:00:00+00:00")
    store.save(TaskResult(2, "not_found", "2026-07-01T10:00:00+00:00"))  # newer, by a live worker
    seen = []
    counts = import_redis(redis, store, lambda done, total: seen.append((done, total)))
    assert counts == {"found": 3, "imported": 1, "already": 0, "newer": 1, "unreadable": 1} and seen == [(3, 3)]
    assert "1 imported, 0 already there, 1 left alone" in summary(counts) and "1 unreadable" in summary(counts)
    assert store.get(1) == old and store.get(2).outcome == "not_found"
    assert store.portal() == "https://acme.bitrix24.eu" and store.sweep_watermark().isoformat().startswith("2026")
    again = import_redis(redis, store)
    assert (again["imported"], again["already"]) == (0, 1), "run again: nothing to do"
    assert rows(store.releases()) == [("im", "24.500.0", 1)]


def _open_and_save(url: str, task_id: int, start, answers) -> None:
    try:
        start.wait()
        ResultStore(open_database(url)).save(shipped(task_id, ("im", "1.0")))
        answers.put("ok")
    except Exception as error:  # the parent reports what the process met
        answers.put(repr(error))


def test_processes_that_open_a_new_sqlite_file_together_all_start_and_migrate_it_once(tmp_path):
    """gunicorn forks its web workers at once: each opens the record, and a new file must not turn one away
    with "database is locked" (switching a file to WAL does not wait for the lock as other statements do)."""
    forked = multiprocessing.get_context("fork")
    for attempt in range(15):
        url = f"sqlite:///{tmp_path / f'record-{attempt}.db'}"
        start, answers = forked.Barrier(PROCESSES), forked.Queue()
        children = [forked.Process(target=_open_and_save, args=(url, n, start, answers)) for n in range(PROCESSES)]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=60)
        assert [answers.get(timeout=5) for _ in children] == ["ok"] * PROCESSES, f"attempt {attempt}"
        engine = open_database(url)
        assert len(ResultStore(engine).get_many(list(range(PROCESSES)))) == PROCESSES
        assert current_revision(engine) == SCHEMA_REVISION
        engine.dispose()
