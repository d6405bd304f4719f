"""rq-dashboard at /rq: off by default, never without READ_TOKEN, reading the bot's own queue behind the token."""

import base64
import hashlib
import re

import pytest
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry

from cli.localrun import wait_until
from infra.queueing import TaskEnqueuer, enqueue_task
from releasebot.errors import ConfigError
from sim.server import SimServer
from tests.integration.conftest import TOKEN as APP_TOKEN
from tests.integration.conftest import post_event
from tests.integration.test_exactly_once import FIRST, closed_tasks
from tests.wire import task_event
from web import create_app
from web.dashboard import dashboard_redis_url
from worker.jobs import process_task

TOKEN = "read-secret"


def app_with(redis_service, redis_conn, **extra):
    config = {"BITRIX_APP_TOKEN": "t", "REDIS_URL": redis_service.url} | extra
    return create_app(config, connection=redis_conn)


def basic(token: str = TOKEN) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"ops:{token}".encode()).decode()}


def test_the_dashboard_is_off_unless_asked_for(redis_service, redis_conn):
    client = app_with(redis_service, redis_conn, READ_TOKEN=TOKEN).test_client()
    assert client.get("/rq/", headers=basic()).status_code == 404


def test_the_dashboard_is_never_served_without_a_read_token(redis_service, redis_conn):
    with pytest.raises(ConfigError, match="needs READ_TOKEN"):
        app_with(redis_service, redis_conn, RQ_DASHBOARD="1")


def test_the_dashboard_shows_the_bots_queue_behind_the_token(redis_service, redis_conn):
    client = app_with(redis_service, redis_conn, RQ_DASHBOARD="1", READ_TOKEN=TOKEN).test_client()
    enqueue_task(TaskEnqueuer(Queue("releasebot", connection=redis_conn), process_task), 53)
    assert client.get("/rq/").status_code == 401
    assert client.get("/rq/", headers=basic("wrong")).status_code == 401
    page = client.get("/rq/", headers=basic())
    assert page.status_code == 200 and b"RQ dashboard" in page.data
    queues = client.get("/rq/0/data/queues.json", headers=basic()).json["queues"]
    assert {"name": "releasebot", "count": 1}.items() <= next(q for q in queues if q["name"] == "releasebot").items()


def test_an_action_sent_from_another_site_is_refused_and_the_job_stays(redis_service, redis_conn):
    client = app_with(redis_service, redis_conn, RQ_DASHBOARD="1", READ_TOKEN=TOKEN).test_client()
    enqueue_task(TaskEnqueuer(Queue("releasebot", connection=redis_conn), process_task), 53)
    evil = basic() | {"Origin": "https://evil.example"}
    assert client.post("/rq/queue/releasebot/queued/empty", headers=evil).status_code == 403
    assert client.get("/rq/requeue/releasebot", headers=basic()).status_code == 403  # a link on any page
    assert Queue("releasebot", connection=redis_conn).job_ids == ["task-53"]
    own = basic() | {"Origin": "http://localhost"}
    assert client.post("/rq/queue/releasebot/queued/empty", headers=own).status_code == 200
    assert Queue("releasebot", connection=redis_conn).job_ids == []


def test_a_tls_url_accepts_heroku_redis_self_signed_certificate():
    assert dashboard_redis_url("rediss://:p@h:6380") == "rediss://:p@h:6380?ssl_cert_reqs=none&ssl_check_hostname=false"
    assert dashboard_redis_url("redis://h:6379/0") == "redis://h:6379/0"


HOSTILE = '<img src=x onerror="fetch(\'/rq/queue/releasebot/empty\',{method:\'POST\'})">'


def test_a_portals_error_text_never_reaches_the_exception_rq_keeps_for_the_dashboard(processes, redis_conn):
    web = processes.web()
    hostile = [{"route": f"/tasks/{FIRST}", "method": "GET", "status": 429, "count": 100, "message": HOSTILE}]
    with SimServer({"tasks": closed_tasks(1), "faults": {"fail_next": hostile}}) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(FIRST, APP_TOKEN))
        wait_until(lambda: FailedJobRegistry("releasebot", connection=redis_conn).count == 1, 60, "the job to fail")
    kept = Job.fetch(f"task-{FIRST}", connection=redis_conn).latest_result().exc_string
    assert "RATE_LIMITED (HTTP 429), handed back to RQ" in kept
    assert "<" not in kept and "onerror" not in kept


def test_dashboard_pages_run_only_their_own_scripts(redis_service, redis_conn):
    client = app_with(redis_service, redis_conn, RQ_DASHBOARD="1", READ_TOKEN=TOKEN).test_client()
    enqueue_task(TaskEnqueuer(Queue("releasebot", connection=redis_conn), process_task), 53)
    for path in ("/rq/", "/rq/0/view/job/task-53"):
        page = client.get(path, headers=basic())
        policy = page.headers["Content-Security-Policy"]
        scripts = dict(part.split(" ", 1) for part in policy.split("; "))["script-src"].split()
        inline = [s for s in re.findall(r'<script type="text/javascript">(.*?)</script>', page.text, re.S)]
        assert inline and all(f"'sha256-{sha256(s)}'" in scripts for s in inline)
        assert "'unsafe-inline'" not in scripts and "frame-ancestors 'none'" in policy


def sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
