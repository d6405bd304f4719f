from releasebot.candidates import as_dicts, misses_in_text
from releasebot.model import ApiErrorInfo, Release, TaskInfo, TaskResult

PORTAL = "https://example.bitrix24.com"


def shipped(task_id: int, *pairs: tuple[str, str], title: str = "", at: str = "2026-06-10T14:51:00+02:00",
            closed: str = "2026-06-10T15:00:00+02:00") -> TaskResult:
    releases = tuple(Release(c, v, "deployed-in", 9000 + task_id, 7, at, f"deployed in {c} {v}") for c, v in pairs)
    info = TaskInfo(title or f"Task title {task_id}", closed, 20294, 7, ("im",),
                    f"{PORTAL}/company/personal/user/0/tasks/task/view/{task_id}/")
    return TaskResult(task_id, "found", "2026-06-10T14:51:03+00:00", releases=releases, comment_id=700 + task_id,
                      task=info)


def test_index_counts_tasks_per_release_newest_version_first_with_announcement_dates(client, store):
    for result in (shipped(1, ("im", "24.90.0")), shipped(2, ("im", "24.500.0"), ("ui", "3.1.0")),
                   shipped(3, ("im", "24.500.0"), at="2026-06-12T09:00:00+02:00")):
        store.save(result)
    rows = client.get("/api/releases").json["releases"]
    assert [(r["component"], r["version"], r["tasks"]) for r in rows] == [
        ("im", "24.500.0", 2), ("im", "24.90.0", 1), ("ui", "3.1.0", 1)]
    assert (rows[0]["firstAnnouncedAt"], rows[0]["lastAnnouncedAt"]) == (
        "2026-06-10T12:51:00+00:00", "2026-06-12T07:00:00+00:00")


def test_version_answers_its_tasks_as_objects_with_title_link_and_message(client, store):
    store.save(shipped(53, ("im", "24.500.0"), title="Messenger crashes on send"))
    [task] = client.get("/api/releases/im/24.500.0").json["tasks"]
    assert task == {"taskId": 53, "title": "Messenger crashes on send", "closedDate": "2026-06-10T15:00:00+02:00",
                    "responsibleId": 20294, "url": f"{PORTAL}/company/personal/user/0/tasks/task/view/53/",
                    "message": {"id": 9053, "authorId": 7, "at": "2026-06-10T14:51:00+02:00",
                                "text": "deployed in im 24.500.0", "rule": "deployed-in"}}


def test_component_lookups_ignore_case(client, store):
    store.save(shipped(53, ("im", "24.500.0")))
    assert [t["taskId"] for t in client.get("/api/releases/IM/24.500.0").json["tasks"]] == [53]
    assert client.get("/releases/Im/24.500.0").status_code == 200


def test_a_changed_result_moves_the_task_to_its_new_release(client, store):
    store.save(shipped(1, ("im", "24.500.0")))
    store.save(shipped(1, ("im", "24.501.0")))
    assert client.get("/api/releases/im/24.500.0").status_code == 404
    assert [t["taskId"] for t in client.get("/api/releases/im/24.501.0").json["tasks"]] == [1]


def test_task_result_is_served_as_stored_with_its_task_object_and_unknown_is_404(client, store):
    store.save(shipped(53, ("im", "24.500.0")))
    body = client.get("/api/tasks/53").json
    assert body["outcome"] == "found" and body["commentId"] == 753 and body["releases"][0]["version"] == "24.500.0"
    assert body["task"]["title"] == "Task title 53" and body["task"]["groupId"] == 7
    assert client.get("/api/tasks/54").status_code == 404


def test_link_is_built_from_the_events_portal_when_the_result_has_none(client, store):
    store.save(TaskResult(60, "not_found", "2026-06-10T14:51:03+00:00", task=TaskInfo("No words")))
    store.remember_portal("https://acme.bitrix24.eu")
    [task] = client.get("/api/tasks?outcome=not_found").json["tasks"]
    assert task["url"] == "https://acme.bitrix24.eu/company/personal/user/0/tasks/task/view/60/"


