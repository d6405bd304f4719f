"""/healthz with real processes: ok while a worker runs, degraded the moment the last one stops."""

import requests

from cli.localrun import wait_until


def health(web) -> requests.Response:
    return requests.get(f"{web.url}/healthz", timeout=5)


def test_healthz_turns_degraded_when_the_last_worker_stops(processes, tmp_path):
    web, worker = processes.web(), processes.worker()
    wait_until(lambda: health(web).json()["status"] == "ok", 30, "a healthy system")
    assert health(web).json()["rules"]["sha256"]
    worker.stop()
    answer = health(web)
    assert answer.status_code == 503 and answer.json()["status"] == "degraded"
    assert answer.json()["workers"] == [] and "no worker is alive" in answer.json()["problems"][0]
