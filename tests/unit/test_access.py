"""READ_TOKEN: pages and /api/* need it; /healthz and the webhook never do."""

import base64

import pytest

from tests.wire import task_event
from web import create_app

READ = "s3cret-read-token"
TOKEN = "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


@pytest.fixture
def guarded(redis):
    return create_app({"BITRIX_APP_TOKEN": TOKEN, "READ_TOKEN": READ}, connection=redis).test_client()


def basic(password: str, user: str = "anyone") -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_api_answers_401_without_the_read_token_and_200_with_it(guarded):
    refused = guarded.get("/api/releases")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic")
    assert guarded.get("/api/releases", headers=basic(READ)).status_code == 200
    assert guarded.get("/api/releases", headers={"Authorization": f"Bearer {READ}"}).status_code == 200


def test_a_wrong_token_is_refused_whichever_way_it_comes(guarded):
    assert guarded.get("/api/releases", headers=basic("wrong")).status_code == 401
    assert guarded.get("/api/releases", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize("path", ["/", "/releases", "/releases/im", "/releases/im/1.0", "/attention",
                                  "/api/tasks/53", "/api/tasks?outcome=failed"])
def test_every_page_and_api_route_needs_the_token(guarded, path):
    assert guarded.get(path).status_code == 401


def test_a_page_refusal_is_a_page_that_makes_the_browser_ask(guarded):
    refused = guarded.get("/releases")
    assert refused.mimetype == "text/html" and "read token" in refused.get_data(as_text=True)
    assert "realm=releasebot" in refused.headers["WWW-Authenticate"]


def test_healthz_and_the_webhook_need_no_read_token(guarded):
    health = guarded.get("/healthz")  # 503 "degraded" here, as no worker runs: but never 401
    assert health.status_code != 401 and "status" in health.json
    answer = guarded.post("/bitrix/events", data=task_event(53, TOKEN),
                          content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200


def test_without_read_token_everything_is_open(client):
    assert client.get("/api/releases").status_code == 200
