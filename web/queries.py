"""What the pages and the read API show, read from the result store a page at a time; no rule logic here."""

from __future__ import annotations

from flask import current_app

from releasebot.attention import attention_entry
from releasebot.links import Links
from releasebot.model import TaskResult
from releasebot.notes import version_entries
from store import Page, ResultStore


def store() -> ResultStore:
    """The app's result store."""
    return current_app.extensions["releasebot.store"]


def links() -> Links:
    """Links as configured: PORTAL_URL, else the portal of the events received."""
    return Links.configured(current_app.extensions["releasebot.settings"], store().portal())


def task_url(result: TaskResult, known: Links) -> str | None:
    """The link stored with the result, else one built now."""
    stored = result.task.url if result.task else None
    return stored or known.task_url(result.task_id)


def release_tasks(component: str, version: str, limit: int | None = None, cursor: str | None = None) -> Page[dict]:
    """A page of the tasks shipped in a version as API objects, most recently closed first."""
    known = links()
    page = store().release_results(component, version, limit, cursor)
    return Page(version_entries(page.items, component, version, lambda r: task_url(r, known)), page.next)


def needing_attention(outcome: str, limit: int | None = None, cursor: str | None = None) -> Page[dict]:
    """A page of the tasks whose latest result has that outcome, newest first, with what to do."""
    known = links()
    page = store().with_outcome(outcome, limit, cursor)
    return Page([attention_entry(r, task_url(r, known)) for r in page.items], page.next)
