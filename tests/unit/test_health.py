"""GET /healthz says whether work gets done; GET /metrics counts what was done."""

import json
from datetime import datetime
from pathlib import Path

import fakeredis
import pytest
from rq import Queue, Worker
from rq.registry import FailedJobRegistry

from infra.metrics import Metrics
from releasebot.prometheus import Metric, render
from web import create_app

from .conftest import TOKEN

EVENTS = Path(__file__).parent.parent / "data" / "events"
FORM = "application/x-www-form-urlencoded"
GOOD_RULES = {"file": "rules.yaml", "sha256": "ab" * 32, "rules": 4, "loadedAt": "2026-06-10T12:00:00+00:00",
              "checkedAt": "2026-06-10T12:05:00+00:00", "pendingError": None}


def live_worker(redis) -> Worker:
    worker = Worker([Queue("releasebot", connection=redis)], connection=redis)
    worker.register_birth()
    return worker


def publish_rules(redis, **changes) -> None:
    redis.set("releasebot:rules-status", json.dumps(GOOD_RULES | changes))


def test_healthz_is_ok_with_a_live_worker_and_good_rules(client, redis):
    worker = live_worker(redis)
    publish_rules(redis)
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json["status"] == "ok" and answer.json["problems"] == []
    assert answer.json["workers"] == [worker.name] and answer.json["rules"]["rules"] == 4


def test_healthz_is_degraded_when_no_worker_is_alive(client, redis):
    publish_rules(redis)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json["status"] == "degraded"
    assert "no worker is alive" in answer.json["problems"][0] and "ps:scale worker=1" in answer.json["problems"][0]


def test_a_worker_that_stopped_no_longer_counts(client, redis):
    live_worker(redis).register_death()
    assert client.get("/healthz").json["workers"] == []


def test_healthz_is_degraded_while_a_refused_rules_file_is_pending(client, redis):
    live_worker(redis)
    publish_rules(redis, pendingError="rules.yaml:14: rules[2].pattern: unknown group")
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json["status"] == "degraded"
    problem = answer.json["problems"][0]
    assert "rules.yaml:14" in problem and "stay in force" in problem and "fix or revert" in problem


def test_healthz_shows_queue_depth_failed_jobs_and_the_last_sweep(client, redis, store):
    queue = Queue("releasebot", connection=redis)
    queue.enqueue("worker.jobs.process_task", task_id=1)
    failed = queue.enqueue("worker.jobs.process_task", task_id=2)
    FailedJobRegistry(queue=queue).add(failed, ttl=60)
    store.set_sweep_watermark(datetime.fromisoformat("2026-06-10T12:00:00+00:00"))
    report = client.get("/healthz").json
    assert report["queue"]["waiting"] == 2 and report["failedJobs"] == 1
    assert report["lastSweep"] == "2026-06-10T12:00:00+00:00" and report["database"] == "ok"


def test_healthz_is_unavailable_when_redis_does_not_answer():
    from infra.connection import redis_from_url

    app = create_app({"BITRIX_APP_TOKEN": TOKEN}, connection=redis_from_url("redis://127.0.0.1:1/0"))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.json["status"] == "unavailable" and "REDIS_URL" in answer.json["redis"]


def test_metrics_count_webhook_answers(client):
    body = (EVENTS / "ontaskupdate.txt").read_text()
    for text in (body, body, body.replace(TOKEN, "forged")):
        client.post("/bitrix/events", data=text, content_type=FORM)
    text = client.get("/metrics").text
    assert 'releasebot_events_total{answer="queued"} 1' in text
    assert 'releasebot_events_total{answer="already_queued"} 1' in text
    assert 'releasebot_events_total{answer="unauthorized"} 1' in text


def test_metrics_show_job_outcomes_portal_answers_and_budget_waits(client, redis):
    metrics = Metrics(redis)
    metrics.count_job("found")
    metrics.count_portal_answer("200")
    metrics.count_portal_answer("429")
    metrics.add_budget_wait(1.5)
    answer = client.get("/metrics")
    assert answer.content_type.startswith("text/plain; version=0.0.4")
    assert 'releasebot_jobs_total{outcome="found"} 1' in answer.text
    assert 'releasebot_portal_requests_total{status="429"} 1' in answer.text
    assert "releasebot_budget_wait_seconds_total 1.5" in answer.text and "releasebot_workers 0" in answer.text


@pytest.fixture
def guarded(redis):
    return create_app({"BITRIX_APP_TOKEN": TOKEN, "READ_TOKEN": "read-secret-123"}, connection=redis).test_client()


def test_metrics_need_the_read_token_when_it_is_set(guarded):
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer read-secret-123"}).status_code == 200
    assert guarded.get("/metrics", auth=("anyone", "read-secret-123")).status_code == 200


def test_healthz_stays_open_for_the_platform_when_a_read_token_is_set(guarded):
    assert guarded.get("/healthz").status_code in (200, 503)


def test_a_counter_never_fails_the_answer_when_redis_is_away():
    from infra.connection import redis_from_url

    Metrics(redis_from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.1)).count_job("found")


def test_prometheus_text_has_help_type_and_labelled_samples():
    text = render([Metric("x_total", "counter", "Things.", label="kind", by_label={'a"b': 2, "c": 1}),
                   Metric("y", "gauge", "A level.", value=0.25)])
    assert text.splitlines() == ["# HELP x_total Things.", "# TYPE x_total counter", 'x_total{kind="a\\"b"} 2',
                                 'x_total{kind="c"} 1', "# HELP y A level.", "# TYPE y gauge", "y 0.25"]


def test_a_fresh_redis_gives_empty_counters():
    assert Metrics(fakeredis.FakeRedis()).read() == {"events": {}, "jobs": {}, "portal": {},
                                                     "budget_wait_seconds": 0.0}
