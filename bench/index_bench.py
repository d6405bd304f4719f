"""The release index at any size: every page and API route, the job's write and the bytes each result takes, at
growing numbers of results, on SQLite and PostgreSQL; and today's figures against the Redis store of BASELINE
(main before the SQL record) at 20k results, in the same run.

    python bench/index_bench.py                          # 1k, 20k, 100k results (a few minutes)
    python bench/index_bench.py --sizes 1000,100000,1000000 --kinds postgresql

The database is filled through the store's own API (ResultStore.save_many, 1,000 results a transaction) with a
realistic spread: a component per 200 results (at least 10), each with 10 versions over time, 1-3 releases a
task, a fifth of all releases in 10 busy components; 85% found, 10% not_found, 3% no_chat, 2% failed. Routes are
requested through Flask's test client (no HTTP server: the app and the database only), each ROUNDS times, and
the largest answer is kept (a notes download, which streams every task of a version, is shown but held to no
goal). PostgreSQL is a server of the bench's own with its durable defaults (fsync and
synchronous commits on); SQLite is a file in WAL mode, as the store opens it. The write is one `save()` of a new
result (one transaction), ROUNDS times. Goals at 1M: p95 < 100 ms for every route, answers < 200 KB, the
write flat, < 1 KB a result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import baseline_tree, remove_tree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import fakeredis  # noqa: E402
from sqlalchemy import text  # noqa: E402

from cli.postgres import start_postgres  # noqa: E402
from releasebot.model import ApiErrorInfo, Release, TaskInfo, TaskResult  # noqa: E402
from store import ResultStore, open_database, open_engine, upgrade  # noqa: E402
from store.paging import encode  # noqa: E402
from web import create_app  # noqa: E402

BASELINE = "d0fa456"  # main before the SQL record (issue 20): results and the index in Redis
REDIS_SIZE = 20_000
ROUNDS = 40
BATCH = 1000
BUSY, BUSY_SHARE = 10, 0.2
GOAL_MS, GOAL_BYTES, GOAL_PER_RESULT = 100, 200_000, 1000
EPOCH = 1_750_000_000  # results spread over the year after this moment
YEAR = 365 * 24 * 3600
TOKEN = "bench"


def components_for(size: int) -> list[str]:
    named = ["im", "ui", "desktop", "mobile", "calendar", "crm", "disk", "tasks", "mail", "landing"]
    return named + [f"module-{n:05d}" for n in range(max(0, size // 200 - len(named)))]


def result_of(task_id: int, size: int, names: list[str], rng: random.Random) -> TaskResult:
    """One task's result, as a worker stores it; the n-th of `size` is closed n/size of the way through."""
    moment = EPOCH + task_id * YEAR // max(size, 1)
    when = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(moment))
    info = TaskInfo(f"Task {task_id}: fix the unread counter after a reconnect", when, 20294, 7, ("im",),
                    f"https://example.bitrix24.com/company/personal/user/0/tasks/task/view/{task_id}/")
    roll = rng.random()
    if roll < 0.02:
        error = ApiErrorInfo("ACCESS_DENIED", "Access denied", 403, "give the key's user access to the task")
        return TaskResult(task_id, "failed", when, error=error, task=info)
    if roll < 0.05:
        return TaskResult(task_id, "no_chat", when, task=info)
    if roll < 0.15:
        return TaskResult(task_id, "not_found", when, task=info, newest_message_id=task_id * 10)
    picks = {rng.choice(names[:BUSY]) if rng.random() < BUSY_SHARE else rng.choice(names)
             for _ in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1))}
    minor = 10 * (moment - EPOCH) // YEAR
    releases = tuple(Release(c, f"24.{100 + 10 * minor}.0", "shipped", task_id * 10, 20294, when,
                             f"deployed in {c} 24.{100 + 10 * minor}.0, thanks everyone") for c in sorted(picks))
    return TaskResult(task_id, "found", when, releases=releases, comment_id=task_id * 10 + 1, task=info,
                      tags_added=tuple(f"{r.component} {r.version}" for r in releases),
                      newest_message_id=task_id * 10, rules_sha="0123456789abcdef")


