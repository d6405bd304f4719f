"""The job's core: one task in, one result out. Collaborators are passed in, never imported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from releasebot.extract import ReleaseScan
from releasebot.model import TaskResult
from releasebot.rules import Rules
from worker.posting import post_once
from worker.vibecode.chat import read_chat
from worker.vibecode.errors import ChatNotFound, PermanentError


def utc_now() -> str:
    """The current time as ISO 8601 with offset."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def handle_task(
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
