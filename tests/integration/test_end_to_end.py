"""A closed task becomes a version comment: real web, worker, Redis and simulator processes."""

import requests
from rq import Queue

from cli.localrun import wait_until
from infra.redis_keys import METRIC_JOBS
from tests.integration.conftest import KEY, TOKEN, post_event, wait_for_comments, wait_for_result
from tests.wire import task_event


def test_closed_task_event_becomes_a_comment_naming_the_release(web, worker, sim):
    answer = post_event(web, task_event(53, TOKEN))
    assert answer.status_code == 200 and answer.json()["queued"] is True
    comments = wait_for_comments(sim, 53)
    assert len(comments) == 1 and "im 24.500.0" in comments[0]["text"]
    result = wait_for_result(web, 53)
    assert result["outcome"] == "found" and result["commentId"] == comments[0]["id"]
    announcement = next(m for m in sim.task(53)["chat"] if m["text"] == "deployed in im 24.500.0")
    assert result["releases"] == [{"component": "im", "version": "24.500.0", "rule": "shipped",
                                   "messageId": announcement["id"], "authorId": announcement["authorId"],
                                   "messageAt": announcement["createdAt"],
                                   "messageText": "deployed in im 24.500.0"}]
    assert result["task"]["title"] == "Fix unread counter" and result["task"]["groupId"] == 7


def test_release_index_lists_the_task(web, worker, sim):
    post_event(web, task_event(53, TOKEN))
    wait_for_result(web, 53)
    index = requests.get(f"{web.url}/api/releases", timeout=5).json()
    assert [(r["component"], r["version"], r["tasks"]) for r in index["releases"]] == [("im", "24.500.0", 1)]
    tasks = requests.get(f"{web.url}/api/releases/IM/24.500.0", timeout=5).json()
    assert [(t["taskId"], t["title"]) for t in tasks["tasks"]] == [(53, "Fix unread counter")]
    assert tasks["tasks"][0]["url"] == "https://example.bitrix24.com/company/personal/user/0/tasks/task/view/53/"
    page = requests.get(f"{web.url}/releases", timeout=5)
    assert page.status_code == 200 and "24.500.0" in page.text


def test_comment_event_in_php_wire_format_is_handled(web, worker, sim):
    post_event(web, task_event(53, TOKEN))
    wait_for_comments(sim, 53)
    sim.add_message(53, "hotfix deployed in im 24.500.1")
    post_event(web, task_event(53, TOKEN, "ONTASKCOMMENTADD"))
    assert "im 24.500.1" in wait_for_comments(sim, 53, count=2)[-1]["text"]


def test_a_comment_event_before_any_result_reads_nothing_from_the_portal(web, worker, sim, redis_conn):
    answer = post_event(web, task_event(53, TOKEN, "ONTASKCOMMENTADD"))
    assert answer.json()["queued"] is True
    wait_until(lambda: redis_conn.hget(METRIC_JOBS, "comment_skipped") == b"1", 30, "the job")
    assert sim.requests() == []


def test_open_task_gets_no_comment(web, worker, sim):
    post_event(web, task_event(54, TOKEN))
    assert wait_for_result(web, 54)["outcome"] == "not_closed"
    assert sim.comments(54) == []


def test_closed_task_without_chat_is_no_chat(web, worker, sim):
    post_event(web, task_event(55, TOKEN))
    assert wait_for_result(web, 55)["outcome"] == "no_chat"


def test_wrong_token_is_401_and_queues_nothing(web, redis_conn):
    answer = post_event(web, task_event(53, "forged-token"))
    assert answer.status_code == 401
    assert Queue("releasebot", connection=redis_conn).count == 0


def test_malformed_body_is_400(web):
    body = f"event=ONTASKUPDATE&data%5BFIELDS_AFTER%5D%5BID%5D=-1&auth%5Bapplication_token%5D={TOKEN}"
    assert post_event(web, body).status_code == 400


def test_api_key_never_appears_in_any_log(web, worker, sim, processes):
    post_event(web, task_event(53, TOKEN))
    post_event(web, task_event(53, "forged-token"))
    wait_for_result(web, 53)
    logs = processes.log_text()
    assert "task 53" in logs and KEY not in logs and TOKEN not in logs


def test_web_answers_503_with_redis_stopped_and_recovers(processes, env):
    from cli.localrun import start_redis

    redis = start_redis()
    web = processes.web(REDIS_URL=redis.url)
    redis.stop()
    assert post_event(web, task_event(53, TOKEN)).status_code == 503
    assert requests.get(f"{web.url}/healthz", timeout=5).status_code == 503
    assert post_event(web, task_event(53, "forged")).status_code == 401
