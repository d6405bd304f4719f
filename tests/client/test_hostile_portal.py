"""A portal that answers with hostile values: waits, echoed keys, deep or odd bodies never break the client."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from infra.queueing import JOB_TIMEOUT
from releasebot.model import Message
from releasebot.normalize import MAX_TEXT
from releasebot.rules import load_rules, read
from tests.client.vibe_fakes import API_KEY, FakeScan, load
from worker.jobs import _plan_retry
from worker.vibecode.chat import MAX_PAGES, read_chat
from worker.vibecode.client import (
    MAX_ANSWER_BYTES,
    MAX_DATE_CHARS,
    MAX_TITLE_CHARS,
    ChatPage,
    default_retry,
)
from worker.vibecode.errors import MAX_RETRY_AFTER, ProtocolError, TransientError, error_from_response

TASK = load("task_53")
BUSY = load("error_503_bitrix_unavailable")

RULES_FILE = __import__("pathlib").Path(__file__).resolve().parents[2] / "rules.yaml"


def time_limit(retry_after: object) -> dict:
    message = "BITRIX_ERROR: OPERATION_TIME_LIMIT"
    return {"success": False, "error": {"code": "BITRIX_ERROR", "message": message, "retryAfter": retry_after}}


class Job:
    """The two members _plan_retry uses of an RQ job."""

    def __init__(self):
        self.retries_left, self.retry_intervals = 4, [5, 30, 120, 600]


@pytest.mark.parametrize("header", ["999999", "1" + "0" * 5000, "Wed, 01 Jan 3000 00:00:00 GMT"])
def test_a_huge_retry_after_header_is_capped_at_the_documented_maximum(header):
    error = error_from_response(503, BUSY, {"Retry-After": header})
    assert error.retry_after == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", [999999, 1e15, "1e400", 1e308 * 10])
def test_a_huge_retry_after_in_the_body_schedules_the_job_no_later_than_the_maximum(value):
    job = Job()
    _plan_retry(job, error_from_response(422, time_limit(value), {}))
    assert max(job.retry_intervals[:1]) <= MAX_RETRY_AFTER


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "", "[]"])
def test_an_unreadable_retry_after_means_use_the_backoff(value):
    error = error_from_response(503, BUSY, {"Retry-After": value})
    assert isinstance(error, TransientError) and error.retry_after is None


@pytest.mark.parametrize("value", ["soon", "-1", "99" * 3000])
def test_an_unreadable_retry_after_header_is_retried_with_the_backoff_not_failed(stub, stub_client, value):
    stub.reply(503, BUSY, {"Retry-After": value})
    stub.reply(200, TASK)

    assert stub_client().get_task(53).id == 53


def test_a_portal_asking_to_wait_forever_holds_one_request_well_under_the_job_timeout():
    retry = default_retry()
    longest = retry.total * retry.parse_retry_after("999999")
    assert longest <= 60 < JOB_TIMEOUT


@pytest.mark.parametrize("where", ["code", "message", "hint", "field", "value"])
def test_an_api_key_echoed_anywhere_in_an_error_is_redacted(client, fake, where):
    error = {"code": "BITRIX_ERROR", "message": "no", "hint": "try again"}
    if where == "field":
        error[f"x-{API_KEY}"] = 1
    elif where == "value":
        error["details"] = {"key": API_KEY}
    else:
        error[where] = f"the key {API_KEY} is bad"
    fake.answer("GET", "/tasks/53", {"success": False, "error": error}, status=400)

    with pytest.raises(Exception) as caught:
        client.get_task(53)

    assert API_KEY not in repr(vars(caught.value)) + str(caught.value)


def test_an_api_key_echoed_in_a_field_name_or_value_of_data_is_redacted(client, fake):
    fake.answer("GET", "/tasks/53", {"success": True, "data": {"id": 53, "status": API_KEY}})
    with pytest.raises(ProtocolError) as caught:
        client.get_task(53)
    assert API_KEY not in str(caught.value)

    message = {"id": 5, "authorId": 7, "text": f"key {API_KEY}", "createdAt": API_KEY, API_KEY: 1}
    fake.answer("GET", "/tasks/53/chat/messages",
                {"success": True, "data": {"messages": [message], "hasNextPage": False}})
    assert API_KEY not in repr(client.chat_page(53, limit=50))


@pytest.mark.parametrize("status", [200, 500])
def test_a_body_nested_past_any_api_shape_is_a_readable_error_not_a_recursion_error(client, fake, status):
    fake.answer("GET", "/tasks/53", "[" * 100_000, status=status)
    with pytest.raises((ProtocolError, TransientError)):
        client.get_task(53)


def test_one_message_with_a_null_author_is_skipped_with_a_note_and_the_rest_are_read(client, fake):
    messages = [{"id": 9, "authorId": None, "text": "hello", "createdAt": ""},
                {"id": 8, "authorId": 7, "text": "deployed in im 1.2.3", "createdAt": ""}]
    fake.answer("GET", "/tasks/53/chat/messages",
                {"success": True, "data": {"messages": messages, "hasNextPage": False}})

    page = client.chat_page(53, limit=50)

    assert [m.id for m in page.messages] == [8]
    assert "authorId" in page.skipped[0]


class SystemChat:
    """A chat of 20,000 system messages, 200 a page."""

    def __init__(self):
        self.requests = 0

    def chat_page(self, task_id, *, limit, last_id=None):
        self.requests += 1
        top = (last_id or 20_001) - 1
        page = tuple(Message(i, 0, "joined", "", True) for i in range(top, max(top - 200, 0), -1))
        return ChatPage(page, top > 200)


def test_a_chat_of_system_messages_is_read_for_a_bounded_number_of_pages_and_says_so():
    chat = SystemChat()
    notes = read_chat(chat, 53, FakeScan(200)).notes
    assert chat.requests == MAX_PAGES
    assert "stopped after" in notes[0]


def test_a_message_of_236_kb_on_one_line_is_kept_bounded_with_its_start_and_its_end(client, fake):
    message = {"id": 5, "authorId": 7, "text": "built lib 1.0 " * 16_800 + "deployed in im 24.500.0", "createdAt": ""}
    fake.answer("GET", "/tasks/53/chat/messages",
                {"success": True, "data": {"messages": [message], "hasNextPage": False}})
    text = client.chat_page(53, limit=50).messages[0].text
    assert len(text) < MAX_TEXT and text.endswith("deployed in im 24.500.0")


def test_a_pasted_log_of_100_000_characters_keeps_the_release_under_it(client, fake):
    log = "".join(f"2026-06-09T02:{n % 60:02d}:00Z INFO worker heartbeat, queue lag {n} ms, pool 1.{n % 9}\n"
                  for n in range(1_500))
    message = {"id": 5, "authorId": 7, "text": f"{log}\ndeployed in im 24.500.0", "createdAt": ""}
    assert len(message["text"]) > 100_000
    fake.answer("GET", "/tasks/53/chat/messages",
                {"success": True, "data": {"messages": [message], "hasNextPage": False}})
    text = client.chat_page(53, limit=50).messages[0].text
    assert len(text) < MAX_TEXT
    assert [(m.component, m.version) for m in read(load_rules(RULES_FILE), text).matches] == [("im", "24.500.0")]


def test_a_redirect_to_a_location_that_is_not_utf8_is_a_protocol_error(client, fake):
    fake.answer("GET", "/tasks/53", None, status=302, headers={"Location": "\x80"})
    with pytest.raises(ProtocolError, match="not UTF-8"):
        client.get_task(53)


def gzipped(body: object) -> bytes:
    return gzip.compress(json.dumps(body).encode(), compresslevel=9)


def test_a_gzip_bomb_is_refused_before_it_inflates_past_the_answer_cap(stub, stub_client):
    bomb = {"success": True, "data": {**TASK["data"], "title": "x" * (MAX_ANSWER_BYTES * 4)}}
    stub.reply(200, gzipped(bomb), {"Content-Encoding": "gzip"})

    with pytest.raises(ProtocolError) as caught:
        stub_client().get_task(53)

    assert caught.value.code == "ANSWER_TOO_LARGE" and "MB" in caught.value.message


def test_an_answer_larger_than_the_cap_on_the_wire_is_refused(stub, stub_client):
    stub.reply(200, b"{" + b" " * (MAX_ANSWER_BYTES + 1) + b"}")

    with pytest.raises(ProtocolError, match="announced"):
        stub_client().get_task(53)


def test_a_long_title_is_kept_cut_to_its_bound(client, fake):
    fake.answer("GET", "/tasks/53", {"success": True, "data": {**TASK["data"], "title": "t" * 100_000,
                                                               "closedDate": "2" * 10_000}})

    task = client.get_task(53)

    assert len(task.title) == MAX_TITLE_CHARS and len(task.closed_date) == MAX_DATE_CHARS


def test_a_tag_no_portal_could_hold_is_refused_not_cut_and_written_back(client, fake):
    fake.answer("GET", "/tasks/53", {"success": True, "data": {**TASK["data"], "tags": ["ok", "t" * 5_000]}})

    with pytest.raises(ProtocolError, match="tag longer"):
        client.get_task(53)


def test_an_answer_dripping_a_byte_at_a_time_is_cut_at_the_deadline_not_held_per_read(stub, stub_client):
    stub.reply(200, TASK, drip=0.2)  # each byte well within the read timeout; the whole answer ~80 s
    started = time.monotonic()

    with pytest.raises(TransientError) as caught:
        stub_client(answer_seconds=1).get_task(53)

    # urllib3 tries a GET three times (read=2), each cut after its second
    assert caught.value.code == "SLOW_ANSWER" and time.monotonic() - started < 5


def test_a_post_dripping_its_answer_is_cut_once_and_never_resent(stub, stub_client):
    stub.reply(200, {"success": True, "data": {"id": 777}}, drip=0.2)
    started = time.monotonic()

    with pytest.raises(TransientError, match="not whole within 1 s"):
        stub_client(answer_seconds=1).post_comment(53, "deployed")

    assert len(stub.seen) == 1 and time.monotonic() - started < 2
