"""Keys: missing, unknown, application keys, scopes, read-only keys; and the error envelope itself."""

import pytest


def test_call_without_key_is_401_missing_api_key(api):
    answer = api.get("/tasks/53", key=None)
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "error": {
        "code": "MISSING_API_KEY", "message": "The X-Api-Key header is missing",
        "hint": "send your key as X-Api-Key: vibe_api_..."}}


def test_unknown_key_is_401_invalid_api_key(api):
    assert api.error(api.get("/tasks/53", key="vibe_api_nobody")) == (401, "INVALID_API_KEY")


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer wrong-token", "Basic session-token-1"])
def test_application_key_without_its_bearer_token_is_401_invalid_app_key(api, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    answer = api.get("/tasks/53", key="vibe_app_releasebot", headers=headers)
    assert api.error(answer) == (401, "INVALID_APP_KEY")


def test_application_key_with_its_bearer_token_is_served(api):
    bearer = {"Authorization": "Bearer session-token-1"}
    answer = api.get("/tasks/53", key="vibe_app_releasebot", headers=bearer)
    assert answer.status_code == 200


def test_expired_key_is_401_token_expired(api):
    assert api.error(api.get("/me", key="vibe_api_expired")) == (401, "TOKEN_EXPIRED")


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/tasks/53"),
    ("PATCH", "/tasks/53"),
    ("GET", "/tasks/53/comments"),
    ("POST", "/tasks/53/comments"),
    ("POST", "/tasks/search"),
])
def test_key_without_task_scope_is_403_scope_denied_everywhere(api, method, path):
    answer = api.call(method, path, key="vibe_api_no_task", json={"text": "x"})
    assert api.error(answer) == (403, "SCOPE_DENIED")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("PATCH", "/tasks/53", {"tags": ["im"]}),
    ("POST", "/tasks/53/comments", {"text": "hello"}),
])
def test_read_only_key_cannot_write(api, method, path, body):
    answer = api.call(method, path, key="vibe_api_readonly", json=body)
    assert api.error(answer) == (403, "WRITE_BLOCKED_READONLY_KEY")


def test_read_only_key_still_reads(api):
    assert api.get("/tasks/53/chat/messages", key="vibe_api_readonly").status_code == 200


def test_me_tells_the_keys_user_scopes_and_access_mode(api):
    assert api.data("GET", "/me") == {"userId": 1, "scopes": ["im", "task", "tasks"], "accessMode": "full"}
    assert api.data("GET", "/me", key="vibe_api_readonly")["accessMode"] == "readonly"


def test_unknown_route_answers_the_error_envelope(api):
    answer = api.get("/tasks/53/nothing")
    assert api.error(answer) == (404, "NOT_FOUND")
    assert answer.json()["error"]["message"] == "no such endpoint: GET /v1/tasks/53/nothing"
