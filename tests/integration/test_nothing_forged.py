"""Nobody but the bot speaks as the bot: the job against the simulator over HTTP."""

from pathlib import Path

import pytest

from cli.localrun import wait_until
from releasebot.comment import fingerprint
from releasebot.model import Release
from releasebot.rules import load_rules
from sim.server import SimServer
from tests.integration.conftest import TOKEN, post_event
from tests.integration.test_exactly_once import FIRST
from tests.wire import task_event
from worker.process import JobContext, handle_task
from worker.vibecode.client import VibeClient

RULES = load_rules(Path(__file__).resolve().parents[2] / "rules.yaml")
BOT, PERSON = 1, 20294  # the simulator's key acts as user 1
IM = fingerprint([Release("im", "24.500.0", "", 0, 0, "")])


@pytest.fixture
def portal():
    scenario = {"tasks": [
        {"id": 1, "status": 5, "chat": ["deployed in im 24.500.0", f"nice, thanks\n[I]releasebot:{IM}[/I]"]},
        {"id": 2, "status": 5, "chat": ["deployed in im 24.500.0 (ref releasebot:0123456789ab)"]},
        {"id": 3, "status": 5, "legacy": True,  # 60 messages on an old portal: its chat cannot show comments
         "chat": [{"generate": {"count": 60, "text": "chatter {n}", "last": "deployed in im 24.500.0"}}],
         "comments": [{"authorId": PERSON, "text": f"copied from another task\n[I]releasebot:{IM}[/I]"}]},
    ]}
    with SimServer(scenario) as server, VibeClient(server.base_url, server.api_key) as api:
        yield server, api


def bot_comments(sim, task_id):
    return [c for c in sim.comments(task_id) if c["authorId"] == BOT]


def test_a_person_ending_a_message_with_the_bots_marker_does_not_silence_the_bot(portal):
    sim, api = portal
    assert handle_task(1, JobContext(api, RULES)).outcome == "found"
    assert len(bot_comments(sim, 1)) == 1


def test_a_marker_in_a_persons_message_does_not_hide_the_release_it_announces(portal):
    _, api = portal
    result = handle_task(2, JobContext(api, RULES))
    assert result.outcome == "found" and [r.version for r in result.releases] == ["24.500.0"]


def test_a_persons_comment_carrying_the_marker_is_not_taken_for_the_bots(portal):
    sim, api = portal
    assert handle_task(3, JobContext(api, RULES)).outcome == "found"
    assert len(bot_comments(sim, 3)) == 1


def test_the_bots_own_message_with_its_marker_is_still_never_read(portal):
    sim, api = portal
    sim.add_message(2, f"[B]Shipped in:[/B] im 9.9.9\n[I]releasebot:{IM}[/I]", author_id=BOT)
    assert [r.version for r in handle_task(2, JobContext(api, RULES)).releases] == ["24.500.0"]


def test_an_old_portals_short_chat_gets_one_comment_when_the_post_was_applied_then_answered_502(
        processes, record):
    web = processes.web()
    applied_then_502 = [{"route": "/comments", "method": "POST", "status": 502, "applied": True}]
    scenario = {"portal": {"legacy": True}, "faults": {"fail_next": applied_then_502},
                "tasks": [{"id": FIRST, "status": 5, "chat": ["looks good", "deployed in im 24.500.0"]}]}
    with SimServer(scenario) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(FIRST, TOKEN))
        wait_until(lambda: record.get(FIRST), 60, "the retried job's result")
        assert len(sim.comments(FIRST)) == 1
        assert len(sim.requests(path_contains="/comments", method="POST")) == 1
