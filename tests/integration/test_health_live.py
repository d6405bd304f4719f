"""/healthz with real processes: ok while a worker runs, degraded the moment the last one stops."""

import os
import signal
import time

import requests

from cli.localrun import wait_until


def health(web) -> requests.Response:
    return requests.get(f"{web.url}/healthz", timeout=5)


def test_healthz_turns_degraded_when_the_last_worker_stops(processes, tmp_path):
    web, worker = processes.web(), processes.worker()
    wait_until(lambda: health(web).json()["status"] == "ok", 30, "a healthy system")
    assert health(web).json()["rules"]["sha256"]
    worker.stop()
    answer = health(web)
    assert answer.status_code == 503 and answer.json()["status"] == "degraded"
    assert answer.json()["workers"] == [] and "no worker is alive" in answer.json()["problems"][0]


def test_a_worker_stopped_the_moment_it_registers_leaves_no_live_worker_behind(processes, redis_conn):
    """Heroku restarts a dyno with SIGTERM at any moment, also in the instant after the worker announced itself
    and before RQ listens for the signal: it must still say it has gone, or /healthz shows it alive for minutes."""
    worker = processes.worker()
    deadline = time.monotonic() + 60
    while not redis_conn.scard("rq:workers"):  # as tight as we can, to stop it within its start
        assert time.monotonic() < deadline, "the worker never registered"
    os.killpg(worker.process.pid, signal.SIGTERM)
    assert worker.process.wait(30) == 0
    assert redis_conn.scard("rq:workers") == 0
