from pathlib import Path

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue

from releasebot.errors import ConfigError
from web import create_app

DATA = Path(__file__).parent.parent / "data" / "events"
FORM = "application/x-www-form-urlencoded"


def post(client, body: str):
    return client.post("/bitrix/events", data=body, content_type=FORM)


def queued_ids(redis):
    return Queue("releasebot", connection=redis).job_ids


def test_closed_task_event_is_queued_once_by_task_id(client, redis):
    body = (DATA / "ontaskupdate.txt").read_text()
    first, second = post(client, body), post(client, body)
    assert first.status_code == 200 and first.json["queued"] is True
    assert second.status_code == 200 and second.json["queued"] is False
    assert queued_ids(redis) == ["task-123"]


def test_job_is_enqueued_by_path_with_primitive_arguments(client, redis):
    post(client, (DATA / "ontaskupdate.txt").read_text())
    job = Queue("releasebot", connection=redis).jobs[0]
    assert job.func_name == "worker.jobs.process_task"
    assert job.kwargs == {"task_id": 123, "source": "event"}


def test_wrong_token_is_401_and_queues_nothing(client, redis):
    body = (DATA / "ontaskupdate.txt").read_text().replace("jvh9y1ulvt2m6k5or90v9mg8nn32ozas", "forged")
    answer = post(client, body)
    assert answer.status_code == 401 and queued_ids(redis) == []


def test_missing_token_is_401(client, redis):
    assert post(client, "event=ONTASKUPDATE&data%5BFIELDS_AFTER%5D%5BID%5D=5").status_code == 401


def test_malformed_task_id_is_400_with_the_reason(client, redis):
    body = (DATA / "ontaskupdate.txt").read_text().replace("ID%5D=123", "ID%5D=abc")
    answer = post(client, body)
    assert answer.status_code == 400 and "positive integer" in answer.json["error"]
    assert queued_ids(redis) == []


def test_delete_event_is_accepted_but_not_queued(client, redis):
    answer = post(client, (DATA / "ontaskdelete.txt").read_text())
    assert answer.status_code == 200 and answer.json["queued"] is False
    assert queued_ids(redis) == []


def test_oversized_body_is_413(client):
    assert post(client, "event=ONTASKUPDATE&x=" + "a" * 100_000).status_code == 413


def test_redis_down_is_503_and_the_app_stays_up(app, redis, monkeypatch):
    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(redis, "evalsha", refuse)
    monkeypatch.setattr(redis, "execute_command", refuse)
    client = app.test_client()
    answer = post(client, (DATA / "ontaskupdate.txt").read_text())
    assert answer.status_code == 503 and "Redis" in answer.json["error"]
    assert client.get("/healthz").status_code == 503


def test_app_refuses_to_start_without_a_token():
    with pytest.raises(ConfigError, match="BITRIX_APP_TOKEN"):
        create_app({})


def test_the_events_portal_is_remembered_for_links_and_a_bad_domain_never(client, store):
    from tests.wire import task_event

    good = (DATA / "ontaskupdate.txt").read_text()
    token = client.application.extensions["releasebot.settings"].bitrix_app_tokens[0]
    bad = task_event(124, token).replace("auth%5Bdomain%5D=", "auth%5Bdomain%5D=evil%2Fpath%3F")
    assert post(client, bad).status_code == 200
    assert store.portal() is None
    assert post(client, good).status_code == 200
    learnt = store.portal()
    assert learnt and learnt.startswith("https://") and "/" not in learnt.removeprefix("https://")


def domain_event(client, task_id: int, domain: str) -> str:
    from tests.wire import task_event

    token = client.application.extensions["releasebot.settings"].bitrix_app_tokens[0]
    return task_event(task_id, token).replace("auth%5Bdomain%5D=example.bitrix24.com", f"auth%5Bdomain%5D={domain}")


def test_the_first_portal_seen_keeps_the_links_a_later_domain_cannot_take_them(app, redis, engine, store):
    assert post(app.test_client(), domain_event(app.test_client(), 1, "example.bitrix24.com")).status_code == 200
    for process in range(2):  # a fresh web process too: its memory of the portal seen starts empty
        client = create_app({"BITRIX_APP_TOKEN": app.extensions["releasebot.settings"].bitrix_app_tokens[0]},
                            connection=redis, engine=engine).test_client() if process else app.test_client()
        assert post(client, domain_event(client, 2, "attacker.example.net")).status_code == 200
    assert store.portal() == "https://example.bitrix24.com"


def test_an_ip_address_as_the_portal_is_never_remembered(client, store):
    for domain in ("127.0.0.1", "127.0.0.1%3A5000", "169.254.169.254"):
        assert post(client, domain_event(client, 3, domain)).status_code == 200
    assert store.portal() is None
