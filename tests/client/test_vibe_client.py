"""VibeClient on a fake transport: what each call sends, and what it makes of real-shaped answers."""

from __future__ import annotations

import logging

import pytest
import requests

from releasebot import __version__
from releasebot.errors import ConfigError
from releasebot.model import Comment, Message, Task
from releasebot.settings import Settings
from tests.client.vibe_fakes import API_KEY, BASE_URL, load
from worker.vibecode.client import VibeClient, default_retry, retrying_session
from worker.vibecode.errors import AuthError, ChatNotFound, ProtocolError, TransientError


def test_task_is_read_from_the_documented_shape(client, fake):
    fake.answer("GET", "/tasks/53", load("task_53"))

    task = client.get_task(53)

    assert task == Task(
        53, 5, "Release the new chat composer", "2026-06-10T14:52:10+02:00", ("frontend", "release"),
        responsible_id=20294, group_id=7)


def test_task_with_bitrix_upper_case_keys_and_string_numbers_reads_the_same(client, fake):
    fake.answer("GET", "/tasks/53", load("task_53_upper_case"))

    assert client.get_task(53) == Task(
        53, 5, "Release the new chat composer", "2026-06-10T14:52:10+02:00", ("frontend", "release"),
        responsible_id=20294, group_id=7)


def test_an_open_task_has_no_closed_date(client, fake):
    fake.answer("GET", "/tasks/54", load("task_54_open"))

    task = client.get_task(54)

    assert (task.status, task.closed_date, task.tags) == (3, None, ())


def test_chat_page_keeps_newest_first_and_marks_system_messages(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("chat_53_page"))

    page = client.chat_page(53, limit=50)

    assert [m.id for m in page.messages] == [9125, 9123, 9101]
    assert [m.is_system for m in page.messages] == [True, False, False]
    assert page.messages[1] == Message(9123, 20294, "deployed in im 24.500.0", "2026-06-10T14:51:00+02:00")
    assert page.has_next_page


def test_chat_page_with_upper_case_keys_string_ids_and_y_n_flags(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("chat_53_upper_case"))

    page = client.chat_page(53, limit=50)

    assert page.messages[0] == Message(9125, 0, "The task is completed", "2026-06-10T14:52:10+02:00", True)
    assert page.messages[1].is_system is False
    assert page.messages[1].author_id == 20294
    assert not page.has_next_page


def test_a_message_without_is_system_counts_as_system_when_its_author_is_0(client, fake):
    joined = {"id": 5, "authorId": 0, "text": "joined"}
    body = {"success": True, "data": {"messages": [joined], "hasNextPage": False}}
    fake.answer("GET", "/tasks/53/chat/messages", body)

    assert client.chat_page(53, limit=1).messages[0].is_system


def test_first_chat_page_sends_the_limit_and_no_cursor(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("chat_53_page"))

    client.chat_page(53, limit=200)

    assert fake.sent[0].query == {"limit": "200"}


def test_next_chat_page_sends_last_id(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("chat_53_page"))

    client.chat_page(53, limit=50, last_id=9101)

    assert fake.sent[0].query == {"limit": "50", "lastId": "9101"}


def test_comments_are_read_with_string_ids_and_has_more_from_meta(client, fake):
    fake.answer("GET", "/tasks/53/comments", load("comments_53"))

    page = client.list_comments(53, limit=50, offset=100)

    assert page.comments[1] == Comment(772, 1, page.comments[1].text, "2026-06-10T14:53:00+02:00")
    assert not page.has_more
    assert fake.sent[0].query == {"limit": "50", "offset": "100"}


def test_a_full_comment_page_without_meta_may_have_more(client, fake):
    fake.answer("GET", "/tasks/53/comments", {"success": True, "data": load("comments_53")["data"]})

    assert client.list_comments(53, limit=2).has_more


