"""The task chat endpoint: newest first, lastId cursors, limits, old portals, and its errors."""

import pytest


def chat(api, task_id, key="vibe_api_full", **params):
    return api.data("GET", f"/tasks/{task_id}/chat/messages", params=params, key=key)


def read_whole_chat(api, task_id, limit):
    pages, last_id = [], None
    while True:
        page = chat(api, task_id, limit=limit, **({"lastId": last_id} if last_id else {}))
        pages.append(page)
        if not page["hasNextPage"]:
            return pages
        last_id = min(m["id"] for m in page["messages"])


def test_messages_come_newest_first_with_every_field(api):
    page = chat(api, 53)
    assert [m["id"] for m in page["messages"]] == [9123, 9102, 9101, 9100]
    assert page["messages"][0] == {"id": 9123, "authorId": 20294, "text": "deployed in im 24.500.0",
                                   "createdAt": "2026-06-10T14:51:00+02:00", "isSystem": False}
    assert page["hasNextPage"] is False


def test_system_messages_are_in_the_chat_by_author_0(api):
    oldest = chat(api, 53)["messages"][-1]
    assert (oldest["isSystem"], oldest["authorId"], oldest["text"]) == (True, 0, "Task created")


def test_bb_codes_and_quotes_come_as_written(api):
    texts = [m["text"] for m in chat(api, 53)["messages"]]
    assert "[b]Steps[/b]: read the chat, the counter stays at 1." in texts
    assert ">>the counter stays at 1.\nReproduced." in texts


def test_last_id_pages_back_through_a_long_chat_to_its_first_message(api):
    pages = read_whole_chat(api, 60, limit=200)
    ids = [m["id"] for page in pages for m in page["messages"]]
    assert [len(page["messages"]) for page in pages] == [200, 200, 50]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 450
    assert pages[-1]["messages"][-1]["text"] == "deployed in im 24.500.0"


def test_last_id_returns_only_older_messages(api):
    page = chat(api, 53, lastId=9102)
    assert [m["id"] for m in page["messages"]] == [9101, 9100]


def test_default_page_is_50_messages(api):
    page = chat(api, 60)
    assert len(page["messages"]) == 50 and page["hasNextPage"] is True


def test_limit_above_200_is_silently_capped_to_200(api):
    assert len(chat(api, 60, limit=5000)["messages"]) == 200


def test_a_full_page_that_reaches_the_first_message_has_no_next_page(api):
    pages = read_whole_chat(api, 60, limit=50)
    assert [len(page["messages"]) for page in pages] == [50] * 9
    assert pages[-1]["hasNextPage"] is False


def test_legacy_task_pages_are_capped_at_50_and_a_full_page_claims_more(api):
    pages = read_whole_chat(api, 61, limit=200)
    assert [len(page["messages"]) for page in pages] == [50, 50, 0]
    assert [page["hasNextPage"] for page in pages] == [True, True, False]


def test_legacy_portal_option_caps_every_task(start_sim):
    _, client = start_sim(legacy=True)
    page = chat(client, 60, limit=200)
    assert len(page["messages"]) == 50 and page["hasNextPage"] is True


def test_an_empty_chat_is_an_empty_page(api):
    assert chat(api, 65) == {"messages": [], "hasNextPage": False}


@pytest.mark.parametrize("path", [
    "/tasks/abc/chat/messages",
    "/tasks/0/chat/messages",
    "/tasks/53/chat/messages?limit=abc",
    "/tasks/53/chat/messages?limit=0",
    "/tasks/53/chat/messages?limit=-5",
    "/tasks/53/chat/messages?limit=1.5",
    "/tasks/53/chat/messages?lastId=x",
    "/tasks/53/chat/messages?lastId=0",
])
def test_bad_task_id_limit_or_last_id_is_400_invalid_params(api, path):
    answer = api.get(path)
    assert api.error(answer) == (400, "INVALID_PARAMS")
    assert answer.json()["error"]["message"]


@pytest.mark.parametrize("task_id", [63, 999])
def test_task_without_chat_or_without_task_is_404_task_chat_not_found(api, task_id):
    assert api.error(api.get(f"/tasks/{task_id}/chat/messages")) == (404, "TASK_CHAT_NOT_FOUND")


def test_key_without_im_scope_gets_422_insufficient_scope(api):
    answer = api.get("/tasks/53/chat/messages", key="vibe_api_no_im")
    assert api.error(answer) == (422, "BITRIX_ERROR")
    assert "insufficient_scope" in answer.json()["error"]["message"]


def test_key_whose_user_is_not_a_chat_member_gets_422_access_error(api):
    answer = api.get("/tasks/62/chat/messages")
    assert api.error(answer) == (422, "BITRIX_ERROR")
    assert "ACCESS_ERROR" in answer.json()["error"]["message"]


def test_portal_admin_reads_any_chat(api):
    assert chat(api, 62, key="vibe_api_admin")["messages"][0]["text"] == "deployed in im 24.600.0"


def test_key_without_task_scope_gets_403_scope_denied(api):
    assert api.error(api.get("/tasks/53/chat/messages", key="vibe_api_no_task")) == (403, "SCOPE_DENIED")
