"""What a sender with a valid token can do to the webhook is bounded: the queue, the answer, the body."""

import json

from rq import Queue

from releasebot.model import ApiErrorInfo, TaskResult
from store import FAILED_RESULT_TTL, ResultStore
from tests.unit.conftest import TOKEN
from tests.wire import task_event
from worker.queueing import MAX_WAITING_JOBS

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
