"""The pages as a person sees them: a real headless Chromium over data the simulator's tasks produced.

Chromium is installed by `.ci/run` (apt-get install chromium); this test installs nothing and fails, never
skips, without it. Screenshots at 1280 and 390 px wide are written to <pytest basetemp>/screenshots.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from sim.server import SimServer
from tests.integration.conftest import TOKEN, post_event, wait_for_result
from tests.wire import task_event

HOSTILE = "<img src=x onerror=alert(1)>"
PORTAL = "https://example.bitrix24.com"
WIDTHS = {"desktop": (1280, 1100), "phone": (390, 1500)}
PAGES = {"releases": "/releases", "component": "/releases/im", "version": "/releases/im/24.500.0",
         "attention": "/attention"}
TASKS = [
    (53, "Fix unread counter", "deployed in im 24.500.0"),
    (60, HOSTILE, "deployed in im 24.500.0"),
    (61, "Dark theme for the settings dialog", "deployed in ui 3.1.0"),
    (62, "Faster search in chat history", "deployed in im 24.400.2"),
    (63, "Update the onboarding texts", "thanks, looks good"),
    (64, "Release checklist for June", "deployed in im 24.500.0"),  # its chat is closed to the bot: failed
]
OUTSIDERS_ONLY = {64: [5]}


def scenario() -> dict:
    tasks = [{"id": task_id, "title": title, "status": 5, "responsibleId": 20294, "tags": ["im"],
              "closedDate": f"now-{task_id}m",
              "chat": [{"authorId": 1, "text": text, "createdAt": f"now-{task_id + 5}m"}],
              "members": OUTSIDERS_ONLY.get(task_id)}
             for task_id, title, text in TASKS]
    return {"portal": {"timezone": "+02:00"}, "keys": [{"key": "vibe_api_demo"}], "tasks": tasks}


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("the browser test needs Debian's chromium: apt-get install chromium (.ci/run installs it)")
    return path


@pytest.fixture
def site(processes, env):
    """Web and worker over a simulated portal whose tasks name releases; every task processed."""
    with SimServer(scenario()) as portal:
        overrides = {"VIBE_BASE_URL": portal.base_url, "PORTAL_URL": PORTAL}
        processes.worker(**overrides)
        web = processes.web(**overrides)
        for task_id, *_ in TASKS:
            post_event(web, task_event(task_id, TOKEN))
        for task_id, *_ in TASKS:
            wait_for_result(web, task_id)
        yield web


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def browse(chromium: str, url: str, tmp_path: Path, *args: str) -> str:
    """What headless Chromium makes of a page once its scripts ran (the DOM, or nothing for a screenshot)."""
    argv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=3000", *args, url]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Dom(HTMLParser):
    """The elements of a dumped DOM: (tag, attributes) in order, and the text of each textarea by id."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.textareas: dict[str, str] = {}
        self._in_textarea: str | None = None
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_textarea = dict(attrs).get("id") if tag == "textarea" else None

    def handle_endtag(self, tag):
        self._in_textarea = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_textarea:
            self.textareas[self._in_textarea] = self.textareas.get(self._in_textarea, "") + data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def test_pages_in_a_real_browser(site, chromium, tmp_path, shots):
    index = Dom(browse(chromium, f"{site.url}/releases?q=ui", tmp_path, "--dump-dom"))
    rows = {a["data-filter"]: "hidden" in a for a in index.find("tr") if "data-filter" in a}
    assert rows == {"ui 3.1.0": False}, "the server's filter narrows the list"

    version = Dom(browse(chromium, f"{site.url}/releases/im/24.500.0", tmp_path, "--dump-dom"))
    assert HOSTILE in "".join(version.text), "the hostile title shows as text"
    assert version.find("img") == [] and version.find("title")
    links = {a["href"] for a in version.find("a", **{"class": "task-link"})}
    assert links == {f"{PORTAL}/company/personal/user/0/tasks/task/view/{i}/" for i in (53, 60)}
    for fmt in ("markdown", "bbcode", "csv"):
        notes = requests.get(f"{site.url}/api/releases/im/24.500.0?format={fmt}", timeout=5).text
        assert version.find("button", **{"data-copy": f"notes-{fmt}"}), f"a copy button for {fmt}"
        assert version.textareas[f"notes-{fmt}"].strip() == notes.strip(), f"the {fmt} copy button holds the notes"

    for name, path in PAGES.items():
        for size, (width, height) in WIDTHS.items():
            shot = shots / f"{name}-{width}.png"
            browse(chromium, site.url + path, tmp_path, f"--window-size={width},{height}", f"--screenshot={shot}")
            assert shot.stat().st_size > 5000, f"{size} screenshot of {path}"
