"""What a sender with a valid token can do to the webhook is bounded: the queue, the answer, the body."""

import io
import json

import pytest
from rq import Queue

from infra.queueing import MAX_WAITING_JOBS
from releasebot.model import ApiErrorInfo, TaskResult
from store import FAILED_RESULT_TTL, ResultStore
from tests.unit.conftest import TOKEN
from tests.wire import task_event

FORM = "application/x-www-form-urlencoded"


def post(client, body):
    return client.post("/bitrix/events", data=body, content_type=FORM)


def fill_queue(redis, count: int) -> None:
    queue = Queue("releasebot", connection=redis)
    with redis.pipeline() as pipe:
        for n in range(count):
            pipe.rpush(queue.key, f"filler-{n}")
        pipe.execute()


def test_when_the_queue_is_full_an_event_is_answered_503_with_the_reason(client, redis):
    fill_queue(redis, MAX_WAITING_JOBS)
    answer = post(client, task_event(53, TOKEN))
    assert answer.status_code == 503 and "queue full" in answer.json["error"] and "sweep" in answer.json["error"]
    assert not redis.exists("rq:job:task-53")


def test_below_the_cap_events_are_queued(client, redis):
    fill_queue(redis, MAX_WAITING_JOBS - 1)
    assert post(client, task_event(53, TOKEN)).json["queued"] is True


def test_a_failed_result_expires_and_a_found_one_does_not(engine):
    now = [1_800_000_000.0]
    store = ResultStore(engine, clock=lambda: now[0])
    error = ApiErrorInfo("ENTITY_NOT_FOUND", "Task not found", 404)
    store.save(TaskResult(404, "failed", "2026-06-10T14:51:03+00:00", error=error))
    store.save(TaskResult(53, "not_found", "2026-06-10T14:51:03+00:00"))
    now[0] += FAILED_RESULT_TTL - 1
    assert store.get(404) is not None and [r.task_id for r in store.with_outcome("failed").items] == [404]
    now[0] += 1
    assert store.get(404) is None and store.with_outcome("failed").items == []
    assert store.get(53) is not None
    store.save(TaskResult(405, "failed", "2026-06-10T14:51:03+00:00", error=error))
    assert store.count() == 2, "the next failure deletes the expired one"


def test_a_raw_non_utf8_byte_with_the_right_token_is_400_not_401(client, redis):
    body = task_event(53, TOKEN).encode() + b"&note=\xff"
    answer = post(client, body)
    assert answer.status_code == 400 and "UTF-8" in answer.json["error"]


def test_a_long_event_name_is_never_echoed_in_the_answer(client, redis):
    body = task_event(53, TOKEN).replace("event=ONTASKUPDATE", "event=" + "X" * 60_000)
    answer = post(client, body)
    assert answer.status_code == 400 and len(json.dumps(answer.json)) < 300


@pytest.mark.parametrize("event", ["ONTASKUPDATE", "ONTASKCOMMENTADD"])
def test_a_task_id_of_5000_digits_is_400_not_500(client, redis, event):
    answer = post(client, task_event("9" * 5000, TOKEN, event))
    assert answer.status_code == 400 and "positive integer" in answer.json["error"]
    assert len(answer.get_data()) < 500 and Queue("releasebot", connection=redis).count == 0


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_64_kb_is_413_saying_so_with_or_without_a_content_length(client, redis, chunked):
    body = task_event(53, TOKEN).encode() + b"&pad=" + b"a" * 70_000
    sent = ({"input_stream": io.BytesIO(body), "environ_overrides": {"wsgi.input_terminated": True}} if chunked
            else {"data": body})
    answer = client.post("/bitrix/events", content_type=FORM, **sent)
    assert answer.status_code == 413 and "over 64 KB" in answer.json["error"]
    assert not redis.exists("rq:job:task-53")
