"""The worker as the Procfile starts it: it waits for Redis, and reports its rules without waiting for a job."""

import json
import os
import shutil
import subprocess
import time

import requests
from redis import Redis

from cli.localrun import free_port, start_redis, tool, wait_until
from tests.integration.conftest import ROOT
from tests.unit.test_procfile import processes as procfile


def test_a_worker_started_while_redis_is_down_waits_for_it_and_then_works(env, tmp_path):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    command = procfile()["worker"].replace("--maintenance-interval 60", "--maintenance-interval 2")
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen(["bash", "-c", f"exec {command}"], stdout=log,
                                  env=dict(env, REDIS_URL=url, PATH=f"{os.path.dirname(tool('rq'))}:{env['PATH']}"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
    redis = None
    try:
        time.sleep(4)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        redis = start_redis(port=port)
        wait_until(lambda: Redis.from_url(url).smembers("rq:workers"), 30, "the worker to register")
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(30)
        if redis:
            redis.stop()


def test_an_idle_worker_reports_a_broken_rules_edit_without_a_job(processes, redis_conn, tmp_path):
    rules = tmp_path / "rules.yaml"
    shutil.copy(ROOT / "rules.yaml", rules)
    processes.worker("--maintenance-interval", "2", RULES_FILE=str(rules))
    wait_until(lambda: redis_conn.get("releasebot:rules-status"), 30, "the worker to publish its rules")
    rules.write_text(rules.read_text() + "\n  - name: [broken\n")

    def pending() -> str | None:
        return json.loads(redis_conn.get("releasebot:rules-status"))["pendingError"]

    wait_until(pending, 20, "the broken edit to be reported")
    shutil.copy(ROOT / "rules.yaml", rules)
    wait_until(lambda: pending() is None, 20, "the revert to clear the report")


def test_a_rules_file_turned_into_a_folder_leaves_the_worker_running_with_the_problem_on_healthz(
        processes, redis_conn, tmp_path):
    rules = tmp_path / "rules.yaml"
    shutil.copy(ROOT / "rules.yaml", rules)
    worker = processes.worker("--maintenance-interval", "2", RULES_FILE=str(rules))
    web = processes.web()
    wait_until(lambda: redis_conn.get("releasebot:rules-status"), 30, "the worker to publish its rules")
    rules.unlink()
    rules.mkdir()

    def health() -> dict:
        return requests.get(f"{web.url}/healthz", timeout=5).json()

    wait_until(lambda: health()["rules"]["pendingError"], 20, "the folder to be reported")
    time.sleep(3)  # a few more heartbeats and maintenance runs: stock code died in the first
    report = health()
    assert worker.process.poll() is None and report["workers"]
    assert any("the rules file is not a regular file" in problem for problem in report["problems"])
    assert str(tmp_path) not in json.dumps(report)