def fill(store: ResultStore, start: int, end: int, size: int) -> float:
    """Save results start..end-1 through the store's API; seconds it took."""
    rng, names, began = random.Random(start), components_for(size), time.monotonic()
    for first in range(start, end, BATCH):
        store.save_many(result_of(n, size, names, rng) for n in range(first, min(first + BATCH, end)))
    return time.monotonic() - began


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def routes(store: ResultStore, size: int) -> dict[str, str]:
    """The pages and API routes, at a busy version, a deep page and a filter."""
    busy = max(store.versions_of("im").items, key=lambda row: row["tasks"])["version"]
    names = components_for(size)
    middle = names[len(names) // 2]
    deep_index = encode((middle, ""))
    deep_tasks = store.release_results("im", busy, limit=200)
    deep_tasks = store.release_results("im", busy, limit=200, cursor=deep_tasks.next).next or ""
    deep_attention = encode((EPOCH + YEAR // 2, 0))
    return {
        "/releases": "/releases",
        "/releases?q=": f"/releases?q={middle[-3:]}",
        "/releases deep page": f"/releases?cursor={deep_index}",
        "/releases/<c>": "/releases/im",
        "/releases/<c>/<v>": f"/releases/im/{busy}",
        "/releases/<c>/<v> deep page": f"/releases/im/{busy}?cursor={deep_tasks}",
        "/attention": "/attention",
        "/api/releases": "/api/releases",
        "/api/releases deep page": f"/api/releases?cursor={deep_index}",
        "/api/releases/<c>?since&until": "/api/releases/im?since=24.120.0&until=24.160.0",
        "/api/releases/<c>/<v>": f"/api/releases/im/{busy}",
        "/api/releases/<c>/<v> csv (all)": f"/api/releases/im/{busy}?format=csv",
        "/api/tasks/<id>": f"/api/tasks/{size // 2}",
        "/api/tasks?outcome=not_found": "/api/tasks?outcome=not_found",
        "/api/tasks?outcome deep page": f"/api/tasks?outcome=not_found&cursor={deep_attention}",
    }


def time_routes(client, paths: dict[str, str]) -> dict[str, dict]:
    figures = {}
    for name, path in paths.items():
        samples, largest = [], 0
        for _ in range(ROUNDS):
            began = time.perf_counter()
            answer = client.get(path)
            body = answer.get_data()
            samples.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, (path, answer.status_code, body[:300])
            largest = max(largest, len(body))
        p50, p95 = percentiles(samples)
        figures[name] = {"p50": p50, "p95": p95, "bytes": largest}
    return figures


def time_writes(store: ResultStore, first: int, size: int) -> dict:
    rng, names, samples = random.Random(first), components_for(size), []
    for n in range(first, first + ROUNDS):
        result = result_of(n, size, names, rng)
        began = time.perf_counter()
        store.save(result)
        samples.append((time.perf_counter() - began) * 1000)
    p50, p95 = percentiles(samples)
    return {"p50": p50, "p95": p95}


def database_bytes(store: ResultStore) -> int:
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            return connection.scalar(text("SELECT pg_database_size(current_database())"))
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        return pages * connection.exec_driver_sql("PRAGMA page_size").scalar()


def measure_size(kind: str, url: str, size: int) -> dict:
    """A database of `size` results, filled from empty, and its figures."""
    engine = open_database(url)
    store = ResultStore(engine)
    empty = database_bytes(store)
    seconds = fill(store, 1, size + 1, size)
    writes = time_writes(store, 10_000_000, size)
    per_result = (database_bytes(store) - empty) / store.count()
    client = create_app({"BITRIX_APP_TOKEN": TOKEN}, connection=fakeredis.FakeRedis(), engine=engine).test_client()
    figures = {"routes": time_routes(client, routes(store, size)), "write": writes,
               "bytes_per_result": per_result, "fill_per_second": size / seconds}
    engine.dispose()
    print(f"  {kind} {size:>9,}: filled at {size / seconds:,.0f} results/s, write p95 {writes['p95']:.1f} ms, "
          f"{per_result:,.0f} bytes a result", file=sys.stderr, flush=True)
    return figures


# Runs in the BASELINE tree: its Redis store and app, filled and measured the same way; prints JSON.
REDIS_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
import index_bench as bench  # the data and the timing; then the baseline's own packages, imported afresh
for name in [m for m in sys.modules if m.split(".")[0] in ("releasebot", "web", "worker", "store", "infra")]:
    del sys.modules[name]
sys.path.insert(0, sys.argv[1])
from redis import Redis
from releasebot.dev.localrun import start_redis
from web import create_app
from worker.store import ResultStore
size = int(sys.argv[3])
server = start_redis()
try:
    redis = Redis.from_url(server.url)
    store = ResultStore(redis)
    rng, names = bench.random.Random(1), bench.components_for(size)
    for n in range(1, size + 1):
        store.save(bench.result_of(n, size, names, rng))
    busy = max((r for r in store.releases() if r["component"] == "im"), key=lambda r: r["tasks"])["version"]
    client = create_app({"BITRIX_APP_TOKEN": "bench"}, connection=redis).test_client()
    paths = {"/releases": "/releases", "/releases/<c>": "/releases/im", "/releases/<c>/<v>": f"/releases/im/{busy}",
             "/attention": "/attention", "/api/releases": "/api/releases",
             "/api/releases/<c>/<v>": f"/api/releases/im/{busy}",
             "/api/releases/<c>/<v> csv (all)": f"/api/releases/im/{busy}?format=csv",
             "/api/tasks/<id>": f"/api/tasks/{size // 2}",
             "/api/tasks?outcome=not_found": "/api/tasks?outcome=not_found"}
    routes = bench.time_routes(client, paths)
    writes = bench.time_writes(store, 10_000_000, size)
    used = redis.info("memory")["used_memory"]
    print(json.dumps({"routes": routes, "write": writes, "bytes_per_result": used / size}))
finally:
    server.stop()
"""


def measure_redis(size: int) -> dict:
    """The Redis store of BASELINE at `size` results, or {} without git history."""
    with tempfile.TemporaryDirectory(prefix="releasebot-bench-") as folder:
        tree = baseline_tree(Path(folder), BASELINE)
        if tree is None:
            return {}
        try:
            done = subprocess.run([sys.executable, "-c", REDIS_PROBE, str(tree), str(Path(__file__).parent),
                                   str(size)], capture_output=True, text=True, timeout=3600)
        finally:
            remove_tree(tree)
    if done.returncode != 0:
        raise SystemExit(f"the Redis probe failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def report(results: dict, redis: dict) -> bool:
    """The tables; True when the largest size meets every goal."""
    ok = True
    for kind, by_size in results.items():
        sizes = sorted(by_size)
        print(f"\n{kind}: p50 / p95 ms (largest answer KB) at " + ", ".join(f"{s:,}" for s in sizes) + " results")
        for route in by_size[sizes[0]]["routes"]:
            cells = []
            for size in sizes:
                f = by_size[size]["routes"][route]
                cells.append(f"{f['p50']:6.1f} /{f['p95']:6.1f} ({f['bytes'] / 1000:5.1f})")
            print(f"  {route:<34}" + "  ".join(cells))
        print(f"  {'the job write (save)':<34}" + "  ".join(
            f"{by_size[s]['write']['p50']:6.1f} /{by_size[s]['write']['p95']:6.1f}        " for s in sizes))
        print(f"  {'bytes a result':<34}" + "  ".join(f"{by_size[s]['bytes_per_result']:>22,.0f}" for s in sizes))
        print(f"  {'fill (save_many), results/s':<34}" + "  ".join(
            f"{by_size[s]['fill_per_second']:>22,.0f}" for s in sizes))
        top = by_size[sizes[-1]]
        # A notes download streams every task of a version, so it alone grows with the version: not a page.
        pages = [f for route, f in top["routes"].items() if not route.endswith("(all)")]
        worst = max(pages, key=lambda f: f["p95"])
        biggest = max(f["bytes"] for f in pages)
        met = worst["p95"] < GOAL_MS and biggest < GOAL_BYTES and top["bytes_per_result"] < GOAL_PER_RESULT
        ok &= met
        print(f"  at {sizes[-1]:,}: pages and lists: worst p95 {worst['p95']:.1f} ms, largest {biggest / 1000:.1f} KB, "
              f"{top['bytes_per_result']:,.0f} bytes a result: {'goals met' if met else 'GOAL MISSED'}")
    if redis:
        print(f"\nthe Redis store of {BASELINE} at {REDIS_SIZE:,} results, p95 ms, and the SQL store's ratio to it:")
        for kind, by_size in results.items():
            if REDIS_SIZE not in by_size:
                continue
            now = by_size[REDIS_SIZE]
            for route, before in redis["routes"].items():
                sql = now["routes"][route]["p95"]
                print(f"  {kind:<10} {route:<34} Redis {before['p95']:7.1f} ms ({before['bytes'] / 1000:7.1f} KB)"
                      f"  SQL {sql:6.1f} ms: {before['p95'] / sql:5.1f}x")
            print(f"  {kind:<10} {'the job write':<34} Redis {redis['write']['p95']:7.1f} ms"
                  f"              SQL {now['write']['p95']:6.1f} ms")
            print(f"  {kind:<10} {'bytes a result':<34} Redis {redis['bytes_per_result']:7,.0f}"
                  f"                 SQL {now['bytes_per_result']:6,.0f}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=f"1000,{REDIS_SIZE},100000")
    parser.add_argument("--kinds", default="sqlite,postgresql")
    parser.add_argument("--no-redis", action="store_true", help="skip the Redis store of BASELINE")
    parser.add_argument("--redis-only", action="store_true", help="only the Redis store of BASELINE")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = {}
    with tempfile.TemporaryDirectory(prefix="releasebot-index-") as folder:
        for kind in [] if args.redis_only else args.kinds.split(","):
            if kind == "sqlite":
                results[kind] = {size: measure_size(kind, f"sqlite:///{folder}/index-{size}.db", size)
                                 for size in sizes}
                continue
            server = start_postgres(durable=True)
            try:
                results[kind] = {}
                for size in sizes:
                    url = server.create(f"index_{size}")
                    upgrade(open_engine(url))
                    results[kind][size] = measure_size(kind, url, size)
            finally:
                server.stop()
    redis = {} if args.no_redis or REDIS_SIZE not in sizes else measure_redis(REDIS_SIZE)
    return 0 if report(results, redis) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
