"""`make dev` (honcho with Procfile.dev and .env.dev), as the README shows it: Redis, the simulator sending
events, web, worker and clock; closing a task in the simulator ends in the bot's comment, and Ctrl-C stops
them all quietly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import requests
from redis import Redis
from rq import Queue

from cli.localrun import BIN, free_port, wait_until
from infra.queueing import QUEUES

from .conftest import ROOT, wait_for_comments


class Sim:
    """Just enough of the simulator's control API for wait_for_comments."""

    def __init__(self, url: str):
        self.url = url

    def comments(self, task_id: int) -> list[dict]:
        return requests.get(f"{self.url}/_sim/tasks/{task_id}", timeout=5).json()["comments"]


def dev_env_file(folder) -> tuple:
    """.env.dev with free ports and a database of the test's own, so that the test runs beside anything else
    on this machine."""
    redis, sim, web = free_port(), free_port(), free_port()
    text = (ROOT / ".env.dev").read_text().replace("6390", str(redis)).replace("8765", str(sim))
    text = text.replace("sqlite:///releasebot-dev.db", f"sqlite:///{folder / 'dev.db'}")
    path = folder / "env"
    path.write_text(text + f"DEV_REDIS_PORT={redis}\nDEV_SIM_PORT={sim}\nDEV_WEB_PORT={web}\n")
    return path, f"http://127.0.0.1:{sim}", f"http://127.0.0.1:{web}"


def idle(redis: Redis) -> bool:
    """Whether no job waits or runs on any of the worker's queues."""
    queues = [Queue(name, connection=redis) for name in QUEUES]
    return all(queue.count == 0 and queue.started_job_registry.count == 0 for queue in queues)


FOUND_LINE = re.compile(r"task 57 \((?:event|sweep)\): found im 24\.600\.0")


def test_procfile_dev_runs_the_system_and_a_closed_task_gets_its_comment(tmp_path):
    env_file, sim_url, web_url = dev_env_file(tmp_path)
    log = (tmp_path / "honcho.log").open("w")
    # PATH without the venv, as in a newcomer's shell: the Makefile puts the venv's commands on it.
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p).resolve() != BIN.resolve())
    honcho = subprocess.Popen(["make", "--no-print-directory", "dev", f"DEV_ENV={env_file}"], cwd=ROOT,
                              env=dict(os.environ, PATH=path), stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        wait_until(lambda: requests.get(f"{web_url}/healthz", timeout=2).json()["status"] == "ok", 90,
                   "the local system to be healthy")  # (make checks the install first: slow on a busy machine)
        closed = {"status": 5, "messages": [{"text": "deployed in im 24.600.0"}]}
        requests.post(f"{sim_url}/_sim/tasks/57", json=closed, timeout=5).raise_for_status()
        assert "im 24.600.0" in wait_for_comments(Sim(sim_url), 57)[0]["text"]
        # The job logs its line once the result is stored, after the comment and the task's tags are written.
        # The clock's first sweep may queue the task before the simulator's event does: either source counts.
        wait_until(lambda: FOUND_LINE.search((tmp_path / "honcho.log").read_text()), 90,
                   "the worker's line for task 57")
        # Idle on every queue: the clock's first sweep queues the demo's closed tasks on the backfill queue, and a
        # job still running when honcho's 5 s grace ends is killed (the job is safe: another worker reruns it).
        redis = Redis(port=int(re.search(r"DEV_REDIS_PORT=(\d+)", env_file.read_text()).group(1)))
        wait_until(lambda: idle(redis), 120, "the worker to be idle on every queue")
        os.killpg(honcho.pid, signal.SIGINT)  # Ctrl-C: the terminal signals make and everything in its group
        honcho.wait(30)
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "honcho.log").read_text()
    assert FOUND_LINE.search(output)
    stopping = output[output.index("SIGINT received"):]
    assert [line for line in stopping.splitlines() if re.search(QUIET_BREAKERS, line)] == []
    assert re.search(r"worker\.1 stopped \(rc=0\)", stopping) and "redis.1 stopped" in stopping.splitlines()[-1]
    # make itself ends by the Ctrl-C it also received, as every make does, and says nothing about it.
    assert honcho.returncode == -signal.SIGINT


# What Ctrl-C on `make dev` printed before: chained tracebacks from the worker's scheduler as Redis stopped
# with it, the worker's error exit, honcho's SIGKILL, make's "Error 130".
QUIET_BREAKERS = r"Traceback|level=error|SIGKILL|rc=1\b|make: \*\*\*|Error \d+"
