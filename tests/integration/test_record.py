"""The record outlives Redis: after FLUSHALL every release is still shown and no comment is posted twice, on
SQLite and on PostgreSQL; a process that finds the schema behind says so in one line."""

import json
import subprocess

import pytest
import requests

from cli.localrun import free_port, tool, wait_until
from releasebot.model import Release, TaskResult
from sim.server import SimServer
from tests.integration.conftest import DATABASES, TOKEN, post_event, wait_for_comments, wait_for_result
from tests.wire import task_event

TASKS = {53: "im 24.500.0", 60: "im 24.400.2", 61: "ui 3.1.0", 62: "desktop 12.0.1"}


def scenario() -> dict:
    tasks = [{"id": task_id, "title": f"Task {task_id}", "status": 5, "closedDate": "now-1h",
              "chat": ["looks good", f"deployed in {release}"]} for task_id, release in TASKS.items()]
    return {"keys": [{"key": "vibe_api_demo"}], "tasks": tasks}


@pytest.mark.parametrize("database", DATABASES, indirect=True)
def test_after_flushall_the_pages_show_every_release_and_no_comment_is_posted_twice(processes, redis_conn):
    with SimServer(scenario()) as portal:
        processes.worker(VIBE_BASE_URL=portal.base_url)
        web = processes.web(VIBE_BASE_URL=portal.base_url)
        for task_id in TASKS:
            post_event(web, task_event(task_id, TOKEN))
        for task_id in TASKS:
            wait_for_comments(portal, task_id)
            wait_for_result(web, task_id)

        redis_conn.flushall()

        index = requests.get(f"{web.url}/api/releases", timeout=5).json()["releases"]
        assert sorted(f"{r['component']} {r['version']}" for r in index) == sorted(TASKS.values())
        page = requests.get(f"{web.url}/releases", timeout=5).text
        assert all(release in page for release in TASKS.values())
        for task_id in TASKS:  # the queue forgot the jobs: every event is queued and run again
            assert post_event(web, task_event(task_id, TOKEN)).json()["queued"] is True
        wait_until(lambda: len(portal.requests(path_contains="/chat/messages")) >= 2 * len(TASKS), 60,
                   "every task's chat read again")
        wait_until(lambda: redis_conn.llen("rq:queue:releasebot") == 0, 30, "the queue to drain")
        assert {task_id: len(portal.comments(task_id)) for task_id in TASKS} == dict.fromkeys(TASKS, 1)


def test_a_web_process_finding_the_postgresql_schema_behind_stops_with_one_line(env, postgres_server):
    url = postgres_server.create("behind")
    argv = [tool("gunicorn"), "--bind", f"127.0.0.1:{free_port()}", "web:create_app()"]
    done = subprocess.run(argv, env=env | {"DATABASE_URL": url}, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "has no releasebot tables yet, this code needs 0001: run `releasebot db upgrade`" in done.stderr
    assert "Traceback" not in done.stderr
    upgraded = subprocess.run([tool("releasebot"), "db", "upgrade"], env=env | {"DATABASE_URL": url},
                              capture_output=True, text=True, timeout=60)
    assert upgraded.returncode == 0 and "upgraded from empty to 0001" in upgraded.stdout
    assert "postgres@127.0.0.1" in upgraded.stdout


def test_a_worker_finding_the_schema_behind_stops_with_one_line(env, postgres_server):
    url = postgres_server.create("behind_worker")
    argv = [tool("rq"), "worker", "--config", "worker.rq_config", "--worker-class",
            "worker.heroku.ReleasebotWorker", "--burst", "releasebot"]
    done = subprocess.run(argv, env=env | {"DATABASE_URL": url}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("releasebot worker: the database postgresql")
    assert "run `releasebot db upgrade`" in done.stderr and "Traceback" not in done.stderr


def test_the_import_command_copies_a_redis_record_with_progress_and_a_second_run_changes_nothing(
        env, redis_conn, record):
    for task_id, release in TASKS.items():
        component, version = release.split()
        result = TaskResult(task_id, "found", "2026-06-10T14:51:03+00:00",
                            releases=(Release(component, version, "shipped", 1, 2, "2026-06-10T14:51:00+00:00"),))
        redis_conn.set(f"releasebot:result:{task_id}", json.dumps(result.to_json()))
    redis_conn.set("releasebot:portal", "https://acme.bitrix24.eu")

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([tool("releasebot"), "db", "import-redis"], env=env, capture_output=True, text=True,
                              timeout=120)

    done = run()
    assert done.returncode == 0, done.stderr
    assert "import: 4/4 results" in done.stderr and "4 results in Redis: 4 imported, 0 already there" in done.stdout
    assert sorted(f"{r['component']} {r['version']}" for r in record.releases().items) == sorted(TASKS.values())
    assert record.portal() == "https://acme.bitrix24.eu"
    assert "0 imported, 4 already there" in run().stdout
