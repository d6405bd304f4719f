"""rq-dashboard at /rq: off by default, never without READ_TOKEN, reading the bot's own queue behind the token."""

import base64

import pytest
from rq import Queue

from infra.queueing import TaskEnqueuer, enqueue_task
from releasebot.errors import ConfigError
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