def test_post_comment_sends_the_text_as_json_and_returns_the_new_id(client, fake):
    fake.answer("POST", "/tasks/53/comments", load("comment_created"), status=201)

    comment_id = client.post_comment(53, "[B]Shipped in:[/B] im 24.500.0")

    assert comment_id == 777
    assert fake.sent[0].json == {"text": "[B]Shipped in:[/B] im 24.500.0"}
    assert fake.sent[0].headers["Content-Type"] == "application/json"


def test_a_comment_over_20000_characters_is_refused_before_sending(client, fake):
    with pytest.raises(ValueError, match="20000"):
        client.post_comment(53, "x" * 20_001)

    assert fake.sent == []


def test_update_task_patches_the_fields(client, fake):
    fake.answer("PATCH", "/tasks/53", {"success": True, "data": {"id": 53}})

    client.update_task(53, {"tags": ["release", "im-24.500.0"]})

    assert (fake.sent[0].method, fake.sent[0].json) == ("PATCH", {"tags": ["release", "im-24.500.0"]})


def test_update_task_answers_the_changed_date_the_portal_gave_it(client, fake):
    task = {"id": 53, "CHANGED_DATE": "2026-06-10T14:52:00+02:00"}
    fake.answer("PATCH", "/tasks/53", {"success": True, "data": task})
    assert client.update_task(53, {"tags": ["im 24.500.0"]}) == "2026-06-10T14:52:00+02:00"
    fake.answer("PATCH", "/tasks/53", {"success": True, "data": {"id": 53}})
    assert client.update_task(53, {"tags": []}) is None


def test_search_posts_the_filter_and_always_selects_id_and_status(client, fake):
    fake.answer("POST", "/tasks/search", load("search_closed"))
    closed_since = {"status": 5, "closedDate": {"$gte": "2026-06-01T00:00:00+00:00"}}

    page = client.search_tasks(closed_since, order={"closedDate": "asc"}, select=["closedDate"], limit=2)

    assert [t.id for t in page.tasks] == [53, 61]
    assert page.has_more
    assert fake.sent[0].json == {"filter": closed_since, "order": {"closedDate": "asc"},
                                 "select": ["id", "status", "closedDate"], "limit": 2, "offset": 0}


def test_me_returns_the_key_description(client, fake):
    fake.answer("GET", "/me", load("me"))

    assert client.me()["scopes"] == ["task", "tasks", "im"]


def test_every_call_sends_the_key_json_accept_user_agent_and_a_timeout(client, fake):
    fake.answer("GET", "/me", load("me"))
    fake.answer("GET", "/tasks/53", load("task_53"))

    client.me()
    client.get_task(53)

    for sent in fake.sent:
        assert sent.headers["X-Api-Key"] == API_KEY
        assert sent.headers["Accept"] == "application/json"
        assert sent.headers["User-Agent"] == f"releasebot/{__version__}"
        assert sent.timeout == (3.05, 15)
        assert "Authorization" not in sent.headers


def test_an_application_key_also_sends_its_bearer_token(fake):
    session = requests.Session()
    session.mount("http://vibe.test/", fake)
    fake.answer("GET", "/me", load("me"))

    with VibeClient(BASE_URL, "vibe_app_abc", bearer_token="session-token", session=session) as app_client:
        app_client.me()

    assert fake.sent[0].headers["Authorization"] == "Bearer session-token"


def test_before_request_is_called_before_each_call(fake):
    session = requests.Session()
    session.mount("http://vibe.test/", fake)
    fake.answer("GET", "/me", load("me"))
    calls = []

    def hook():
        calls.append(len(fake.sent))

    with VibeClient(BASE_URL, API_KEY, session=session, before_request=hook) as vibe:
        vibe.me()
        vibe.me()

    assert calls == [0, 1]


def test_an_error_answer_raises_the_mapped_error(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("error_404_task_chat_not_found"), status=404)

    with pytest.raises(ChatNotFound):
        client.chat_page(53, limit=200)


