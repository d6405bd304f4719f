"""Real parts: a redis-server, a PostgreSQL server, the simulator over HTTP, gunicorn and `rq worker` processes.

Each test's processes share a database of the test's own: a SQLite file by default, or a new database on the
tests' PostgreSQL server for a test parametrized with `DATABASES` (indirect, on the `database` fixture)."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
import requests
from redis import Redis

from cli.localrun import Service, free_port, start_process, start_redis, tool, wait_until
from cli.postgres import start_postgres
from infra.connection import CLASS_PATH as CONNECTION_CLASS
from infra.queueing import QUEUES
from sim.server import SimServer
from store import ResultStore, open_database, open_engine, upgrade

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "integration-token"
KEY = "vibe_api_demo"
DATABASES = ["sqlite", "postgresql"]  # pytest.mark.parametrize("database", DATABASES, indirect=True)
_numbers = itertools.count(1)


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def redis_service():
    if not shutil.which("redis-server"):
        pytest.fail("integration tests need a real redis-server: run `make test` (installs it as root) "
                    "or `apt-get install redis-server`")
    service = start_redis()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = start_postgres()
    except RuntimeError as error:
        pytest.fail(f"integration tests need a real PostgreSQL server: {error}")
    yield server
    server.stop()


@pytest.fixture
def database(request, tmp_path) -> str:
    """The DATABASE_URL of the test's processes: a SQLite file (they migrate it themselves when they start),
    or a new database on the tests' PostgreSQL server, migrated from empty as the release phase does."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'releasebot.db'}"
    url = request.getfixturevalue("postgres_server").create(f"test_{next(_numbers)}")
    engine = open_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def record(database) -> ResultStore:
    """The test's record, as the processes see it."""
    store = ResultStore(open_database(database))
    yield store
    store.engine.dispose()


@pytest.fixture
def redis_conn(redis_service) -> Redis:
    connection = Redis.from_url(redis_service.url)
    connection.flushall()
    yield connection
    connection.close()


@pytest.fixture
def sim():
    with SimServer() as server:
        yield server


@pytest.fixture
def env(redis_service, redis_conn, sim, tmp_path, database) -> dict:
    """The environment every process of the system gets, over an empty Redis (redis_conn flushes it) and a
    database of the test's own: a result an earlier test stored would otherwise change what this one sees."""
    return dict(os.environ, REDIS_URL=redis_service.url, DATABASE_URL=database, VIBE_BASE_URL=sim.base_url,
                VIBE_API_KEY=KEY, BITRIX_APP_TOKEN=TOKEN, RULES_FILE=str(ROOT / "rules.yaml"), LOGS=str(tmp_path))


WEB_WORKERS = 2


class Processes:
    """Starts web and worker processes for one test and stops them all afterwards."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.started = env, logs, []

    def web(self, **env) -> Service:
        """gunicorn as gunicorn.conf.py configures it, once both its workers have loaded the app (a request
        reaching a worker still importing waits seconds on a busy machine)."""
        port = free_port()
        argv = [tool("gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS), "web:create_app()"]
        service = self._start(f"web-{port}", argv, port, env)
        log = self.logs / f"web-{port}.log"

        def ready() -> bool:
            if service.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped (exit code {service.process.poll()}):\n{log.read_text()}")
            return log.read_text().count(" ready") >= WEB_WORKERS

        try:
            wait_until(ready, what="both web workers to load the app")
        except TimeoutError as error:
            raise AssertionError(f"{error}; gunicorn logged:\n{log.read_text()}") from None
        return service

    def worker(self, *extra: str, **env) -> Service:
        argv = [tool("rq"), "worker", "--config", "worker.rq_config", "--connection-class", CONNECTION_CLASS,
                "--worker-class", "worker.heroku.ReleasebotWorker", "--with-scheduler",
                "--url", env.get("REDIS_URL", self.env["REDIS_URL"]), *extra, *QUEUES]
        return self._start(f"worker-{len(self.started)}", argv, None, env)

    def _start(self, name: str, argv: list[str], port: int | None, env: dict) -> Service:
        service = start_process(name, argv, dict(self.env, **env), port, self.logs / f"{name}.log")
        self.started.append(service)
        return service

    def log_text(self) -> str:
        """Everything every process has logged so far."""
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))

    def stop(self) -> None:
        for service in reversed(self.started):
            service.stop()


@pytest.fixture
def processes(env, tmp_path, redis_conn):
    procs = Processes(env, tmp_path)
    yield procs
    procs.stop()


@pytest.fixture
def web(processes) -> Service:
    return processes.web()


@pytest.fixture
def worker(processes) -> Service:
    return processes.worker()


def forget(record: ResultStore, task_id: int) -> None:
    """Delete a task's result (not its index entries), as if it had never been processed."""
    from store.schema import results

    with record.engine.begin() as connection:
        connection.execute(results.delete().where(results.c.task_id == task_id))


def post_event(web: Service, body: str) -> requests.Response:
    """POST a form-encoded body to the webhook, as Bitrix24 does."""
    return requests.post(f"{web.url}/bitrix/events", data=body, timeout=10,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})


def wait_for_comments(sim, task_id: int, count: int = 1, timeout: float = 30) -> list[dict]:
    """The task's comments once there are at least `count` of them."""
    wait_until(lambda: len(sim.comments(task_id)) >= count, timeout, f"{count} comment(s) on task {task_id}")
    return sim.comments(task_id)


def wait_for_result(web: Service, task_id: int, timeout: float = 30) -> dict:
    """The stored result for a task, once there is one."""
    url = f"{web.url}/api/tasks/{task_id}"
    wait_until(lambda: requests.get(url, timeout=5).status_code == 200, timeout, f"a result for task {task_id}")
    return requests.get(url, timeout=5).json()
