"""Realistic chats in the simulator (sim/demo.yaml, tasks 70-76) read end to end: events over
HTTP into the real web app, a real worker reading the chat through the API, the result and the comment."""

import pytest

from tests.integration.conftest import TOKEN, post_event, wait_for_result
from tests.wire import task_event

EXPECTED = {
    70: ("a correction phrased differently wins", [("crm", "24.300.2")]),
    71: ("a later hotfix wins", [("im", "24.500.1")]),
    72: ("a rollback withdraws the release", []),
    73: ("a reply quoting the announcement withdraws it", []),
    74: ("the successful CI deploy counts, the failed one does not", [("billing-api", "4.2.0")]),
    75: ("another product mentioned in passing is left out", [("disk", "24.200.6")]),
    76: ("a question does not count, its answer does", [("tasks", "24.600.0")]),
}


@pytest.fixture
def results(web, worker, sim):
    for task_id in EXPECTED:
        assert post_event(web, task_event(task_id, TOKEN)).json()["queued"] is True
    return {task_id: wait_for_result(web, task_id) for task_id in EXPECTED}


def test_each_chat_gets_the_release_a_careful_reader_sees(results, sim):
    got = {task_id: sorted((r["component"], r["version"]) for r in result["releases"])
           for task_id, result in results.items()}
    assert got == {task_id: expected for task_id, (_, expected) in EXPECTED.items()}


def test_only_tasks_with_a_release_get_a_comment_and_it_names_it(results, sim):
    for task_id, (why, expected) in EXPECTED.items():
        comments = sim.comments(task_id)
        assert len(comments) == (1 if expected else 0), why
        assert all(f"{component} {version}" in comments[0]["text"] for component, version in expected), why
        assert results[task_id]["outcome"] == ("found" if expected else "not_found"), why
