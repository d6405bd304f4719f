"""How fast the webhook answers Bitrix24 under load, against GET /healthz (one Redis ping) in the same run.

    python bench/webhook_bench.py [EVENTS]
Starts a redis-server and gunicorn (2 workers) on loopback, posts EVENTS task events (a third of them
duplicates) from 8 threads, and prints throughput and latency percentiles for both.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from releasebot.dev.demo import bitrix_event_body  # noqa: E402
from releasebot.dev.localrun import free_port, start_process, start_redis, tool  # noqa: E402

TOKEN = "bench-token"
THREADS = 8


def timed(session: requests.Session, method: str, url: str, **kw) -> float:
    started = time.perf_counter()
    answer = session.request(method, url, timeout=10, **kw)
    answer.raise_for_status()
    return time.perf_counter() - started


def load(url: str, count: int, make_kwargs, method: str) -> tuple[float, list[float]]:
    sessions = [requests.Session() for _ in range(THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        latencies = list(pool.map(lambda i: timed(sessions[i % THREADS], method, url, **make_kwargs(i)),
                                  range(count)))
    return time.perf_counter() - started, latencies


def report(name: str, elapsed: float, latencies: list[float], base: float | None = None) -> float:
    rate = len(latencies) / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    ratio = f"  ({rate / base:4.2f}x the healthz rate)" if base else ""
    print(f"{name:28s} {rate:8.0f}/s  p50 {cuts[49] * 1e3:6.1f} ms  p99 {cuts[98] * 1e3:6.1f} ms{ratio}")
    return rate


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    redis = start_redis()
    port = free_port()
    env = dict(os.environ, REDIS_URL=redis.url, BITRIX_APP_TOKEN=TOKEN)
    argv = [tool("gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "web:create_app()"]
    web = start_process("web", argv, env, port)
    base_url = f"http://127.0.0.1:{port}"
    form = {"headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    try:
        load(f"{base_url}/healthz", 200, lambda i: {}, "GET")  # warm up
        base = report("GET /healthz (baseline)", *load(f"{base_url}/healthz", count, lambda i: {}, "GET"))
        report("POST /bitrix/events", *load(f"{base_url}/bitrix/events", count,
                                            lambda i: {"data": bitrix_event_body(1 + i % (count * 2 // 3), TOKEN),
                                                       **form}, "POST"), base)
    finally:
        web.stop()
        redis.stop()


if __name__ == "__main__":
    main()
