from tests.wire import http_build_query, task_event
from web import create_app

TOKEN = "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


def test_php_http_build_query_encodes_brackets_like_php():
    assert http_build_query({"data": {"FIELDS_AFTER": {"ID": 5}}, "a": "x y~"}) == (
        "data%5BFIELDS_AFTER%5D%5BID%5D=5&a=x+y%7E"
    )


def test_webhook_accepts_an_event_built_by_php(client):
    answer = client.post("/bitrix/events", data=task_event(53, TOKEN),
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200 and answer.json["taskId"] == 53 and answer.json["queued"] is True


def test_comment_event_queues_its_task(client):
    answer = client.post("/bitrix/events", data=task_event(77, TOKEN, "ONTASKCOMMENTADD"),
                         content_type="application/x-www-form-urlencoded")
    assert answer.json["taskId"] == 77


def test_create_app_reads_nothing_but_its_config(monkeypatch, redis):
    monkeypatch.setenv("BITRIX_APP_TOKEN", "from-the-environment")
    app = create_app({"BITRIX_APP_TOKEN": TOKEN}, connection=redis)
    assert app.extensions["releasebot.settings"].bitrix_app_tokens == (TOKEN,)
