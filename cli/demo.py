"""`releasebot demo`: the whole system on this machine, against the simulator, ending in the posted comment."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import requests

from cli.localrun import Service, free_port, start_process, start_redis, tool, wait_until
from infra.connection import CLASS_PATH as CONNECTION_CLASS
from infra.queueing import QUEUES
from sim.event_sender import task_update_form
from sim.portal import EventsConfig

DEMO_KEY = "vibe_api_demo"
DEMO_TOKEN = "demo-application-token"
DEMO_MEMBER = "d897063e1ce7c5eb9f04b9751eef5915"
COMMENT_TIMEOUT = 30.0
REPO_RULES = Path(__file__).resolve().parents[1] / "rules.yaml"


def say(text: str) -> None:
    """One line of the demo's story."""
    print(f"demo: {text}", flush=True)


def bitrix_event_body(task_id: int, token: str) -> str:
    """An ONTASKUPDATE body exactly as Bitrix24 sends it (the simulator's own portal-side encoder)."""
    config = EventsConfig(url="", application_token=token, member_id=DEMO_MEMBER, domain="demo.bitrix24.com")
    return urlencode(task_update_form(task_id, config, int(time.time())))


def run(task_id: int = 53) -> int:
    """Start Redis, the simulator, web and worker; send one event; print the comment; stop everything."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="releasebot-demo-") as logs:
        services: list[Service] = []
        stack.callback(_stop_all, services)
        env = _start_all(services, Path(logs))  # the demo's record is a SQLite file beside its logs
        return _send_and_show(task_id, env, services, Path(logs))


def _start_all(services: list[Service], logs: Path) -> dict:
    redis = start_redis(logs / "redis.log")
    services.append(redis)
    say(f"Redis: {redis.name} at {redis.url}")
    for note in redis.notes:
        say(note)
    sim_port, web_port = free_port(), free_port()
    env = _environment(redis.url, f"http://127.0.0.1:{sim_port}/v1", web_port, logs)
    services.append(start_process("simulator", [tool("releasebot"), "sim", "--port", str(sim_port)], env,
                                  sim_port, logs / "sim.log"))
    say(f"portal simulator at http://127.0.0.1:{sim_port}/v1")
    web = [tool("gunicorn"), "--bind", f"127.0.0.1:{web_port}", "--workers", "1", "web:create_app()"]
    services.append(start_process("web", web, env, web_port, logs / "web.log"))
    say(f"web app (gunicorn) at http://127.0.0.1:{web_port}")
    worker = [tool("rq"), "worker", "--config", "worker.rq_config", "--connection-class", CONNECTION_CLASS,
              "--worker-class", "worker.heroku.ReleasebotWorker", "--with-scheduler", "--url", redis.url, *QUEUES]
    services.append(start_process("worker", worker, env, None, logs / "worker.log"))
    wait_until(lambda: _workers_listening(redis.url), what="the RQ worker to listen")
    say(f"RQ worker listening on the queues {', '.join(QUEUES)}")
    return env


def _workers_listening(redis_url: str) -> bool:
    from rq import Worker

    from infra.connection import ReleasebotRedis

    with ReleasebotRedis.from_url(redis_url) as connection:
        return bool(Worker.all(connection=connection))


def _environment(redis_url: str, vibe_url: str, web_port: int, logs: Path) -> dict:
    rules = os.environ.get("RULES_FILE") or ("rules.yaml" if Path("rules.yaml").exists() else str(REPO_RULES))
    # A record of its own, as the demo has a Redis and a portal of its own: never the results of a real one.
    return dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=f"sqlite:///{logs / 'demo.db'}",
                VIBE_BASE_URL=vibe_url, VIBE_API_KEY=DEMO_KEY,
                BITRIX_APP_TOKEN=DEMO_TOKEN, RULES_FILE=rules, PORT=str(web_port),
                WEB_URL=f"http://127.0.0.1:{web_port}")


OUTCOME_NOTES = {
    "not_found": "the chat was read and no rule matched: nothing to post",
    "no_chat": "the task has no chat: nothing to read",
    "not_closed": "the task is not closed: the bot leaves it alone",
}


def _send_and_show(task_id: int, env: dict, services: list[Service], logs: Path) -> int:
    answer = requests.post(f"{env['WEB_URL']}/bitrix/events", data=bitrix_event_body(task_id, DEMO_TOKEN),
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    say(f"sent ONTASKUPDATE for task {task_id}: HTTP {answer.status_code} {answer.text.strip()}")
    result = _wait_for_result(env["WEB_URL"], task_id)
    if result is None:
        say(f"no result within {COMMENT_TIMEOUT:.0f}s; the worker's log follows")
        print((logs / "worker.log").read_text(errors="replace")[-4000:], file=sys.stderr)
        return 1
    say(f"GET /api/tasks/{task_id} -> {json.dumps(result, ensure_ascii=False)}")
    if result["outcome"] != "found":
        error = result.get("error") or {}
        note = OUTCOME_NOTES.get(result["outcome"]) or f"{error.get('code')}: {error.get('action')}"
        say(f"task {task_id}: {result['outcome']} -- {note}")
        return 1
    say(f"the portal received this comment on task {task_id}:")
    print(f"\n{_comment(env['VIBE_BASE_URL'], task_id, result['commentId'])}\n", flush=True)
    say(f"the task's tags now: {', '.join((result.get('task') or {}).get('tags', []))}")
    return 0


def _wait_for_result(web_url: str, task_id: int) -> dict | None:
    """The stored result once the worker has one (whatever its outcome), or None after the timeout."""
    deadline = time.monotonic() + COMMENT_TIMEOUT
    while time.monotonic() < deadline:
        answer = requests.get(f"{web_url}/api/tasks/{task_id}", timeout=5)
        if answer.status_code == 200:
            return answer.json()
        time.sleep(0.1)
    return None


def _comment(vibe_url: str, task_id: int, comment_id: int) -> str:
    """The text of the comment the bot posted, as the portal holds it."""
    answer = requests.get(f"{vibe_url}/tasks/{task_id}/comments", headers={"X-Api-Key": DEMO_KEY}, timeout=5)
    return next(c["text"] for c in answer.json()["data"] if c["id"] == comment_id)


def _stop_all(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()
    say("stopped " + ", ".join(s.name for s in reversed(services)))
