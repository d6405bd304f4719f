"""The `releasebot` command as an operator runs it: a real process, against the simulator and Redis."""

import json
import subprocess

import pytest
from rq import Queue

from cli.localrun import free_port, start_process, tool, wait_until
from infra.queueing import BACKFILL_QUEUE

BROKEN = "version: 1\nrules:\n  - name: x\n    patern: 'deployed (?P<version>\\d+)'\n"


def releasebot(env, *args, check=True):
    done = subprocess.run([tool("releasebot"), *args], env=env, capture_output=True, text=True, timeout=60)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_process_dry_run_prints_the_result_and_the_comment_it_would_post_and_writes_nothing(env, sim):
    result = json.loads(releasebot(env, "process", "53", "--dry-run").stdout)
    assert result["outcome"] == "found" and result["releases"][0]["version"] == "24.500.0"
    assert "im 24.500.0" in result["wouldPost"] and sim.comments(53) == []


def test_process_dry_run_after_a_real_run_would_post_nothing(env, sim):
    posted = json.loads(releasebot(env, "process", "53").stdout)
    again = json.loads(releasebot(env, "process", "53", "--dry-run").stdout)
    assert "wouldPost" not in again and again["commentId"] == posted["commentId"]
    assert len(sim.comments(53)) == 1


def test_process_exits_1_when_nothing_is_found(env, sim):
    done = releasebot(env, "process", "56", "--dry-run", check=False)
    assert done.returncode == 1 and json.loads(done.stdout)["outcome"] == "not_found"


def test_a_wrong_vibe_base_url_path_says_so_not_check_the_task_id(env, sim):
    wrong = sim.base_url.replace("/v1", "/v2")
    done = releasebot(env | {"VIBE_BASE_URL": wrong}, "process", "53", "--dry-run", check=False)
    error = json.loads(done.stdout)["error"]
    assert done.returncode == 1 and "VIBE_BASE_URL" in error["action"] and "task id" not in error["action"]


def test_version_is_printed(env):
    assert releasebot(env, "--version").stdout.startswith("releasebot ")


def test_process_posts_and_stores(env, sim, record):
    result = json.loads(releasebot(env, "process", "53").stdout)
    assert result["commentId"] == sim.comments(53)[0]["id"]
    assert record.get(53).to_json() == result


def test_rules_test_task_reads_the_chat_live(env, sim):
    out = releasebot(env, "rules", "test", "--task", "53").stdout
    assert "im 24.500.0" in out and "system message" in out


def test_rules_test_task_with_nothing_found_exits_1_like_text(env, sim):
    done = releasebot(env, "rules", "test", "--task", "56", check=False)
    assert done.returncode == 1 and "result: nothing found" in done.stdout


def test_rules_test_task_that_the_portal_does_not_have_says_so_not_that_it_has_no_chat(env, sim):
    done = releasebot(env, "rules", "test", "--task", "999", check=False)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    assert "releasebot: task 999 does not exist on the portal (404 ENTITY_NOT_FOUND)" in done.stderr
    assert "no chat" not in done.stderr


def test_rules_test_task_without_a_chat_says_the_chat_does_not_exist_yet(env, sim):
    done = releasebot(env, "rules", "test", "--task", "55", check=False)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "releasebot: task 55 has no chat yet (Bitrix24 creates it with the first message)" in done.stderr


def test_broken_rules_file_fails_check_with_file_and_line(env, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(BROKEN)
    done = releasebot(env, "rules", "check", str(path), check=False)
    assert done.returncode == 1 and f"{path}:4:" in done.stderr and "Traceback" not in done.stderr


def test_missing_key_is_one_clear_line(env):
    done = releasebot(env | {"VIBE_API_KEY": ""}, "process", "53", "--dry-run", check=False)
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0 and "VIBE_API_KEY" in done.stderr


def test_backfill_queues_the_closed_tasks(env, sim, redis_conn):
    out = releasebot(env, "backfill", "--since", "2020-01-01").stdout
    assert "queued" in out
    closed = [53, 55, 56, *range(70, 77), *range(80, 85)]  # the demo portal's closed tasks (sim/demo.yaml)
    assert sorted(Queue(BACKFILL_QUEUE, connection=redis_conn).job_ids) == sorted(f"task-{n}" for n in closed)


@pytest.mark.parametrize("since", ["0001-01-01", "0001-01-01T00:00:00+05:00"])
def test_backfill_since_the_first_year_queues_every_closed_task(env, sim, redis_conn, since):
    done = releasebot(env | {"TZ": "Asia/Kolkata"}, "backfill", "--since", since, "--until", "9999-12-31",
                      check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    closed = [53, 55, 56, *range(70, 77), *range(80, 85)]
    assert sorted(Queue(BACKFILL_QUEUE, connection=redis_conn).job_ids) == sorted(f"task-{n}" for n in closed)


def test_sim_command_serves_the_documented_api(env):
    port = free_port()
    sim = start_process("sim", [tool("releasebot"), "sim", "--port", str(port)], env, port)
    try:
        import requests

        answer = requests.get(f"http://127.0.0.1:{port}/v1/tasks/53", headers={"X-Api-Key": "vibe_api_demo"},
                              timeout=5)
        assert answer.json()["data"]["status"] == 5
        assert requests.get(f"http://127.0.0.1:{port}/v1/tasks/53", timeout=5).status_code == 401
    finally:
        sim.stop()


def test_worker_refuses_to_start_without_a_key(env):
    done = subprocess.run([tool("rq"), "worker", "--worker-class", "worker.heroku.ReleasebotWorker", "--burst",
                           "--url", env["REDIS_URL"], "releasebot"], env=env | {"VIBE_API_KEY": ""},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "releasebot worker: VIBE_API_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_web_refuses_to_start_without_a_token(env):
    done = subprocess.run([tool("gunicorn"), "--bind", f"127.0.0.1:{free_port()}", "web:create_app()"],
                          env=env | {"BITRIX_APP_TOKEN": ""}, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "releasebot web: BITRIX_APP_TOKEN is not set" in done.stderr
    assert "Traceback" not in done.stderr




def test_clock_process_queues_the_sweep_through_rq_cron(env, redis_conn):
    clock = subprocess.Popen([tool("rq"), "cron", "--url", env["REDIS_URL"], "worker.cron_config"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        queue = Queue("releasebot", connection=redis_conn)
        wait_until(lambda: [job.func_name for job in queue.jobs] == ["worker.jobs.sweep"], 20, "the sweep job")
    finally:
        clock.terminate()
        clock.wait(10)


def test_nothing_listening_at_vibe_base_url_fails_within_seconds_not_in_silence(env):
    import time

    started = time.monotonic()
    done = releasebot(env | {"VIBE_BASE_URL": f"http://127.0.0.1:{free_port()}/v1"}, "process", "53", "--dry-run",
                      check=False)
    assert done.returncode == 1 and time.monotonic() - started < 10
    assert "Retrying" in done.stderr and "could not reach the API" in done.stderr and "VIBE_BASE_URL" in done.stderr


def test_worker_without_a_rules_file_says_why_and_what_to_do(env, tmp_path):
    done = subprocess.run([tool("rq"), "worker", "--config", "worker.rq_config", "--worker-class",
                           "worker.heroku.ReleasebotWorker", "--burst", "--url", env["REDIS_URL"], "releasebot"],
                          env=env | {"RULES_FILE": str(tmp_path / "missing.yaml")}, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert all(part in done.stderr for part in ("cannot read the rules file", "No such file", "set RULES_FILE"))
