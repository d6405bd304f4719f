from releasebot.model import Release, TaskResult
from worker.store import ResultStore


def shipped(task_id: int, *pairs: tuple[str, str]) -> TaskResult:
    releases = tuple(Release(c, v, "deployed-in", 9000 + task_id, 7, "2026-06-10T14:51:00+02:00") for c, v in pairs)
    return TaskResult(task_id, "found", "2026-06-10T14:51:03+00:00", releases=releases, comment_id=700 + task_id)


def test_index_counts_tasks_per_release_newest_version_first(client, redis):
    store = ResultStore(redis)
    for result in (shipped(1, ("im", "24.90.0")), shipped(2, ("im", "24.500.0"), ("ui", "3.1.0")),
                   shipped(3, ("im", "24.500.0"))):
        store.save(result)
    assert client.get("/api/releases").json["releases"] == [
        {"component": "im", "version": "24.500.0", "tasks": 2},
        {"component": "im", "version": "24.90.0", "tasks": 1},
        {"component": "ui", "version": "3.1.0", "tasks": 1},
    ]
    assert client.get("/api/releases/im/24.500.0").json["tasks"] == [2, 3]


def test_a_changed_result_moves_the_task_to_its_new_release(client, redis):
    store = ResultStore(redis)
    store.save(shipped(1, ("im", "24.500.0")))
    store.save(shipped(1, ("im", "24.501.0")))
    assert client.get("/api/releases/im/24.500.0").status_code == 404
    assert client.get("/api/releases/im/24.501.0").json["tasks"] == [1]


def test_task_result_is_served_as_stored_and_unknown_is_404(client, redis):
    ResultStore(redis).save(shipped(53, ("im", "24.500.0")))
    body = client.get("/api/tasks/53").json
    assert body["outcome"] == "found" and body["commentId"] == 753 and body["releases"][0]["version"] == "24.500.0"
    assert client.get("/api/tasks/54").status_code == 404


def test_releases_page_links_each_version_to_its_tasks(client, redis):
    ResultStore(redis).save(shipped(53, ("im", "24.500.0")))
    page = client.get("/releases").get_data(as_text=True)
    assert "/api/releases/im/24.500.0" in page and "/api/tasks/53" in page


def test_a_version_of_5000_nines_already_recorded_does_not_take_the_release_pages_down(client, redis):
    store = ResultStore(redis)
    for task_id, version in enumerate(("1." + "9" * 5000, "24.500.0", "2.\u00b2", "24.90.0"), start=1):
        store.save(shipped(task_id, ("im", version)))
    assert client.get("/api/releases").status_code == 200 and client.get("/releases").status_code == 200
    versions = [row["version"] for row in client.get("/api/releases").json["releases"]]
    assert versions[:2] == ["24.500.0", "24.90.0"]
