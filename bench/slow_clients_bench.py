"""How long a real event waits while 200 unauthenticated clients send their bodies slowly (issue 19, item 9).

Each slow client connects, sends an event's headers and the first bytes of its body, then one byte a second
until the server gives up on it (408 or a closed socket), and connects again at once: the attack that made
every real event wait ~13 s with 24 such clients. Meanwhile real events are posted one after another and
timed, against gunicorn with two workers under each worker class:

- `gthread`, 8 threads (what gunicorn.conf.py ran before): a slow body holds a thread until the body
  deadline (web/body_deadline.py, 5 s);
- `gevent` (what gunicorn.conf.py runs now): a slow body holds a greenlet, and a worker serves up to
  `worker_connections` of them at once.

    python bench/slow_clients_bench.py [SLOW_CLIENTS] [EVENTS]    # exits 1 when gevent's slowest event > 1 s
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from cli.demo import bitrix_event_body  # noqa: E402
from cli.localrun import free_port, start_process, start_redis, tool  # noqa: E402

TOKEN = "bench-token"
SLOW_CLIENTS, EVENTS = 200, 30
WARM_UP_SECONDS = 3.0  # the slow clients are all connected and holding before the first event
EVENT_TIMEOUT = 60.0
SLOWEST_BUDGET = 1.0  # seconds: the slowest real event under gevent
ARMS = {
    "gthread, 8 threads": ("--worker-class", "gthread", "--threads", "8"),
    "gevent": ("--worker-class", "gevent", "--worker-connections", "1000"),
}
SLOW_HEAD = (b"POST /bitrix/events HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             b"Content-Length: 1000\r\n\r\nevent=ONTASK")


async def slow_client(port: int, stop: asyncio.Event, held: list[int]) -> None:
    """Hold a request open by sending its body a byte a second; connect again whenever the server lets go."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        try:
            writer.write(SLOW_HEAD)
            await writer.drain()
            held[0] += 1
            while not stop.is_set() and not reader.at_eof():
                try:
                    if await asyncio.wait_for(reader.read(4096), 1.0) == b"":
                        break  # the server answered (408) and closed, or closed outright
                except TimeoutError:
                    writer.write(b"U")
                    await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()


def run_slow_clients(port: int, count: int, stop: threading.Event, held: list[int]) -> threading.Thread:
    """`count` slow clients on their own event loop, until `stop` is set."""

    async def main() -> None:
        done = asyncio.Event()
        clients = [asyncio.create_task(slow_client(port, done, held)) for _ in range(count)]
        while not stop.is_set():
            await asyncio.sleep(0.1)
        done.set()
        await asyncio.gather(*clients, return_exceptions=True)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    return thread


def time_events(url: str, count: int, first_id: int) -> list[float]:
    """Seconds each real event took to be answered 200, one after another (a refused one counts as the timeout)."""
    took = []
    for n in range(count):
        body = bitrix_event_body(first_id + n, TOKEN)
        started = time.monotonic()
        try:
            answer = requests.post(url, data=body, timeout=EVENT_TIMEOUT,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
            ok = answer.status_code == 200
        except requests.RequestException:
            ok = False
        took.append(time.monotonic() - started if ok else EVENT_TIMEOUT)
    return took


def measure(name: str, flags: tuple[str, ...], env: dict, config: Path, slow: int, events: int,
            first_id: int) -> dict:
    """One arm: gunicorn with these flags, the slow clients holding, the real events timed."""
    port = free_port()
    argv = [tool("gunicorn"), "--config", str(config), "--bind", f"127.0.0.1:{port}", "--workers", "2",
            *flags, "--log-level", "critical", "web:create_app()"]
    service = start_process(name, argv, env, port, cwd=ROOT)
    stop, held = threading.Event(), [0]
    try:
        time_events(f"http://127.0.0.1:{port}/bitrix/events", 3, first_id - 10)  # warm: imports, the script
        thread = run_slow_clients(port, slow, stop, held)
        time.sleep(WARM_UP_SECONDS)
        took = time_events(f"http://127.0.0.1:{port}/bitrix/events", events, first_id)
        stop.set()
        thread.join(10)
    finally:
        service.stop()
    return {"p50": statistics.median(took), "max": max(took), "failed": sum(t >= EVENT_TIMEOUT for t in took),
            "held": held[0]}


def main() -> int:
    slow = int(sys.argv[1]) if len(sys.argv) > 1 else SLOW_CLIENTS
    events = int(sys.argv[2]) if len(sys.argv) > 2 else EVENTS
    redis = start_redis()
    env = dict(os.environ, REDIS_URL=redis.url, BITRIX_APP_TOKEN=TOKEN)
    results = {}
    with tempfile.TemporaryDirectory(prefix="releasebot-slow-") as folder:
        config = Path(folder) / "gunicorn.conf.py"
        config.write_text("")  # every arm with the same flags, not the shipped config's worker class
        try:
            for number, (name, flags) in enumerate(ARMS.items()):
                results[name] = measure(name, flags, env, config, slow, events, 1_000_000 * (number + 1))
        finally:
            redis.stop()
    print(f"POST /bitrix/events, gunicorn -w 2, {slow} slow-body clients (a byte a second, reconnecting), "
          f"{events} real events one after another:")
    for name, figures in results.items():
        print(f"  {name:<20} p50 {figures['p50'] * 1000:8.1f} ms  slowest {figures['max'] * 1000:8.1f} ms  "
              f"not answered within {EVENT_TIMEOUT:g} s: {figures['failed']}  (slow connections made: "
              f"{figures['held']})")
    slowest = results["gevent"]["max"]
    print(f"gevent's slowest event {slowest * 1000:.0f} ms (budget {SLOWEST_BUDGET * 1000:.0f} ms): "
          + ("within budget" if slowest <= SLOWEST_BUDGET else "OVER BUDGET"))
    return 0 if slowest <= SLOWEST_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
