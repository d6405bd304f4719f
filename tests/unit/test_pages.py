"""Pages for people, rendered by the server: escaped, linked, usable on a phone; errors are pages too."""

import base64
import hashlib
import re

import fakeredis

from releasebot.candidates import as_dicts, misses_in_text
from releasebot.model import ApiErrorInfo, TaskResult
from store import ResultStore, open_engine
from tests.unit.test_results_api import PORTAL, shipped
from tests.wire import task_event
from web import create_app

HOSTILE = "<img src=x onerror=alert(1)>"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_root_leads_to_the_release_index(client):
    answer = client.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/releases")


def test_index_groups_versions_by_component_with_counts_and_a_filter_box(client, store):
    store.save(shipped(1, ("im", "24.90.0")))
    store.save(shipped(2, ("im", "24.500.0"), ("ui", "3.1.0")))
    page = text(client.get("/releases"))
    assert 'name="viewport"' in page and 'id="filter"' in page
    assert page.index("im 24.500.0") < page.index("im 24.90.0") < page.index("ui 3.1.0")
    assert 'href="/releases/im/24.500.0"' in page and 'href="/releases/im"' in page
    assert "2 versions, 2 tasks" in page and "1 version, 1 task" in page


def test_the_filter_runs_on_the_server_over_component_and_version(client, store):
    store.save(shipped(1, ("im", "24.90.0")))
    store.save(shipped(2, ("im", "24.500.0"), ("ui", "3.1.0")))
    page = text(client.get("/releases?q=ui"))
    assert 'value="ui"' in page and "ui 3.1.0" in page and "im 24.500.0" not in page
    narrowed = text(client.get("/releases?q=IM+24.5"))
    assert "im 24.500.0" in narrowed and "im 24.90.0" not in narrowed and "ui 3.1.0" not in narrowed
    assert "No release matches" in text(client.get("/releases?q=nothing"))


def test_component_page_is_a_timeline_of_its_versions(client, store):
    store.save(shipped(1, ("im", "24.90.0")))
    store.save(shipped(2, ("im", "24.500.0")))
    page = text(client.get("/releases/IM"))
    assert 'class="timeline"' in page and page.index("24.500.0") < page.index("24.90.0")


def test_version_page_lists_tasks_with_title_link_responsible_and_message(client, store):
    store.save(shipped(53, ("im", "24.500.0"), title="Messenger crashes on send"))
    page = text(client.get("/releases/im/24.500.0"))
    assert f'href="{PORTAL}/company/personal/user/0/tasks/task/view/53/"' in page
    assert "Messenger crashes on send" in page and "user 20294" in page and "deployed in im 24.500.0" in page


def test_chat_and_portal_strings_are_escaped_everywhere(client, store):
    store.save(shipped(53, ("im", "24.500.0"), title=HOSTILE))
    store.save(TaskResult(54, "not_found", "2026-06-10T12:00:00+00:00",
                          error=None, task=shipped(54, title=HOSTILE).task))
    for path in ("/releases/im/24.500.0", "/attention"):
        page = text(client.get(path))
        assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_version_page_holds_the_notes_with_copy_and_download_buttons(client, store):
    store.save(shipped(53, ("im", "24.500.0"), title="Fix it"))
    page = text(client.get("/releases/im/24.500.0"))
    for fmt in ("markdown", "bbcode", "csv"):
        assert f'id="notes-{fmt}"' in page and f'data-copy="notes-{fmt}"' in page
        assert f"/api/releases/im/24.500.0?format={fmt}&amp;download=1" in page
    assert "[B]im 24.500.0[/B]" in page


def test_attention_page_shows_the_error_what_to_fix_and_the_command(client, store):
    error = ApiErrorInfo("insufficient_scope", "the key lacks im", 422, "issue a key with the im scope")
    store.save(TaskResult(70, "failed", "2026-06-10T10:00:00+00:00", error=error))
    store.save(TaskResult(72, "not_found", "2026-06-10T12:00:00+00:00"))
    page = text(client.get("/attention"))
    assert "insufficient_scope" in page and "issue a key with the im scope" in page
    assert "releasebot process 70" in page and "releasebot process 72" in page
    assert page.count("releasebot process 70") == 1  # the command once, not also inside what to fix


def test_attention_page_shows_each_pair_not_counted_highlighted_with_its_reason(client, store, rules):
    missed = misses_in_text(rules, f"{HOSTILE} ui 3.2.0 приземлился, ура")
    store.save(TaskResult(72, "not_found", "2026-06-10T12:00:00+00:00", extra={"candidates": as_dicts(missed)}))
    page = text(client.get("/attention"))
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>ui 3.2.0</mark> приземлился, ура" in page
    assert "no word for &#39;shipped&#39; the rules know" in page and "releasebot rules suggest" in page


def test_an_unknown_release_is_a_page_not_json(client):
    answer = client.get("/releases/im/9.9.9")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "no task is known to have shipped in im 9.9.9" in answer.get_data(as_text=True)


def test_api_errors_stay_json(client):
    answer = client.get("/api/releases/im/9.9.9")
    assert answer.status_code == 404 and answer.is_json


def test_with_redis_down_the_record_is_still_shown_and_metrics_say_so(engine):
    ResultStore(engine).save(shipped(53, ("im", "24.500.0")))
    server = fakeredis.FakeServer()
    server.connected = False
    client = create_app({"BITRIX_APP_TOKEN": "t"}, connection=fakeredis.FakeRedis(server=server),
                        engine=engine).test_client()
    assert "im 24.500.0" in text(client.get("/releases")) and "24.500.0" in text(client.get("/releases/im"))
    assert client.get("/api/tasks/53").json["outcome"] == "found"
    answer = client.get("/metrics")
    assert answer.status_code == 503 and answer.is_json and "REDIS_URL" in answer.json["error"]


def test_pages_and_the_api_say_so_when_the_database_is_down(redis):
    unreachable = open_engine("postgresql://releasebot@127.0.0.1:1/releasebot")
    client = create_app({"BITRIX_APP_TOKEN": "t"}, connection=redis, engine=unreachable).test_client()
    page = client.get("/releases")
    assert page.status_code == 503 and "DATABASE_URL" in page.get_data(as_text=True)
    for path in ("/api/releases", "/api/tasks/53"):
        answer = client.get(path)
        assert answer.status_code == 503 and answer.is_json and "DATABASE_URL" in answer.json["error"], path


def test_the_webhook_remembers_the_portal_for_task_links(client, store):
    client.post("/bitrix/events", data=task_event(53, "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"),
                content_type="application/x-www-form-urlencoded")
    assert store.portal() == "https://example.bitrix24.com"


def test_pages_allow_only_their_own_inline_scripts(client, store):
    store.save(shipped(53, ("im", "24.500.0")))
    page = client.get("/releases/im/24.500.0")
    policy = dict(part.split(" ", 1) for part in page.headers["Content-Security-Policy"].split("; "))
    own = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(own.encode()).digest()).decode()
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"  # no 'unsafe-inline', no eval
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
