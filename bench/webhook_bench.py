"""How fast POST /bitrix/events answers, against a bare Flask view that parses the same form (bench/bare_view.py),
all under `gunicorn -w 2` (the gevent worker, as gunicorn.conf.py), driven by wrk in the same run: A/B
interleaved, the median of three rounds. The webhook of BASELINE (main before issue 9, from a `git worktree`)
runs in the same rounds, for comparison.

    python bench/webhook_bench.py [SECONDS]       # exits 1 below the ratio or above the p99 budget

Two loads: a new task id for every request across all wrk threads, and each id three times (Bitrix24 sends
several events per click, and again when the bot writes). wrk comes from Debian's `wrk` package; as root
this installs it when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from baseline import baseline_tree, remove_tree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402

from cli.demo import bitrix_event_body  # noqa: E402
from cli.localrun import free_port, start_process, start_redis, tool  # noqa: E402

TOKEN = "bench-token"
BASELINE = "d980165"  # main before issue 9's webhook (with issue 11's queue cap and issue 12's metrics)
THREADS, CONNECTIONS, ROUNDS = 2, 4, 3
WORKER_FLAGS = ("--worker-class", "gevent", "--worker-connections", "1000")  # as gunicorn.conf.py sets them
MIN_RATIO = 0.55
P99_BUDGET_MS = 6.0
ID_MARK = "987654321"  # the task id in the body template, replaced per request
# wrk's Lua: every thread numbers its requests; ids never repeat across threads ("new") or come three times
# in a row ("repeat"). done() prints one line the bench reads.
WRK_SCRIPT = """
local template = [[%(body)s]]
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
local threads, counter = 0, 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  first, mode, nthreads = tonumber(args[1]), args[2], tonumber(args[3])
end
function request()
  local n = counter * nthreads + tid
  counter = counter + 1
  if mode == "repeat" then n = math.floor(n / 3) end
  local body = string.gsub(template, "%(mark)s", tostring(first + n))
  return wrk.format("POST", "/bitrix/events", headers, body)
end
function done(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
                         latency:percentile(50), latency:percentile(99), bad))
end
"""


def wrk_binary() -> str:
    """The wrk executable, installed from Debian packages when missing and running as root."""
    found = shutil.which("wrk")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("webhook_bench needs wrk: apt-get install wrk")
    return found


def run_wrk(wrk: str, script: Path, url: str, seconds: int, first: int, mode: str) -> dict:
    """One wrk run: requests per second, p50 and p99 in ms; any non-2xx answer or socket error fails."""
    argv = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url,
            "--", str(first), mode, str(THREADS)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    count, micros, p50, p99, bad = map(int, re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", out).groups())
    if bad:
        raise SystemExit(f"{bad} failed requests against {url}:\n{out}")
    return {"rate": count / (micros / 1e6), "p50": p50 / 1e3, "p99": p99 / 1e3}


def gunicorn(name: str, app: str, env: dict, cwd: Path, config: Path) -> tuple:
    """A gunicorn with two workers serving `app` from the code in `cwd`, and its URL.

    Every arm runs with the same flags and an empty config file (not the gunicorn.conf.py of its tree): the
    worker class and threads of the shipped gunicorn.conf.py.
    """
    port = free_port()
    argv = [tool("gunicorn"), "--config", str(config), "--bind", f"127.0.0.1:{port}", "--workers", "2",
            *WORKER_FLAGS, "--log-level", "warning", app]
    env = dict(env, PYTHONPATH=str(cwd))
    return start_process(name, argv, env, port, cwd=cwd), f"http://127.0.0.1:{port}/bitrix/events"


class Drain:
    """Empties the queue list now and then, as workers would: the webhook refuses new jobs past its cap."""

    def __init__(self, url: str, key: str = "rq:queue:releasebot", every: float = 0.2):
        self.connection, self.key, self.every = Redis.from_url(url), key, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            self.connection.delete(self.key)

    def stop(self) -> None:
        """Stop draining."""
        self.stopped.set()
        self.thread.join()


def compare(wrk: str, script: Path, urls: dict, seconds: int, mode: str) -> bool:
    """A/B rounds for one load; prints the medians and says whether the goals are met."""
    runs = {name: [] for name in urls}
    for round_number in range(ROUNDS):
        for offset, (name, url) in enumerate(urls.items()):
            first = 10_000_000 * (1 + round_number * len(urls) + offset) + (0 if mode == "new" else 5_000_000)
            runs[name].append(run_wrk(wrk, script, url, seconds, first, mode))
    medians = {name: {k: statistics.median(r[k] for r in results) for k in ("rate", "p50", "p99")}
               for name, results in runs.items()}
    bare, hook = medians["bare view"], medians["webhook"]
    ratio = hook["rate"] / bare["rate"]
    for name, figures in medians.items():
        print(f"  {name:<16} {figures['rate']:8.0f}/s  p50 {figures['p50']:5.2f} ms  p99 {figures['p99']:5.2f} ms"
              f"  {figures['rate'] / bare['rate']:4.2f} of the bare view")
    print(f"  webhook / bare view: {ratio:.2f} (goal >= {MIN_RATIO}), webhook p99 {hook['p99']:.2f} ms "
          f"(budget {P99_BUDGET_MS} ms); webhook rounds: " + ", ".join(f"{r['rate']:.0f}" for r in runs["webhook"]))
    return ratio >= MIN_RATIO and hook["p99"] < P99_BUDGET_MS


def main() -> int:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    wrk = wrk_binary()
    redis = start_redis()
    env = dict(os.environ, REDIS_URL=redis.url, BITRIX_APP_TOKEN=TOKEN)
    services, verdicts = [], []
    drain = Drain(redis.url)
    folder = tempfile.TemporaryDirectory(prefix="releasebot-wrk-")
    tree = baseline_tree(Path(folder.name), BASELINE)
    try:
        apps = {"bare view": ("bare_view:app", ROOT / "bench"), "webhook": ("web:create_app()", ROOT)}
        if tree:
            apps[f"webhook {BASELINE}"] = ("web:create_app()", tree)
        urls, config = {}, Path(folder.name) / "gunicorn.conf.py"
        config.write_text("")
        for name, (app, cwd) in apps.items():
            service, urls[name] = gunicorn(name, app, env, cwd, config)
            services.append(service)
        script = Path(folder.name) / "events.lua"
        body = bitrix_event_body(int(ID_MARK), TOKEN)
        script.write_text(WRK_SCRIPT % {"body": body, "mark": ID_MARK})
        for mode in ("new", "repeat"):
            for url in urls.values():  # warm each up: imports, script load
                run_wrk(wrk, script, url, 1, 1, mode)
            label = "a new task id per request" if mode == "new" else "each task id three times"
            print(f"POST /bitrix/events, gunicorn -w 2 {' '.join(WORKER_FLAGS)}, wrk -t{THREADS} -c{CONNECTIONS} "
                  f"{seconds}s x {ROUNDS} rounds, {label}:")
            verdicts.append(compare(wrk, script, urls, seconds, mode))
    finally:
        drain.stop()
        for service in services:
            service.stop()
        redis.stop()
        if tree:
            remove_tree(tree)
        folder.cleanup()
    print("within goals" if all(verdicts) else "BELOW GOAL")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
