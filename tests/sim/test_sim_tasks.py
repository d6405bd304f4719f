"""GET and PATCH of a task, in the gateway's camelCase and in a Bitrix-style UPPER_CASE portal."""

import pytest


def test_task_answers_its_fields_in_camel_case(api):
    assert api.data("GET", "/tasks/53") == {
        "id": 53, "title": "Fix unread counter", "status": 5, "groupId": 7,
        "closedDate": "2026-06-10T14:51:00+02:00", "changedDate": "2026-06-10T14:51:00+02:00", "tags": ["im"]}


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/tasks/999"),
    ("PATCH", "/tasks/999"),
    ("GET", "/tasks/999/comments"),
    ("POST", "/tasks/999/comments"),
])
def test_unknown_task_is_404_entity_not_found(api, method, path):
    answer = api.call(method, path, json={"tags": []} if method == "PATCH" else {"text": "hi"})
    assert api.error(answer) == (404, "ENTITY_NOT_FOUND")


def test_patch_replaces_the_whole_tag_list(api):
    changed = api.data("PATCH", "/tasks/53", json={"tags": ["release:im-24.500.0"]})
    assert changed["tags"] == ["release:im-24.500.0"]
    assert api.data("GET", "/tasks/53")["tags"] == ["release:im-24.500.0"]


def test_completing_a_task_sets_its_closed_date_and_reopening_clears_it(api):
    closed = api.data("PATCH", "/tasks/64", json={"status": 5})
    reopened = api.data("PATCH", "/tasks/64", json={"status": 3})
    assert closed["status"] == 5 and closed["closedDate"].startswith("20")
    assert reopened["closedDate"] is None


def test_patch_keeps_custom_fields_by_their_uf_names(api):
    assert api.data("PATCH", "/tasks/53", json={"UF_RELEASE": "im 24.500.0"})["UF_RELEASE"] == "im 24.500.0"


@pytest.mark.parametrize("body", [{}, {"tagz": ["x"]}, {"TAGS": ["x"]}, {"tags": "im"}, {"status": 9},
                                  {"status": "closed"}, {"title": ""}, ["tags"]])
def test_bad_patch_body_is_400_invalid_params(api, body):
    assert api.error(api.patch("/tasks/53", json=body)) == (400, "INVALID_PARAMS")


def test_patch_without_a_json_content_type_is_400(api):
    answer = api.patch("/tasks/53", data='{"tags": ["im"]}')
    assert api.error(answer) == (400, "INVALID_PARAMS")


def test_upper_case_portal_answers_bitrix_keys_and_string_numbers(start_sim, sim_data):
    _, client = start_sim(sim_data / "upper.json")
    task = client.data("GET", "/tasks/53", key="vibe_api_demo")
    assert task == {"ID": "53", "TITLE": "Fix unread counter", "STATUS": "5", "GROUP_ID": "7",
                    "CLOSED_DATE": "2026-06-10T14:51:00+02:00", "CHANGED_DATE": "2026-06-10T14:51:00+02:00",
                    "TAGS": ["im"], "UF_RELEASE": ""}


def test_upper_case_portal_answers_search_in_the_same_shape(start_sim, sim_data):
    _, client = start_sim(sim_data / "upper.json")
    found = client.data("POST", "/tasks/search", key="vibe_api_demo", json={"select": ["status"]})
    assert found == [{"ID": "53", "STATUS": "5"}]


def test_string_numbers_portal_keeps_camel_case(start_sim):
    _, client = start_sim({"portal": {"string_numbers": True}, "tasks": [{"id": 7, "status": 3}]})
    assert client.data("GET", "/tasks/7", key="vibe_api_demo")["status"] == "3"
