"""READ_TOKEN on the real web process: the API and pages need it, /healthz and the webhook do not."""

import requests

from cli.localrun import wait_until
from tests.integration.conftest import TOKEN, post_event
from tests.wire import task_event

READ = "read-token-for-integration"


def test_read_token_guards_the_api_but_not_health_or_the_webhook(processes):
    web = processes.web(READ_TOKEN=READ)
    processes.worker()  # /healthz is "ok" only with a live worker
    wait_until(lambda: requests.get(f"{web.url}/healthz", timeout=5).status_code == 200, 30, "a healthy system")
    assert requests.get(f"{web.url}/api/releases", timeout=5).status_code == 401
    assert requests.get(f"{web.url}/api/releases", auth=("me", READ), timeout=5).status_code == 200
    assert requests.get(f"{web.url}/releases", headers={"Authorization": f"Bearer {READ}"}, timeout=5).ok
    assert requests.get(f"{web.url}/healthz", timeout=5).status_code == 200
    assert post_event(web, task_event(53, TOKEN)).status_code == 200
    requests.get(f"{web.url}/api/releases", auth=("me", "wrong-" + READ), timeout=5)
    assert READ not in processes.log_text()
