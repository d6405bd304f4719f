"""The client and chat paging against the portal simulator over real HTTP."""

from __future__ import annotations

import pytest

from sim.scenario import DEMO_SCENARIO
from sim.server import SimServer
from tests.client.vibe_fakes import FakeScan
from worker.vibecode.chat import read_chat
from worker.vibecode.client import VibeClient, default_retry
from worker.vibecode.errors import AccessDenied, ChatNotFound, ScopeError, TransientError

DEMO_KEY = "vibe_api_demo"


def generated_chat(count: int) -> list[dict]:
    return [{"generate": {"count": count, "text": "message {n}", "last": "deployed in im 24.500.0"}}]


PAGING_SCENARIO = {
    "keys": [{"key": DEMO_KEY},
             {"key": "vibe_api_no_im", "scopes": ["task", "tasks"]},
             {"key": "vibe_api_read_only", "readOnly": True}],
    "tasks": [
        {"id": 200, "title": "Two hundred", "status": 5, "chat": generated_chat(200)},
        {"id": 450, "title": "Four hundred fifty", "status": 5, "chat": generated_chat(450)},
        {"id": 120, "title": "Old portal", "status": 5, "legacy": True, "chat": generated_chat(120)},
    ],
}


@pytest.fixture(scope="module")
def demo():
    with SimServer(scenario=DEMO_SCENARIO, port=0) as sim:
        yield sim


@pytest.fixture(scope="module")
def paging():
    with SimServer(scenario=PAGING_SCENARIO, port=0) as sim:
        yield sim


def connect(sim: SimServer, key: str = DEMO_KEY) -> VibeClient:
    return VibeClient(sim.base_url, key, retries=default_retry(backoff_factor=0))


@pytest.fixture
def api(demo):
    demo.clear_faults()
    with connect(demo) as vibe:
        yield vibe


def chat_limits(sim: SimServer, task_id: int) -> list[str]:
    return [call["query"]["limit"] for call in sim.requests(path_contains=f"/tasks/{task_id}/chat/messages")]


def test_a_closed_demo_task_reads_as_closed(api):
    task = api.get_task(53)

    assert (task.id, task.status, task.tags) == (53, 5, ("im",))
    assert task.closed_date


def test_the_demo_chat_is_read_newest_first_in_one_request(api, demo):
    scan = FakeScan(200)

    read_chat(api, 53, scan)

    assert scan.fed[0].text == "deployed in im 24.500.0"
    assert chat_limits(demo, 53) == ["200"]


def test_a_task_without_a_chat_raises_chat_not_found(api):
    with pytest.raises(ChatNotFound):
        read_chat(api, 55, FakeScan(200))


def test_a_posted_comment_appears_on_the_task(api, demo):
    comment_id = api.post_comment(56, "[B]Shipped in:[/B] nothing yet")

    assert comment_id in [c["id"] for c in demo.comments(56)]


def test_a_comment_is_not_posted_twice_when_the_portal_answers_503(api, demo):
    before = len(demo.comments(54))
    demo.set_faults(fail_next=[{"route": "/tasks/54/comments", "method": "POST", "status": 503}])

    with pytest.raises(TransientError):
        api.post_comment(54, "[B]Shipped in:[/B] im 24.500.0")

    assert len(demo.requests(path_contains="/tasks/54/comments", method="POST")) == 1
    assert len(demo.comments(54)) == before


def test_a_read_survives_two_portal_failures(api, demo):
    demo.set_faults(fail_next=[{"route": "/tasks/56", "method": "GET", "status": 502, "count": 2}])
    before = len(demo.requests(path_contains="/tasks/56", method="GET"))

    assert api.get_task(56).id == 56
    assert len(demo.requests(path_contains="/tasks/56", method="GET")) - before == 3


def test_search_finds_the_closed_demo_tasks(api):
    page = api.search_tasks({"status": 5}, select=["closedDate"])

    assert {53, 55, 56} <= {t.id for t in page.tasks}


def test_tags_are_written_back(api):
    changed = api.update_task(54, {"tags": ["im", "release-24.500.0"]})

    assert api.get_task(54).tags == ("im", "release-24.500.0")
    assert changed == api.get_task(54).changed_date is not None


def test_me_names_the_scopes(api):
    assert set(api.me()["scopes"]) >= {"task", "tasks", "im"}


def test_a_chat_of_200_costs_one_request(paging):
    with connect(paging) as api:
        read_chat(api, 200, FakeScan(200))

    assert chat_limits(paging, 200) == ["200"]


def test_450_messages_with_max_450_cost_three_requests(paging):
    scan = FakeScan(450)

    with connect(paging) as api:
        read_chat(api, 450, scan)

    assert chat_limits(paging, 450) == ["200", "200", "50"]
    assert len({m.id for m in scan.fed}) == 450


def test_an_old_portal_is_paged_50_at_a_time(paging):
    scan = FakeScan(200)

    with connect(paging) as api:
        read_chat(api, 120, scan)

    assert chat_limits(paging, 120) == ["200", "150", "100"]
    assert len(scan.fed) == 120


def test_a_key_without_im_gets_a_scope_error_that_says_so(paging):
    with connect(paging, "vibe_api_no_im") as api, pytest.raises(ScopeError) as caught:
        api.chat_page(200, limit=10)

    assert caught.value.code == "insufficient_scope"
    assert "im scope" in caught.value.action


def test_a_read_only_key_cannot_post(paging):
    with connect(paging, "vibe_api_read_only") as api, pytest.raises(AccessDenied) as caught:
        api.post_comment(200, "text")

    assert caught.value.code == "WRITE_BLOCKED_READONLY_KEY"
