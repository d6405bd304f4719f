"""Release notes: the tasks of one version as API objects, and as Markdown, BB-code or CSV to paste."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator

from releasebot.model import Release, TaskResult

FORMATS = ("json", "markdown", "bbcode", "csv")
MEDIA_TYPES = {"json": "application/json", "markdown": "text/markdown; charset=utf-8",
               "bbcode": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8"}
EXTENSIONS = {"json": "json", "markdown": "md", "bbcode": "txt", "csv": "csv"}
CSV_COLUMNS = ("taskId", "title", "closedDate", "responsibleId", "url", "messageAt", "messageText")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")  # enough to keep a title plain text inside a bullet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ZERO_WIDTH_SPACE = "\u200b"


def release_of(result: TaskResult, component: str, version: str) -> Release | None:
    """The result's release of that component (any case) and version, if it names it."""
    return next((r for r in result.releases
                 if r.component.lower() == component.lower() and r.version == version), None)


def task_entry(result: TaskResult, release: Release | None, url: str | None) -> dict:
    """One task of a version as the API answers it: what it is, where it is, and the announcing message."""
    info = result.task
    entry = {"taskId": result.task_id, "title": info.title if info else "",
             "closedDate": info.closed_date if info else None,
             "responsibleId": info.responsible_id if info else None, "url": url}
    if release is not None:
        entry["message"] = {"id": release.message_id, "authorId": release.author_id, "at": release.message_at,
                            "text": release.message_text, "rule": release.rule}
    return entry


def version_entries(results: Iterable[TaskResult], component: str, version: str,
                    url_of: Callable[[TaskResult], str | None]) -> list[dict]:
    """The tasks shipped in a version, in the order given (the store's: most recently closed first)."""
    return [task_entry(r, release_of(r, component, version), url_of(r)) for r in results]


def title_of(entry: dict) -> str:
    """The task's title, or `Task N` when the result predates titles."""
    return entry["title"] or f"Task {entry['taskId']}"


class Markdown:
    """Notes as Markdown: a heading and one bullet per task, linked when the portal is known."""

    @staticmethod
    def head(component: str, version: str) -> str:
        return f"## {_md(component)} {_md(version)}\n\n"

    @staticmethod
    def line(component: str, version: str, entry: dict) -> str:
        title = _md(title_of(entry))
        text = f"[{title}](<{entry['url']}>)" if entry["url"] else title
        return f"- {text} (#{entry['taskId']})\n"

    tail = ""


class BBCode:
    """Notes as BB-code, to paste into a Bitrix24 chat or task."""

    @staticmethod
    def head(component: str, version: str) -> str:
        return f"[B]{_bb(component)} {_bb(version)}[/B]\n[LIST]\n"

    @staticmethod
    def line(component: str, version: str, entry: dict) -> str:
        title = _bb(title_of(entry))
        text = f"[URL={_bb(entry['url'])}]{title}[/URL]" if entry["url"] else title
        return f"[*]{text} (#{entry['taskId']})\n"

    tail = "[/LIST]\n"


class Csv:
    """Notes as CSV, one row per task; cells a spreadsheet would run as a formula are defused."""

    @staticmethod
    def head(component: str, version: str) -> str:
        return _csv_row(["component", "version", *CSV_COLUMNS])

    @staticmethod
    def line(component: str, version: str, entry: dict) -> str:
        message = entry.get("message") or {}
        cells = [entry["taskId"], title_of(entry), entry["closedDate"], entry["responsibleId"], entry["url"],
                 message.get("at"), message.get("text")]
        return _csv_row([_cell(c) for c in (component, version, *cells)])

    tail = ""


def _csv_row(cells: list) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


RENDERERS = {"markdown": Markdown, "bbcode": BBCode, "csv": Csv}


def stream(fmt: str, component: str, version: str, pages: Iterable[list[dict]]) -> Iterator[str]:
    """Notes in one of the text formats, a page of tasks at a time (a download of any size)."""
    renderer = RENDERERS[fmt]
    yield renderer.head(component, version)
    for entries in pages:
        yield "".join(renderer.line(component, version, entry) for entry in entries)
    yield renderer.tail


def render(fmt: str, component: str, version: str, entries: list[dict]) -> str:
    """Notes in one of the text formats."""
    return "".join(stream(fmt, component, version, [entries]))


def markdown(component: str, version: str, entries: list[dict]) -> str:
    """Notes as Markdown."""
    return render("markdown", component, version, entries)


def bbcode(component: str, version: str, entries: list[dict]) -> str:
    """Notes as BB-code."""
    return render("bbcode", component, version, entries)


def csv_text(component: str, version: str, entries: list[dict]) -> str:
    """Notes as CSV."""
    return render("csv", component, version, entries)


def _md(text: str) -> str:
    """Markdown-escaped text, on one line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _bb(text: str) -> str:
    """Text that cannot open a BB-code tag: a zero-width space follows each `[` (it renders the same)."""
    return " ".join(str(text).split()).replace("[", "[" + ZERO_WIDTH_SPACE)


def _cell(value) -> str:
    """A CSV cell; text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
