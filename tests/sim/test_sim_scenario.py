"""Scenario files, the shipped demo scenario, and `serve()` as `releasebot sim` runs it."""

import subprocess
import sys
from datetime import datetime, timedelta

import pytest
import requests

from sim.scenario import ScenarioError, load_scenario


def chat_texts(client, task_id, key="vibe_api_demo"):
    return [m["text"] for m in client.data("GET", f"/tasks/{task_id}/chat/messages", key=key)["messages"]]


def test_demo_task_53_is_closed_and_its_newest_message_is_the_release(start_sim):
    _, client = start_sim(None)
    task = client.data("GET", "/tasks/53", key="vibe_api_demo")
    texts = chat_texts(client, 53)
    assert (task["title"], task["status"]) == ("Fix unread counter", 5)
    assert texts[0] == "deployed in im 24.500.0" and texts[-1] == "Task created"
    assert any(t.startswith(">>") for t in texts) and any(t.startswith("-----") for t in texts)


def test_demo_has_a_task_in_progress_one_without_chat_and_one_without_release(start_sim):
    _, client = start_sim(None)
    assert client.data("GET", "/tasks/54", key="vibe_api_demo")["status"] == 3
    no_chat = client.get("/tasks/55/chat/messages", key="vibe_api_demo")
    assert client.error(no_chat) == (404, "TASK_CHAT_NOT_FOUND")
    assert not any("deployed" in t for t in chat_texts(client, 56))


def test_demo_closed_tasks_count_as_recently_closed(start_sim):
    _, client = start_sim(None)
    since = (datetime.now().astimezone() - timedelta(days=1)).isoformat()
    found = client.data("POST", "/tasks/search", key="vibe_api_demo",
                        json={"filter": {"status": 5, "closedDate": {"$gte": since}}})
    assert sorted(task["id"] for task in found) == [53, 55, 56, *range(70, 77), *range(80, 85)]


def test_messages_without_ids_and_dates_get_increasing_ones_a_minute_apart():
    chat = load_scenario({"portal": {"start": "2026-06-10T09:00:00+02:00"},
                          "tasks": [{"id": 1, "chat": ["a", "b"]}]}).tasks[1].chat
    assert chat[1].id > chat[0].id
    assert chat[1].created_at - chat[0].created_at == timedelta(minutes=1)


def test_generated_chat_has_count_messages_with_first_as_the_oldest():
    generate = {"count": 5, "first": "deployed in im 1.0.0", "last": "bye"}
    chat = load_scenario({"tasks": [{"id": 1, "chat": {"generate": generate}}]}).tasks[1].chat
    assert [m.text for m in chat] == ["deployed in im 1.0.0", "message 1", "message 2", "message 3", "bye"]


def test_relative_dates_count_back_from_now():
    task = load_scenario({"tasks": [{"id": 1, "status": 5, "closedDate": "now-90m"}]}).tasks[1]
    age = datetime.now(task.closed_date.tzinfo) - task.closed_date
    assert timedelta(minutes=89) < age < timedelta(minutes=91)


def test_scenario_error_names_the_file_and_the_place(sim_data):
    where = r"bad-message\.yaml: tasks\[0\]\.chat\[1\]: unknown field 'autorId'"
    with pytest.raises(ScenarioError, match=where):
        load_scenario(sim_data / "bad-message.yaml")


@pytest.mark.parametrize(("scenario", "place"), [
    ({"tasks": [{"id": 1, "chat": [{"id": 5, "text": "a"}, {"id": 4, "text": "b"}]}]}, "tasks[0].chat[1].id"),
    ({"tasks": [{"id": 1}, {"id": 1}]}, "tasks[1].id"),
    ({"tasks": [{"id": 1, "status": 9}]}, "tasks[0].status"),
    ({"keys": [{"userId": 1}]}, "keys[0].key"),
    ({"portal": {"start": "yesterday"}}, "portal.start"),
    ({"events": {"url": "http://x"}}, "events.application_token"),
    ({"taks": []}, "unknown field 'taks'"),
])
def test_scenario_mistakes_are_named(scenario, place):
    with pytest.raises(ScenarioError, match=place.replace("[", r"\[").replace("]", r"\]")):
        load_scenario(scenario)


def test_serve_prints_its_url_and_serves_the_demo_until_stopped():
    command = [sys.executable, "-c", "from sim.server import serve; serve(port=0)"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("simulator listening on http://127.0.0.1:") and line.endswith("/v1")
        base_url = line.removeprefix("simulator listening on ")
        answer = requests.get(base_url + "/me", headers={"X-Api-Key": "vibe_api_demo"}, timeout=10)
        assert answer.json()["data"]["userId"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
