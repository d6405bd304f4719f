"""The answer inside Bitrix24: the release as a tag on the task, replaced when a late hotfix is announced."""

import time

import requests
from rq import Queue
from rq.registry import StartedJobRegistry

from cli.localrun import wait_until
from tests.integration.conftest import TOKEN, post_event, wait_for_comments
from tests.wire import task_event


def tags_of(sim, task_id: int) -> list[str]:
    return sim.task(task_id)["tags"]


def test_a_late_hotfix_replaces_the_bots_tag_and_keeps_the_others(web, worker, sim):
    sim.change_task(53, tags=["im", "customer-acme"], notify=False)
    post_event(web, task_event(53, TOKEN))
    wait_until(lambda: "im 24.500.0" in tags_of(sim, 53), 30, "the release tag")
    assert tags_of(sim, 53) == ["im", "customer-acme", "im 24.500.0"]

    sim.add_message(53, "hotfix deployed in im 24.500.1", author_id=1)
    post_event(web, task_event(53, TOKEN, "ONTASKCOMMENTADD"))
    wait_until(lambda: "im 24.500.1" in tags_of(sim, 53), 30, "the hotfix tag")
    assert tags_of(sim, 53) == ["im", "customer-acme", "im 24.500.1"]
    comments = wait_for_comments(sim, 53, 2)
    assert len(comments) == 2 and "im 24.500.1" in comments[1]["text"]
    # The job stores the result after it writes the comment and the tags: the record follows a moment later.
    wait_until(lambda: requests.get(f"{web.url}/api/releases/im/24.500.0", timeout=5).status_code == 404, 30,
               "the replaced release to leave the record")
    assert [t["taskId"] for t in requests.get(f"{web.url}/api/releases/im/24.500.1", timeout=5).json()["tasks"]] == [53]


def test_repeated_events_write_the_tags_once(web, worker, sim, redis_conn):
    queue = Queue("releasebot", connection=redis_conn)
    for _ in range(3):
        post_event(web, task_event(53, TOKEN))
        wait_until(lambda: idle(queue) and requests.get(f"{web.url}/api/tasks/53", timeout=5).ok, 30, "the job")
    assert len(sim.requests("/tasks/53", method="PATCH")) == 1 and len(sim.comments(53)) == 1


def idle(queue: Queue) -> bool:
    """Nothing waiting or running on the queue."""
    return queue.count == 0 and StartedJobRegistry(queue=queue).count == 0


def test_a_late_message_whose_event_was_missed_is_picked_up_by_the_next_sweep(web, worker, sim, redis_conn):
    post_event(web, task_event(53, TOKEN))
    wait_until(lambda: "im 24.500.0" in tags_of(sim, 53), 30, "the release tag")
    time.sleep(1.5)  # the portal's dates are to the second: the message must come after the result
    sim.add_message(53, "hotfix deployed in im 24.500.1", author_id=1)  # no event reaches the bot
    Queue("releasebot", connection=redis_conn).enqueue("worker.jobs.sweep")
    wait_until(lambda: "im 24.500.1" in tags_of(sim, 53), 30, "the hotfix tag after the sweep")
    assert tags_of(sim, 53) == ["im", "im 24.500.1"]
    assert "im 24.500.1" in wait_for_comments(sim, 53, 2)[1]["text"]
