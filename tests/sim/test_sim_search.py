"""POST /tasks/search: Mongo-style filter, order, select, limit and offset."""

import pytest


def search(api, **body):
    return api.post("/tasks/search", json=body).json()


def ids(answer):
    return [task["id"] for task in answer["data"]]


def test_status_equality_finds_the_closed_tasks(api):
    assert ids(search(api, filter={"status": 5})) == [53, 60, 61, 62, 63, 65]


def test_status_in_finds_any_of_the_statuses(api):
    assert ids(search(api, filter={"status": {"$in": [3, 2]}})) == [64]


def test_closed_date_range_is_inclusive_with_gte_and_lte(api):
    window = {"$gte": "2026-06-10T14:51:00+02:00", "$lte": "2026-06-12T10:00:00+02:00"}
    assert ids(search(api, filter={"status": 5, "closedDate": window})) == [53, 60, 61]


def test_closed_date_range_is_exclusive_with_gt_and_lt(api):
    window = {"$gt": "2026-06-10T14:51:00+02:00", "$lt": "2026-06-12T10:00:00+02:00"}
    assert ids(search(api, filter={"closedDate": window})) == [61]


def test_dates_in_other_offsets_compare_as_instants(api):
    assert ids(search(api, filter={"closedDate": {"$lte": "2026-06-10T12:51:00Z"}})) == [53, 63]


def test_order_by_closed_date_descending(api):
    answer = search(api, filter={"status": 5}, order={"closedDate": "desc"})
    assert ids(answer) == [65, 62, 60, 61, 53, 63]


def test_select_answers_only_those_fields_and_the_id(api):
    answer = search(api, filter={"id": 53}, select=["status", "closedDate"])
    assert answer["data"] == [{"id": 53, "status": 5, "closedDate": "2026-06-10T14:51:00+02:00"}]


def test_limit_is_capped_at_50_and_offset_pages_on(start_sim):
    _, client = start_sim({"tasks": [{"id": n, "status": 5} for n in range(1, 61)]})
    first = client.post("/tasks/search", key="vibe_api_demo", json={"limit": 500}).json()
    second = client.post("/tasks/search", key="vibe_api_demo", json={"limit": 50, "offset": 50}).json()
    assert (len(first["data"]), first["meta"]) == (50, {"total": 60, "hasMore": True, "truncated": False})
    assert (ids(second), second["meta"]["hasMore"]) == (list(range(51, 61)), False)


@pytest.mark.parametrize("body", [
    {"filter": {"state": 5}},
    {"filter": {"status": {"$regex": "5"}}},
    {"filter": {"status": {"$in": 5}}},
    {"filter": {"closedDate": {"$gte": "last week"}}},
    {"order": {"closedDate": "newest"}},
    {"select": ["statuz"]},
    {"limit": 0},
    {"offset": -1},
    {"where": {"status": 5}},
])
def test_bad_search_is_400_invalid_params(api, body):
    assert api.error(api.post("/tasks/search", json=body)) == (400, "INVALID_PARAMS")


def test_changed_date_finds_a_task_changed_by_a_new_comment(api):
    api.post("/tasks/61/comments", json={"text": "hotfix deployed in im 24.500.1"})
    answer = search(api, filter={"status": 5, "changedDate": {"$gte": "2026-07-01T00:00:00+02:00"}},
                    order={"changedDate": "asc"}, select=["id", "changedDate"])
    assert ids(answer) == [61] and answer["data"][0]["changedDate"] >= "2026"
