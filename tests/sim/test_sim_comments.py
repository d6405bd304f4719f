"""Task comments: listing human comments, posting, and a posted comment showing in the chat too."""

import pytest


def test_comments_list_human_comments_oldest_first(api):
    answer = api.get("/tasks/53/comments").json()
    assert [(c["authorId"], c["text"]) for c in answer["data"]] == [
        (20294, "Looks good on the test portal."), (1, "Thanks!")]
    assert answer["meta"] == {"total": 2, "hasMore": False, "truncated": False}
    assert set(answer["data"][0]) == {"id", "authorId", "text", "createdAt"}


def test_comments_page_by_limit_and_offset(api):
    answer = api.get("/tasks/53/comments", params={"limit": 1, "offset": 0}).json()
    assert [c["text"] for c in answer["data"]] == ["Looks good on the test portal."]
    assert answer["meta"]["hasMore"] is True


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "x"}, {"offset": "-1"}])
def test_bad_comment_paging_is_400(api, params):
    assert api.error(api.get("/tasks/53/comments", params=params)) == (400, "INVALID_PARAMS")


def test_posted_comment_answers_201_with_its_id(api):
    answer = api.post("/tasks/53/comments", json={"text": "[b]Released[/b] in im 24.500.0"})
    assert answer.status_code == 201
    assert answer.json() == {"success": True, "data": {"id": answer.json()["data"]["id"]}}
    assert isinstance(answer.json()["data"]["id"], int)


def test_posted_comment_shows_in_comments_and_as_the_newest_chat_message(api):
    comment_id = api.data("POST", "/tasks/53/comments", json={"text": "releasebot: im 24.500.0"})["id"]
    comments = api.data("GET", "/tasks/53/comments")
    newest = api.data("GET", "/tasks/53/chat/messages")["messages"][0]
    assert (comments[-1]["id"], comments[-1]["text"]) == (comment_id, "releasebot: im 24.500.0")
    assert (newest["text"], newest["authorId"], newest["isSystem"]) == ("releasebot: im 24.500.0", 1, False)
    assert newest["id"] > 9123


def test_comment_on_a_task_without_chat_creates_its_chat(api):
    api.data("POST", "/tasks/63/comments", json={"text": "first words"})
    assert [m["text"] for m in api.data("GET", "/tasks/63/chat/messages")["messages"]] == ["first words"]


def test_comment_ids_increase(api):
    first = api.data("POST", "/tasks/53/comments", json={"text": "one"})["id"]
    second = api.data("POST", "/tasks/64/comments", json={"text": "two"})["id"]
    assert second > first


def test_comment_of_exactly_20000_characters_is_accepted(api):
    assert api.post("/tasks/53/comments", json={"text": "x" * 20_000}).status_code == 201


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}, {"text": 5}, {"text": "x" * 20_001},
                                  {"text": "hi", "format": "markdown"}])
def test_bad_comment_is_400_invalid_params_and_posts_nothing(api, sim, body):
    assert api.error(api.post("/tasks/53/comments", json=body)) == (400, "INVALID_PARAMS")
    assert len(sim.comments(53)) == 3
