"""The job's core over real HTTP to the simulator: paging, skipping, and nothing simulator-specific."""

from pathlib import Path

import pytest

from releasebot.rules import parse_rules
from sim.server import SimServer
from worker.process import JobContext, handle_task
from worker.vibecode.client import VibeClient

RULES = Path(__file__).resolve().parents[2] / "rules.yaml"
OLDEST_ONLY = {"generate": {"count": 450, "text": "chatter {n}", "first": "deployed in im 24.500.0"}}


def rules_reading(max_messages: int):
    text = RULES.read_text().replace("max_messages: 200", f"max_messages: {max_messages}")
    return parse_rules(text, "rules.yaml")


@pytest.fixture
def portal():
    scenario = {"tasks": [
        {"id": 1, "status": 5, "chat": [OLDEST_ONLY]},
        {"id": 2, "status": 5, "chat": [{"generate": {"count": 200, "text": "chatter {n}",
                                                       "last": "deployed in im 24.500.0"}}]},
        {"id": 3, "status": 5, "chat": [
            {"isSystem": True, "authorId": 0, "text": "deployed in im 1.0.0"},
            ">>deployed in im 2.0.0\nyes, thanks",
            "[quote]deployed in im 3.0.0[/quote] ok",
            "-----\nAnna [today 10:00]\ndeployed in im 4.0.0\n-----\nnoted",
            {"authorId": 1, "text": "[B]Shipped in:[/B] im 5.0.0\n[I]releasebot:0123456789ab[/I]"},  # the key's user
        ]},
    ]}
    with SimServer(scenario) as server, VibeClient(server.base_url, server.api_key) as api:
        yield server, api


def chat_requests(server, task_id):
    return server.requests(path_contains=f"/tasks/{task_id}/chat/messages")


@pytest.mark.parametrize("max_messages, outcome", [(450, "found"), (449, "not_found")])
def test_oldest_of_450_is_found_only_when_max_messages_reaches_it(portal, max_messages, outcome):
    server, api = portal
    result = handle_task(1, JobContext(api, rules_reading(max_messages), dry_run=True))
    assert result.outcome == outcome
    assert len(chat_requests(server, 1)) == 3


def test_a_chat_of_200_costs_exactly_one_chat_request(portal):
    server, api = portal
    assert handle_task(2, JobContext(api, rules_reading(200), dry_run=True)).outcome == "found"
    assert len(chat_requests(server, 2)) == 1


def test_system_quoted_and_own_messages_never_produce_a_result(portal):
    server, api = portal
    assert handle_task(3, JobContext(api, rules_reading(200))).outcome == "not_found"
    assert server.comments(3) == []
