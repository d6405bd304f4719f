"""Nothing the bot found, and nothing a person wrote, is lost: the job against the simulator over HTTP."""

import time
from pathlib import Path

import pytest

from cli.localrun import wait_until
from releasebot.rules import load_rules
from sim.server import SimServer
from store import FAILED_RESULT_TTL, ResultStore
from tests.integration.conftest import TOKEN, post_event, wait_for_result
from tests.wire import task_event
from worker.process import JobContext, handle_task
from worker.vibecode.client import VibeClient

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules.yaml")
TASK = 53


@pytest.fixture
def portal():
    scenario = {"tasks": [{"id": TASK, "title": "Fix unread counter", "status": 5, "closedDate": "now-1h",
                           "tags": ["im"], "chat": ["looks good", "deployed in im 24.500.0"]}]}
    with SimServer(scenario) as server, VibeClient(server.base_url, server.api_key) as api:
        yield server, api


def test_a_403_flap_keeps_the_found_result_and_records_the_failure_beside_it(portal, record):
    sim, api = portal
    store = record
    found = handle_task(TASK, JobContext(api, RULES, store))
    assert found.outcome == "found" and found.tags_added == ("im 24.500.0",)

    sim.set_faults(fail_next=[{"route": f"/tasks/{TASK}", "status": 403, "code": "SCOPE_DENIED"}])
    handle_task(TASK, JobContext(api, RULES, store))

    kept = store.get(TASK)
    assert kept.outcome == "found" and kept.releases == found.releases and kept.tags_added == ("im 24.500.0",)
    assert kept.task.title == "Fix unread counter"
    assert kept.extra["lastFailure"]["code"] == "SCOPE_DENIED" and kept.extra["lastFailure"]["status"] == 403
    later = ResultStore(record.engine, clock=lambda: time.time() + FAILED_RESULT_TTL + 60)
    assert later.get(TASK) is not None  # never expires, as a failed result would
    assert [r.task_id for r in store.release_results("im", "24.500.0").items] == [TASK]

    sim.add_message(TASK, "hotfix: deployed in im 24.500.1")
    handle_task(TASK, JobContext(api, RULES, store))
    assert sim.task(TASK)["tags"] == ["im", "im 24.500.1"]  # the bot's earlier tag came off
    assert "lastFailure" not in store.get(TASK).extra


class PersonTagsDuringTheComment(VibeClient):
    """The portal's API, while a person adds a tag to the task as the bot posts its comment."""

    def __init__(self, sim, *args, **kw):
        super().__init__(*args, **kw)
        self.sim = sim

    def post_comment(self, task_id, text):
        self.sim.change_task(task_id, tags=[*self.sim.task(task_id)["tags"], "urgent"], notify=False)
        return super().post_comment(task_id, text)


def test_a_tag_a_person_adds_while_the_job_runs_survives_the_bots_tag_write(portal, record):
    sim, _ = portal
    with PersonTagsDuringTheComment(sim, sim.base_url, sim.api_key) as api:
        result = handle_task(TASK, JobContext(api, RULES, record))
    assert sim.task(TASK)["tags"] == ["im", "urgent", "im 24.500.0"]
    assert result.tags_added == ("im 24.500.0",) and result.task.tags == ("im", "urgent", "im 24.500.0")


def test_a_message_written_while_the_tasks_own_job_runs_is_read_when_the_job_ends(processes, redis_conn):
    web = processes.web()
    scenario = {"tasks": [{"id": TASK, "status": 5, "closedDate": "now-1h", "chat": ["deployed in im 24.500.0"]}],
                "faults": {"slow_rate": 1.0, "slow_seconds": 1}}  # every answer takes a second: the job is slow
    with SimServer(scenario) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(TASK, TOKEN))
        wait_until(lambda: sim.requests(path_contains="/chat/messages"), 30, "the job to have read the chat")
        sim.add_message(TASK, "hotfix: deployed in im 24.500.1")  # as the job posts its comment
        answer = post_event(web, task_event(TASK, TOKEN, "ONTASKCOMMENTADD")).json()
        assert answer["queued"] is False and "queued again when it ends" in answer["reason"]

        wait_until(lambda: "im 24.500.1" in sim.task(TASK)["tags"], 60, "the hotfix read after the job")
        assert [c["text"].split("\n")[0] for c in sim.comments(TASK)] == [
            "[B]Shipped in:[/B] im 24.500.0", "[B]Shipped in:[/B] im 24.500.1"]
        # the second job writes the tag, then records its result: the record follows within moments
        wait_until(lambda: [r["version"] for r in wait_for_result(web, TASK)["releases"]] == ["24.500.1"], 30,
                   "the hotfix's result recorded")
