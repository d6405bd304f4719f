"""The retry policy over real HTTP (a local stub): what urllib3 retries, its waits, what it never repeats."""

from __future__ import annotations

import logging
import socket

import pytest
from urllib3.util.retry import Retry

from tests.client.vibe_fakes import API_KEY, load
from worker.vibecode.client import REQUEST_RETRY_AFTER_MAX, default_retry
from worker.vibecode.errors import ChatNotFound, TransientError

TASK = load("task_53")
BUSY = load("error_503_bitrix_unavailable")


def test_a_rate_limited_read_waits_for_retry_after_then_succeeds(stub, stub_client):
    stub.reply(429, load("error_429_rate_limited"), {"Retry-After": "1"})
    stub.reply(200, TASK)

    task = stub_client().get_task(53)

    assert task.id == 53
    first, second = stub.seen
    assert second.at - first.at >= 0.95


def test_reads_are_retried_on_5xx_until_the_portal_answers(stub, stub_client):
    stub.reply(503, BUSY)
    stub.reply(502)
    stub.reply(200, TASK)

    assert stub_client().get_task(53).id == 53
    assert len(stub.seen) == 3


def test_when_retries_run_out_the_last_answer_is_raised(stub, stub_client):
    stub.reply(503, BUSY)

    with pytest.raises(TransientError) as caught:
        stub_client(retries=Retry(total=2, status_forcelist=[503], raise_on_status=False)).get_task(53)

    assert (caught.value.status, caught.value.code) == (503, "BITRIX_UNAVAILABLE")
    assert len(stub.seen) == 3
    assert caught.value.retried  # so the job does not retry it a second time


def test_a_permanent_error_is_not_retried(stub, stub_client):
    stub.reply(404, load("error_404_task_chat_not_found"))

    with pytest.raises(ChatNotFound):
        stub_client().chat_page(53, limit=200)

    assert len(stub.seen) == 1


def test_posting_a_comment_is_not_retried_on_503(stub, stub_client):
    stub.reply(503, BUSY)
    stub.reply(201, load("comment_created"))

    with pytest.raises(TransientError) as caught:
        stub_client().post_comment(53, "[B]Shipped in:[/B] im 24.500.0")

    assert [s.method for s in stub.seen] == ["POST"]
    assert not caught.value.retried  # left to the job, which re-checks the marker before posting again


def test_a_rate_limited_comment_is_resent_since_the_gateway_applied_nothing(stub, stub_client):
    stub.reply(429, load("error_429_rate_limited"), {"Retry-After": "0"})
    stub.reply(201, load("comment_created"))

    comment_id = stub_client().post_comment(53, "[B]Shipped in:[/B] im 24.500.0")

    assert comment_id == load("comment_created")["data"]["id"]
    assert [s.method for s in stub.seen] == ["POST", "POST"]


def test_posting_a_comment_is_not_retried_after_a_read_timeout(stub, stub_client):
    stub.reply(hang=True)
    stub.reply(201, load("comment_created"))

    with pytest.raises(TransientError, match="timed out"):
        stub_client(timeout=(1, 0.3)).post_comment(53, "[B]Shipped in:[/B] im 24.500.0")

    assert [s.method for s in stub.seen] == ["POST"]


def test_a_read_is_retried_after_a_read_timeout(stub, stub_client):
    stub.reply(hang=True)
    stub.reply(200, TASK)

    assert stub_client(timeout=(1, 0.3)).get_task(53).id == 53
    assert len(stub.seen) == 2


def test_the_search_is_a_read_and_is_retried_on_503(stub, stub_client):
    stub.reply(503, BUSY)
    stub.reply(200, load("search_closed"))

    page = stub_client().search_tasks({"status": 5})

    assert [t.id for t in page.tasks] == [53, 61]
    assert [s.method for s in stub.seen] == ["POST", "POST"]


def test_a_task_update_is_retried_on_502(stub, stub_client):
    stub.reply(502)
    stub.reply(200, {"success": True, "data": {"id": 53}})

    stub_client().update_task(53, {"tags": ["release"]})

    assert [s.method for s in stub.seen] == ["PATCH", "PATCH"]


def test_before_request_also_runs_before_each_retry(stub, stub_client):
    stub.reply(503, BUSY)
    stub.reply(503, BUSY)
    stub.reply(200, TASK)
    calls = []

    stub_client(before_request=lambda: calls.append(len(stub.seen))).get_task(53)

    assert calls == [0, 1, 2]


def test_posting_a_comment_is_retried_when_the_connection_was_refused(stub_client):
    calls = []

    with pytest.raises(TransientError, match="could not reach the API"):
        stub_client(base_url=f"http://127.0.0.1:{closed_port()}/v1", retries=Retry(total=2),
                    before_request=lambda: calls.append(1)).post_comment(53, "text")

    assert len(calls) == 3


def test_the_default_policy_is_bounded_honours_retry_after_and_keeps_the_last_answer():
    retry = default_retry()

    assert (retry.total, retry.backoff_max, retry.retry_after_max) == (6, 30, REQUEST_RETRY_AFTER_MAX)
    assert retry.respect_retry_after_header
    assert not retry.raise_on_status
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert "POST" not in retry.allowed_methods


def test_the_key_never_appears_in_logs_or_errors_over_http(stub, stub_client, caplog):
    caplog.set_level(logging.DEBUG)
    stub.reply(503, BUSY)

    with pytest.raises(TransientError) as caught:
        stub_client(retries=Retry(total=1, status_forcelist=[503], raise_on_status=False)).get_task(53)

    assert stub.seen[0].headers["X-Api-Key"] == API_KEY
    assert API_KEY not in caplog.text + str(caught.value) + repr(caught.value)


def closed_port() -> int:
    """A local port nobody listens on, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
