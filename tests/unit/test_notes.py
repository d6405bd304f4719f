"""Release notes for one version: JSON objects, Markdown, BB-code and CSV, safe to paste anywhere."""

import csv
import io

import pytest

from releasebot import notes
from releasebot.links import Links, portal_from_domain
from tests.unit.test_results_api import shipped

ENTRY = {"taskId": 53, "title": "Fix [b]unread[/b] *counter*", "closedDate": "2026-06-10T15:00:00+02:00",
         "responsibleId": 20294, "url": "https://example.bitrix24.com/t/53/",
         "message": {"id": 9123, "authorId": 1, "at": "2026-06-10T14:51:00+02:00", "text": "deployed",
                     "rule": "deployed-in"}}


def test_markdown_links_each_task_and_escapes_its_title():
    text = notes.markdown("im", "24.500.0", [ENTRY])
    assert text.splitlines()[0] == "## im 24.500.0"
    assert r"- [Fix \[b\]unread\[/b\] \*counter\*](<https://example.bitrix24.com/t/53/>) (#53)" in text


def test_bbcode_titles_cannot_open_a_tag():
    text = notes.bbcode("im", "24.500.0", [ENTRY])
    assert "[URL=https://example.bitrix24.com/t/53/]" in text and "[b]" not in text
    assert text.startswith("[B]im 24.500.0[/B]\n[LIST]\n[*]") and text.endswith("[/LIST]\n")


def test_csv_has_a_row_per_task_and_defuses_formulas():
    rows = list(csv.reader(io.StringIO(notes.csv_text("im", "24.500.0", [ENTRY | {"title": "=HYPERLINK(1)"}]))))
    assert rows[0][:4] == ["component", "version", "taskId", "title"]
    assert rows[1][:4] == ["im", "24.500.0", "53", "'=HYPERLINK(1)"]


@pytest.mark.parametrize("fmt, media", [("markdown", "text/markdown"), ("bbcode", "text/plain"),
                                         ("csv", "text/csv")])
def test_api_answers_notes_in_each_format_and_as_a_download(client, store, fmt, media):
    store.save(shipped(53, ("im", "24.500.0")))
    answer = client.get(f"/api/releases/im/24.500.0?format={fmt}")
    assert answer.status_code == 200 and answer.mimetype == media and "53" in answer.get_data(as_text=True)
    download = client.get(f"/api/releases/IM/24.500.0?format={fmt}&download=1")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="im-24.500.0.')
    assert download.headers["Content-Type"] == f"{media}; charset=utf-8"  # the charset named once


def test_json_notes_download_as_a_file_too(client, store):
    store.save(shipped(53, ("im", "24.500.0")))
    download = client.get("/api/releases/im/24.500.0?format=json&download=1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="im-24.500.0.json"'
    assert download.json["tasks"][0]["taskId"] == 53


def test_an_unknown_format_is_400(client, store):
    store.save(shipped(53, ("im", "24.500.0")))
    assert client.get("/api/releases/im/24.500.0?format=pdf").status_code == 400


def test_tasks_are_listed_most_recently_closed_first(client, store):
    store.save(shipped(1, ("im", "1.0"), closed="2026-06-01T10:00:00+02:00"))
    store.save(shipped(2, ("im", "1.0"), closed="2026-06-03T10:00:00+02:00"))
    assert [t["taskId"] for t in client.get("/api/releases/im/1.0").json["tasks"]] == [2, 1]


@pytest.mark.parametrize("domain, portal", [("example.bitrix24.com", "https://example.bitrix24.com"),
                                            ("EXAMPLE.bitrix24.de", "https://example.bitrix24.de"),
                                            ("evil.com/<script>", None), ("", None), ("localhost", None),
                                            ("a" * 300 + ".com", None), ("127.0.0.1", None),
                                            ("127.0.0.1:8080", None), ("169.254.169.254", None),
                                            ("[::1]", None),
                                            ("intranet.local.", None), ("portal.example.xn--p1ai",
                                                                        "https://portal.example.xn--p1ai"),
                                            ("bitrix.example.com:8443", "https://bitrix.example.com:8443")])
def test_only_a_well_formed_event_domain_makes_links(domain, portal):
    assert portal_from_domain(domain) == portal


def test_task_url_template_places_portal_and_id():
    links = Links("https://example.bitrix24.com", "{portal}/workgroups/task/{id}/")
    assert links.task_url(53) == "https://example.bitrix24.com/workgroups/task/53/"
    assert Links().task_url(53) is None and Links().release_url("im", "1.0") is None