def test_success_false_in_a_200_answer_raises(client, fake):
    fake.answer("GET", "/tasks/53/chat/messages", load("error_404_task_chat_not_found"))

    with pytest.raises(ChatNotFound):
        client.chat_page(53, limit=200)


def test_an_html_gateway_page_is_transient(client, fake):
    html = {"Content-Type": "text/html"}
    fake.answer("GET", "/tasks/53", "<html>502 Bad Gateway</html>", status=502, headers=html)

    with pytest.raises(TransientError) as caught:
        client.get_task(53)

    assert caught.value.status == 502


def test_a_200_that_is_not_json_is_a_protocol_error(client, fake):
    fake.answer("GET", "/tasks/53", "Welcome to the server", headers={"Content-Type": "text/plain"})

    with pytest.raises(ProtocolError, match="Welcome to the server"):
        client.get_task(53)


@pytest.mark.parametrize("page, headers", [
    ("<html><body>Service temporarily unavailable</body></html>", {"Content-Type": "text/html; charset=utf-8"}),
    ("\n<!DOCTYPE html><title>Proxy error</title>", {}),
])
def test_a_200_web_page_is_a_proxy_or_maintenance_page_and_transient(client, fake, page, headers):
    fake.answer("GET", "/tasks/53", page, headers=headers)

    with pytest.raises(TransientError) as caught:
        client.get_task(53)

    error = caught.value
    assert error.retryable and not error.retried and error.code == "HTML_ANSWER" and "VIBE_BASE_URL" in error.action
    assert "<" not in str(error), "a page's markup is never kept in an error RQ stores"


def test_a_message_without_an_id_is_skipped_with_a_note_naming_the_field(client, fake):
    body = {"success": True, "data": {"messages": [{"text": "hi"}], "hasNextPage": False}}
    fake.answer("GET", "/tasks/53/chat/messages", body)

    page = client.chat_page(53, limit=50)

    assert page.messages == () and "'id'" in page.skipped[0]


def test_a_non_numeric_id_is_a_protocol_error(client, fake):
    fake.answer("GET", "/tasks/53", {"success": True, "data": {"id": "fifty-three", "status": 5}})

    with pytest.raises(ProtocolError, match="fifty-three"):
        client.get_task(53)


@pytest.mark.parametrize("task_id", [0, -1, "53/../me", None, True])
def test_a_task_id_must_be_a_positive_integer(client, fake, task_id):
    with pytest.raises(ValueError, match="task_id"):
        client.get_task(task_id)

    assert fake.sent == []


def test_from_settings_uses_base_url_key_and_bearer_token():
    settings = Settings.from_env({"VIBE_API_KEY": API_KEY, "VIBE_BASE_URL": "http://localhost:8080/v1/"})

    with VibeClient.from_settings(settings) as vibe:
        assert vibe.base_url == "http://localhost:8080/v1"


def test_from_settings_without_a_key_names_the_variable():
    with pytest.raises(ConfigError, match="VIBE_API_KEY"):
        VibeClient.from_settings(Settings.from_env({}))


def test_the_key_never_appears_in_errors_reprs_or_logs(client, fake, caplog):
    caplog.set_level(logging.DEBUG)
    echoed = {"success": False, "error": {"code": "INVALID_API_KEY", "message": f"key {API_KEY} revoked",
                                          "hint": f"replace {API_KEY}"}}
    fake.answer("GET", "/me", echoed, status=401)

    with pytest.raises(AuthError) as caught:
        client.me()

    for text in (str(caught.value), repr(caught.value), caught.value.message, caught.value.hint,
                 repr(client), caplog.text):
        assert API_KEY not in text
    assert "GET /me -> HTTP 401" in caplog.text


def test_the_session_does_not_read_proxies_from_the_environment_per_request():
    assert not retrying_session("http://portal.test/v1", default_retry(), lambda: None).trust_env
