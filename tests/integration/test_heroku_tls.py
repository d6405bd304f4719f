"""The Procfile's own web, worker and clock lines, run as Heroku runs them, against a TLS Redis with a
self-signed certificate (as Heroku Redis is) and the simulator."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import requests
from rq import Worker

from cli.localrun import BIN, Service, free_port, port_open, start_process, wait_until
from infra.connection import ReleasebotRedis
from tests.wire import task_event

from .conftest import KEY, ROOT, TOKEN, post_event, wait_for_comments


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1, made with openssl."""
    if not shutil.which("openssl"):
        pytest.fail("the TLS test needs openssl: apt-get install openssl (.ci/run does)")
    cert, key = folder / "redis.crt", folder / "redis.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=heroku-redis-lookalike", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture
def tls_redis(redis_service, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    port = free_port()
    argv = [shutil.which("redis-server"), "--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
            "--tls-key-file", str(key), "--tls-auth-clients", "no", "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no"]
    server = start_process("redis-tls", argv, dict(os.environ), port, tmp_path / "redis-tls.log")
    server.url = f"rediss://127.0.0.1:{port}/0"
    yield server
    server.stop()


def run_procfile_line(name: str, env: dict, logs: Path, port: int | None = None) -> Service:
    """`bash -c "<the Procfile's line>"` with the app's environment, from the repository, as a dyno runs it."""
    return start_process(name, ["bash", "-c", procfile()[name]], env, port, logs / f"{name}.log", cwd=ROOT)


def test_procfile_web_worker_clock_and_the_cli_work_over_tls_redis_with_a_self_signed_certificate(
        tls_redis, sim, tmp_path):
    web_port = free_port()
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", REDIS_URL=tls_redis.url, PORT=str(web_port),
               VIBE_BASE_URL=sim.base_url, VIBE_API_KEY=KEY, BITRIX_APP_TOKEN=TOKEN, WEB_CONCURRENCY="2",
               DATABASE_URL=f"sqlite:///{tmp_path / 'record.db'}")  # not the default file in the repository
    connection = ReleasebotRedis.from_url(tls_redis.url)
    started = [run_procfile_line("web", env, tmp_path, web_port), run_procfile_line("worker", env, tmp_path),
               run_procfile_line("clock", env, tmp_path)]
    try:
        wait_until(lambda: Worker.all(connection=connection), what="the worker to register over TLS")
        web = started[0]
        # The clock's first sweep may queue the task before the event does: either way one job runs it.
        answer = post_event(web, task_event(53, TOKEN)).json()
        assert answer["accepted"] is True, answer
        assert "im 24.500.0" in wait_for_comments(sim, 53)[0]["text"]
        wait_until(lambda: requests.get(f"{web.url}/healthz", timeout=5).json()["lastSweep"], 30,
                   "the clock's first sweep")
        health = requests.get(f"{web.url}/healthz", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        cli = subprocess.run(["releasebot", "process", "53", "--dry-run"], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
        assert cli.returncode == 0 and '"outcome": "found"' in cli.stdout, cli.stderr
    finally:
        for service in reversed(started):
            service.stop()
    logs = {path.stem: path.read_text() for path in tmp_path.glob("*.log")}
    everything = "".join(logs.values())
    assert "CERTIFICATE_VERIFY_FAILED" not in everything and KEY not in everything and TOKEN not in everything
    assert re.search(r'msg="task 53 \((event|sweep)\): found im 24.500.0"', logs["worker"])
    assert "outcome=found" in logs["worker"]
    assert "logger=gunicorn " in logs["web"] and "gunicorn.error" not in logs["web"]
    assert logs["web"].count("Booting worker") == 2


def test_port_is_only_reachable_through_tls(tls_redis):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    assert port_open(int(tls_redis.url.rsplit(":", 1)[1].split("/")[0]))
    with pytest.raises(RedisConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        Redis.from_url(tls_redis.url, socket_timeout=5).ping()


def test_failed_jobs_are_listed_and_requeued_over_tls_redis(tls_redis):
    from rq import Queue
    from rq.job import Job
    from rq.registry import FailedJobRegistry
    from rq.results import Result

    connection = ReleasebotRedis.from_url(tls_redis.url)
    job = Job.create("worker.jobs.process_task", kwargs={"task_id": 58}, id="task-58", connection=connection)
    job.origin, job.ended_at = "releasebot", datetime(2026, 6, 10, 14, 51, 3)
    error = "Traceback …\nworker.vibecode.errors.TransientError: BITRIX_UNAVAILABLE: try later"
    FailedJobRegistry("releasebot", connection=connection).add(job, exc_string=error)
    Result.create_failure(job, ttl=600, exc_string=error)  # as RQ records a job that raised
    env = dict(os.environ, REDIS_URL=tls_redis.url)

    def releasebot(*args):
        return subprocess.run([str(BIN / "releasebot"), "jobs", *args], env=env, capture_output=True, text=True,
                              timeout=60)

    listed = releasebot("failed")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("task-58  2026-06-10 14:51:03  worker.vibecode.errors.TransientError: ")
    assert "1 failed job(s)" in listed.stdout
    requeued = releasebot("requeue", "--all")
    assert (requeued.returncode, requeued.stdout) == (0, "1 job(s) requeued\n")
    assert Queue("releasebot", connection=connection).job_ids == ["task-58"]
    assert "0 failed job(s)" in releasebot("failed").stdout
    assert releasebot("requeue").returncode == 2  # neither ids nor --all