def test_not_found_tasks_come_with_the_pairs_their_chat_holds_and_why_not(client, store, rules):
    missed = misses_in_text(rules, "will be deployed in im 24.500.0")
    store.save(TaskResult(60, "not_found", "2026-06-10T14:51:03+00:00",
                                       extra={"candidates": as_dicts(missed)}))
    [task] = client.get("/api/tasks?outcome=not_found").json["tasks"]
    [candidate] = task["candidates"]
    assert candidate["clause"][candidate["pairStart"]:candidate["pairEnd"]] == "im 24.500.0"
    assert candidate["reason"] == "stopped by guard `future` (cue 'will')" and candidate["kind"] == "guard"
    assert "releasebot rules suggest" in task["action"]


def test_attention_lists_failed_and_not_found_newest_first_with_the_way_to_redo(client, store):
    error = ApiErrorInfo("insufficient_scope", "no im", 422, "issue a key with the im scope")
    store.save(TaskResult(70, "failed", "2026-06-10T10:00:00+00:00", error=error))
    store.save(TaskResult(71, "failed", "2026-06-10T11:00:00+00:00", error=error))
    store.save(TaskResult(72, "not_found", "2026-06-10T12:00:00+00:00"))
    failed = client.get("/api/tasks?outcome=failed").json["tasks"]
    assert [t["taskId"] for t in failed] == [71, 70]
    assert failed[0]["error"]["code"] == "insufficient_scope" and failed[0]["redo"] == "releasebot process 71"
    assert "im scope" in failed[0]["action"] and "releasebot process" not in failed[0]["action"]
    assert [t["taskId"] for t in client.get("/api/tasks?outcome=not_found").json["tasks"]] == [72]


def test_a_task_leaves_the_attention_list_once_it_is_found(client, store):
    store.save(TaskResult(72, "not_found", "2026-06-10T12:00:00+00:00"))
    store.save(shipped(72, ("im", "24.500.0")))
    assert client.get("/api/tasks?outcome=not_found").json["tasks"] == []


def test_attention_needs_a_known_outcome(client):
    assert client.get("/api/tasks?outcome=found").status_code == 400


def test_read_api_errors_say_what_went_wrong_without_the_webhooks_accepted(client):
    answer = client.get("/api/tasks?outcome=found")
    assert answer.json == {"error": "outcome must be one of failed, not_found"}


def test_a_version_of_5000_nines_already_recorded_does_not_take_the_release_pages_down(client, store):
    for task_id, version in enumerate(("1." + "9" * 5000, "24.500.0", "2.\u00b2", "24.90.0"), start=1):
        store.save(shipped(task_id, ("im", version)))
    assert client.get("/api/releases").status_code == 200 and client.get("/releases").status_code == 200
    versions = [row["version"] for row in client.get("/api/releases").json["releases"]]
    assert versions[:2] == ["24.500.0", "24.90.0"]


def test_the_store_never_lets_a_failure_replace_a_final_result(store):
    found = TaskResult(53, "found", "2026-06-10T14:51:03+00:00", releases=(
        Release("im", "24.500.0", "shipped", 9123, 20294, "2026-06-10T14:51:00+02:00"),))
    store.save(found)
    store.save(TaskResult(53, "failed", "2026-06-11T09:00:00+00:00",
                          error=ApiErrorInfo("INVALID_API_KEY", "The API key is not valid", 401, "re-issue it")))
    kept = store.get(53)
    assert kept.outcome == "found" and kept.releases == found.releases
    assert kept.extra["lastFailure"] == {"code": "INVALID_API_KEY", "message": "The API key is not valid",
                                         "status": 401, "action": "re-issue it", "at": "2026-06-11T09:00:00+00:00"}
    assert store.with_outcome("failed").items == [] and [r.task_id for r in store.with_outcome("found").items] == [53]
