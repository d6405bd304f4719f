"""The error table: each API answer maps to one class, a retry flag and what the operator must fix."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests

from releasebot.errors import ReleasebotError
from tests.client.vibe_fakes import API_KEY, load
from worker.vibecode.errors import (
    AccessDenied,
    AuthError,
    ChatNotFound,
    InvalidParams,
    NotFound,
    PaymentRequired,
    PermanentError,
    ProtocolError,
    ScopeError,
    TransientError,
    VibeError,
    error_from_exception,
    error_from_response,
)


def error_body(code: str, message: str = "something went wrong") -> dict:
    return {"success": False, "error": {"code": code, "message": message}}


# status, body, class, retryable, code, words the action must contain
ERROR_TABLE = [
    (400, load("error_400_invalid_params"), InvalidParams, False, "INVALID_PARAMS", "bug"),
    (401, error_body("MISSING_API_KEY"), AuthError, False, "MISSING_API_KEY", "VIBE_API_KEY"),
    (401, load("error_401_invalid_api_key"), AuthError, False, "INVALID_API_KEY",
     "VIBE_API_KEY is wrong or revoked"),
    (401, load("error_401_invalid_app_key"), AuthError, False, "INVALID_APP_KEY", "VIBE_BEARER_TOKEN"),
    (401, error_body("TOKEN_EXPIRED"), AuthError, False, "TOKEN_EXPIRED", "VIBE_BEARER_TOKEN has expired"),
    (402, load("error_402_credit"), PaymentRequired, False, "PAYMENT_REQUIRED", "credit"),
    (402, None, PaymentRequired, False, "", "credit"),
    (403, load("error_403_scope_denied"), ScopeError, False, "SCOPE_DENIED", "task scope"),
    (403, error_body("BITRIX_ACCESS_DENIED"), AccessDenied, False, "BITRIX_ACCESS_DENIED",
     "may not see this task"),
    (403, load("error_403_readonly"), AccessDenied, False, "WRITE_BLOCKED_READONLY_KEY", "read-only"),
    (404, load("error_404_entity_not_found"), NotFound, False, "ENTITY_NOT_FOUND", "task id"),
    (404, load("error_404_task_chat_not_found"), ChatNotFound, False, "TASK_CHAT_NOT_FOUND", "no chat"),
    (422, load("error_422_insufficient_scope"), ScopeError, False, "insufficient_scope",
     "the key lacks the im scope: re-issue VIBE_API_KEY with the scopes task, tasks and im"),
    (422, load("error_422_access_error"), AccessDenied, False, "ACCESS_ERROR", "member of the task chat"),
    (422, load("error_422_query_limit"), TransientError, True, "QUERY_LIMIT_EXCEEDED", "retried"),
    (422, error_body("BITRIX_ERROR", "Bitrix24 error: OPERATION_TIME_LIMIT"), TransientError, True,
     "OPERATION_TIME_LIMIT", "retried"),
    (422, error_body("BITRIX_ERROR", "overload_limit: portal overloaded"), TransientError, True,
     "OVERLOAD_LIMIT", "retried"),
    (422, error_body("BITRIX_ERROR", "Bitrix24 error: TASKS_ERROR_EXCEPTION"), PermanentError, False,
     "BITRIX_ERROR", "refused"),
    (429, load("error_429_rate_limited"), TransientError, True, "RATE_LIMITED", "rate limit"),
    (500, None, TransientError, True, "", "retried"),
    (502, "<html><body>Bad Gateway</body></html>", TransientError, True, "", "retried"),
    (503, load("error_503_bitrix_unavailable"), TransientError, True, "BITRIX_UNAVAILABLE", "retried"),
    (504, None, TransientError, True, "", "retried"),
]


@pytest.mark.parametrize(("status", "body", "cls", "retryable", "code", "action"), ERROR_TABLE,
                         ids=[f"{row[0]}-{row[4] or 'no-code'}" for row in ERROR_TABLE])
def test_each_api_error_maps_to_its_class_retry_flag_and_action(status, body, cls, retryable, code, action):
    error = error_from_response(status, body if isinstance(body, dict) else None, {})

    assert type(error) is cls
    assert (error.retryable, error.code, error.status) == (retryable, code, status)
    assert action in error.action


def test_success_false_in_a_200_answer_is_an_error_too():
    error = error_from_response(200, load("error_404_task_chat_not_found"), {})

    assert isinstance(error, ChatNotFound)


def test_a_missing_chat_is_a_kind_of_not_found_and_every_error_a_releasebot_error():
    assert issubclass(ChatNotFound, NotFound)
    assert issubclass(VibeError, ReleasebotError)
    assert issubclass(ProtocolError, PermanentError)


def test_rate_limit_wait_comes_from_the_retry_after_header():
    error = error_from_response(429, load("error_429_rate_limited"), {"retry-after": "5"})

    assert error.retry_after == 5


def test_rate_limit_wait_falls_back_to_retry_after_in_the_body():
    error = error_from_response(429, load("error_429_rate_limited"), {})

    assert error.retry_after == 2


def test_rate_limit_wait_can_be_an_http_date():
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)

    error = error_from_response(429, None, {"Retry-After": in_a_minute})

    assert 55 <= error.retry_after <= 60


def test_the_message_says_status_code_message_hint_and_action():
    error = error_from_response(401, load("error_401_invalid_api_key"), {})

    assert str(error) == (
        "HTTP 401 INVALID_API_KEY: The API key is invalid or has been revoked "
        "(hint: Issue a new key in the VibeCode dashboard) -- " + error.action)


def test_an_api_key_echoed_by_the_server_is_redacted():
    body = error_body("INVALID_API_KEY", f"unknown key {API_KEY}")

    error = error_from_response(401, body, {}, secrets=[API_KEY])

    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert "unknown key [redacted]" in error.message


def test_a_redirect_asks_to_fix_the_base_url():
    error = error_from_response(301, None, {"Location": "https://vibecode.bitrix24.com/v1/me"})

    assert isinstance(error, ProtocolError)
    assert "redirected to https://vibecode.bitrix24.com/v1/me" in error.message
    assert "VIBE_BASE_URL" in error.action


@pytest.mark.parametrize(("exc", "code"), [
    (requests.ReadTimeout("read timed out"), "TIMEOUT"),
    (requests.ConnectTimeout("connect timed out"), "TIMEOUT"),
    (requests.ConnectionError("connection refused"), "CONNECTION_ERROR"),
    (requests.exceptions.RetryError("too many 503 error responses"), "RETRIES_EXHAUSTED"),
])
def test_no_answer_at_all_is_transient(exc, code):
    error = error_from_exception(exc, "GET /tasks/53")

    assert isinstance(error, TransientError)
    assert error.code == code
    assert error.message.startswith("GET /tasks/53 ")


def test_a_malformed_base_url_is_permanent_and_names_the_setting():
    error = error_from_exception(requests.exceptions.MissingSchema("No scheme supplied"), "GET /me")

    assert not error.retryable
    assert "VIBE_BASE_URL" in error.action


def test_to_info_is_what_a_failed_result_records():
    info = error_from_response(422, load("error_422_insufficient_scope"), {}).to_info()

    assert (info.code, info.status) == ("insufficient_scope", 422)
    assert info.action.startswith("the key lacks the im scope")


def test_a_one_letter_key_does_not_shred_the_error_message():
    from worker.vibecode.errors import redact

    assert redact("could not reach vibecode.bitrix24.com", ["x", ""]) == "could not reach vibecode.bitrix24.com"
    assert redact("key vibe_api_SECRET echoed", ["vibe_api_SECRET"]) == "key [redacted] echoed"


@pytest.mark.parametrize("body", [{"success": False, "error": {"code": "NOT_FOUND", "message": "no such endpoint"}},
                                  None, "<html>Not Found</html>"])
def test_a_404_without_the_apis_own_code_points_at_vibe_base_url_not_the_task_id(body):
    error = error_from_response(404, body, {})
    assert isinstance(error, ProtocolError) and "VIBE_BASE_URL" in error.action and "task id" not in error.action
