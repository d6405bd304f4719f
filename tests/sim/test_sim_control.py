"""The control API: recordings, task changes, scenario replacement, stats, and task events sent out."""

import queue
import threading
from urllib.parse import parse_qsl

import pytest
import requests
import yaml
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from sim.server import QuietRequestHandler


def test_every_api_call_is_recorded_with_its_answer(sim, api):
    api.get("/tasks/53/chat/messages", params={"limit": 5})
    api.post("/tasks/search", json={"filter": {"status": 5}})
    api.get("/tasks/999")
    calls = sim.requests()
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("GET", "/v1/tasks/53/chat/messages", 200),
        ("POST", "/v1/tasks/search", 200),
        ("GET", "/v1/tasks/999", 404),
    ]
    assert calls[0]["query"] == {"limit": "5"} and calls[1]["json"] == {"filter": {"status": 5}}
    assert calls[2]["errorCode"] == "ENTITY_NOT_FOUND" and calls[2]["apiKey"] == "vibe_api_full"


def test_recordings_filter_by_path_and_method(sim, api):
    api.get("/tasks/53")
    api.post("/tasks/53/comments", json={"text": "hi"})
    assert [c["method"] for c in sim.requests(path_contains="/comments")] == ["POST"]
    assert [c["path"] for c in sim.requests(method="GET")] == ["/v1/tasks/53"]


def test_reset_forgets_recordings_and_control_calls_are_never_recorded(sim, api):
    api.get("/tasks/53")
    sim.reset()
    sim.task(53)
    assert sim.requests() == []


def test_closing_a_task_from_outside_sets_status_and_closed_date(sim, api):
    sim.close_task(54)
    task = api.data("GET", "/tasks/54")
    assert task["status"] == 5 and task["closedDate"] is not None


def test_added_message_is_the_newest_in_the_chat(sim, api):
    sim.add_message(54, "deployed in im 24.600.0", author_id=20294)
    newest = api.data("GET", "/tasks/54/chat/messages")["messages"][0]
    assert (newest["text"], newest["authorId"]) == ("deployed in im 24.600.0", 20294)
    assert newest["isSystem"] is False


def test_added_system_message_is_by_author_0(sim):
    message = sim.add_message(54, "Task completed", system=True)
    assert (message["authorId"], message["isSystem"]) == (0, True)


def test_control_api_creates_a_task_it_does_not_know(sim, api):
    sim.change_task(70, title="New", status=5, messages=["deployed in ui 1.2.3"], members=[1])
    assert api.data("GET", "/tasks/70")["title"] == "New"
    assert api.data("GET", "/tasks/70/chat/messages")["messages"][0]["text"] == "deployed in ui 1.2.3"


def test_task_snapshot_shows_comments_with_their_chat_message(sim, api):
    api.post("/tasks/53/comments", json={"text": "posted"})
    snapshot = sim.task(53)
    assert snapshot["comments"][-1]["messageId"] == snapshot["chat"][-1]["id"]
    assert [c["isSystem"] for c in snapshot["comments"]] == [True, False, False, False]


def test_scenario_replacement_serves_the_new_portal(sim, api):
    sim.load_scenario({"keys": [{"key": "vibe_api_full"}], "tasks": [{"id": 5, "title": "Only one"}]})
    assert api.data("GET", "/tasks/5")["title"] == "Only one"
    assert api.error(api.get("/tasks/53")) == (404, "ENTITY_NOT_FOUND")


def test_bad_scenario_is_refused_and_the_portal_stays(sim, api):
    answer = requests.post(sim.control_url + "/scenario", json={"tasks": [{"id": "x"}]}, timeout=10)
    assert answer.status_code == 400 and "tasks[0].id" in answer.json()["error"]["message"]
    assert api.get("/tasks/53").status_code == 200


def test_stats_count_calls_by_status_route_and_fault(sim, api):
    sim.set_faults(fail_next=[{"route": "/tasks/53", "status": 503}])
    api.get("/tasks/53")
    api.get("/tasks/53")
    stats = sim.stats()
    assert (stats["requests"], stats["faults"]) == (2, {"fail_next": 1})
    assert stats["byStatus"] == {"503": 1, "200": 1}
    assert stats["byRoute"] == {"GET /v1/tasks/<task_id>": 2}


@pytest.fixture
def event_inbox():
    """A stand-in for the bot's webhook: a real HTTP server putting each posted form in a queue."""
    inbox = queue.Queue()

    def app(environ, start_response):
        request = Request(environ)
        inbox.put((request.content_type, parse_qsl(request.get_data(as_text=True))))
        return Response('{"accepted": true}', content_type="application/json")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    server.url = f"http://127.0.0.1:{server.server_port}/bitrix/events"
    server.inbox = inbox
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def events_scenario(sim_data, url):
    scenario = yaml.safe_load((sim_data / "portal.yaml").read_text())
    scenario["events"] = {"url": url, "application_token": "jvh9y1ulvt2m6k5or90v9mg8nn32ozas",
                          "member_id": "d897063e1ce7c5eb9f04b9751eef5915"}
    return scenario


def test_closing_a_task_posts_an_ontaskupdate_as_bitrix24_does(start_sim, sim_data, event_inbox):
    sim, _ = start_sim(events_scenario(sim_data, event_inbox.url))
    sim.close_task(64)
    content_type, form = event_inbox.inbox.get(timeout=5)
    assert content_type == "application/x-www-form-urlencoded"
    assert [name for name, _ in form] == [
        "event", "event_handler_id", "data[FIELDS_BEFORE][ID]", "data[FIELDS_AFTER][ID]",
        "data[IS_ACCESSIBLE_BEFORE]", "data[IS_ACCESSIBLE_AFTER]", "ts",
        "auth[domain]", "auth[client_endpoint]", "auth[server_endpoint]", "auth[member_id]",
        "auth[application_token]"]
    fields = dict(form)
    assert (fields["event"], fields["data[FIELDS_AFTER][ID]"]) == ("ONTASKUPDATE", "64")
    assert fields["auth[application_token]"] == "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


def test_the_bots_own_writes_fire_events_too(start_sim, sim_data, event_inbox):
    _, client = start_sim(events_scenario(sim_data, event_inbox.url))
    client.post("/tasks/53/comments", json={"text": "releasebot"})
    client.patch("/tasks/53", json={"tags": ["im"]})
    task_ids = [dict(event_inbox.inbox.get(timeout=5)[1])["data[FIELDS_AFTER][ID]"] for _ in range(2)]
    assert task_ids == ["53", "53"]


def test_an_unreachable_handler_loses_the_event_without_failing_the_call(start_sim, sim_data):
    sim, client = start_sim(events_scenario(sim_data, "http://127.0.0.1:9/bitrix/events"))
    assert client.patch("/tasks/53", json={"tags": []}).status_code == 200
    sim.state.events.close()
    assert "error" in sim.events()[0]
