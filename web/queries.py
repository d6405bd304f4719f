"""What the pages and the read API show, read from the result store; no rule logic here."""

from __future__ import annotations

from flask import current_app

from releasebot.attention import attention_entry
from releasebot.links import Links
from releasebot.model import TaskResult
from releasebot.notes import version_entries
from worker.store import ResultStore


def store() -> ResultStore:
    """The result store of this app's Redis."""
    return ResultStore(current_app.extensions["releasebot.redis"])


def links() -> Links:
    """Links as configured: PORTAL_URL, else the portal of the events received."""
    return Links.configured(current_app.extensions["releasebot.settings"], store().portal())


def task_url(result: TaskResult, known: Links) -> str | None:
    """The link stored with the result, else one built now."""
    stored = result.task.url if result.task else None
    return stored or known.task_url(result.task_id)


def release_tasks(component: str, version: str) -> list[dict]:
    """The tasks shipped in a version as API objects, most recently closed first."""
    known = links()
    results = store().release_results(component, version)
    return version_entries(results, component, version, lambda r: task_url(r, known))


def component_versions(component: str) -> list[dict]:
    """A component's versions from the index, newest first."""
    return [row for row in store().releases() if row["component"] == component.lower()]


def needing_attention(outcome: str, limit: int) -> list[dict]:
    """Tasks whose latest result has that outcome, newest first, with what to do."""
    known = links()
    return [attention_entry(r, task_url(r, known)) for r in store().with_outcome(outcome, limit)]
