"""The job's core: one task in, one result out. Collaborators are passed in, never imported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from releasebot.comment import find_marker, fingerprint, render_comment
from releasebot.extract import ReleaseScan
from releasebot.model import Release, TaskResult
from releasebot.rules import Rules
from worker.vibecode.chat import read_chat
from worker.vibecode.errors import ChatNotFound, PermanentError

COMMENT_PAGE = 50
MAX_COMMENT_PAGES = 40


def utc_now() -> str:
    """The current time as ISO 8601 with offset."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def process_task(
    task_id: int,
    *,
    api,
    rules: Rules,
    store=None,
    dry_run: bool = False,
    now: Callable[[], str] = utc_now,
) -> TaskResult:
    """Read the task and its chat, post the releases found once, and record the result."""
    try:
        result = _examine(task_id, api, rules, store, dry_run, now)
    except PermanentError as error:
        result = TaskResult(task_id, "failed", now(), error=error.to_info())
    if store is not None and not dry_run:
        store.save(result)
    return result


def _examine(task_id, api, rules, store, dry_run, now) -> TaskResult:
    task = api.get_task(task_id)
    if task.status not in rules.trigger_statuses:
        return TaskResult(task_id, "not_closed", now(), extra={"status": task.status})
    scan = ReleaseScan(rules)
    try:
        read_chat(api, task_id, scan)
    except ChatNotFound:
        return TaskResult(task_id, "no_chat", now())
    if not scan.releases:
        return TaskResult(task_id, "not_found", now())
    comment_id = None if dry_run else post_once(task_id, scan.releases, api=api, rules=rules, store=store)
    return TaskResult(task_id, "found", now(), releases=scan.releases, comment_id=comment_id)


def post_once(task_id: int, releases: tuple[Release, ...], *, api, rules: Rules, store=None) -> int:
    """Post the result's comment unless the task already carries the bot's comment for this result."""
    wanted = fingerprint(releases)
    previous = store.get(task_id) if store is not None else None
    if previous and previous.comment_id and previous.releases and fingerprint(previous.releases) == wanted:
        return previous.comment_id
    existing = find_own_comment(api, task_id, wanted)
    if existing is not None:
        return existing
    return api.post_comment(task_id, render_comment(rules.comment_template, releases, task_id))


def find_own_comment(api, task_id: int, wanted: str) -> int | None:
    """The id of a comment on the task that carries the bot's marker for this result, if any."""
    for page_number in range(MAX_COMMENT_PAGES):
        page = api.list_comments(task_id, limit=COMMENT_PAGE, offset=page_number * COMMENT_PAGE)
        for comment in page.comments:
            if find_marker(comment.text) == wanted:
                return comment.id
        if not page.has_more or not page.comments:
            return None
    return None
