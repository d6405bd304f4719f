"""The webhook's body limit holds however the body is sent: real gunicorn, as the Procfile runs it."""

import requests

from tests.integration.conftest import TOKEN
from tests.wire import task_event
from web.body_deadline import MAX_BODY_BYTES


def chunks(body: bytes, size: int = 8192):
    """The body as a generator: requests sends it with Transfer-Encoding: chunked, without Content-Length."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def post_chunked(web, body: bytes) -> requests.Response:
    return requests.post(f"{web.url}/bitrix/events", data=chunks(body), timeout=10,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_chunked_body_over_the_limit_is_413_and_queues_nothing(web, redis_conn):
    body = task_event(53, TOKEN).encode() + b"&pad=" + b"a" * (MAX_BODY_BYTES + 1)
    answer = post_chunked(web, body)
    assert answer.status_code == 413 and "64 KB" in answer.json()["error"]
    assert not redis_conn.exists("rq:job:task-53")


def test_a_chunked_event_within_the_limit_is_queued(web, redis_conn):
    answer = post_chunked(web, task_event(53, TOKEN).encode())
    assert answer.status_code == 200 and answer.json()["queued"] is True
