"""The job's core: one task in, one result out. Collaborators are passed in, never imported."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from releasebot.extract import ReleaseScan, is_own
from releasebot.model import Release, TaskResult
from releasebot.rules import Rules
from worker.posting import ChatSeen, Posted, post_once
from worker.vibecode.chat import read_chat
from worker.vibecode.errors import ChatNotFound, PermanentError

MAX_NAME_CHARS = 64  # a component or version longer than this is not one: the pair is dropped with a note
MAX_RELEASES_PER_MESSAGE = 20
MAX_RELEASES_PER_TASK = 100
# The newest chat page read for a repeated event: the bot's comment, and the message before it, fit.
REPEAT_PAGE = 5
# Outcomes that only a new chat message (a status change writes one) can change.
REREAD_WHEN_CHANGED = frozenset({"found", "not_found"})


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
    public_url: str = "",
) -> TaskResult:
    """Read the task and its chat, post the releases found once, and record the result."""
    previous = store.get(task_id) if store is not None else None
    try:
        if _nothing_new(api, task_id, rules, previous):
            return previous
        result = _examine(task_id, api, rules, previous, dry_run, now, public_url)
    except PermanentError as error:
        result = TaskResult(task_id, "failed", now(), error=error.to_info())
    if store is not None and not dry_run:
        store.save(result)
    return result


def _nothing_new(api, task_id: int, rules: Rules, previous: TaskResult | None) -> bool:
    """True when a found or not_found result was read, with these rules, from a chat that has not changed since.

    A status change writes a system message into the chat, so a reopened and closed task is read again.
    """
    if previous is None or previous.outcome not in REREAD_WHEN_CHANGED or previous.newest_message_id is None:
        return False
    if previous.rules_sha != rules.sha256 or (previous.outcome == "found" and not previous.has_comment):
        return False
    try:
        page = api.chat_page(task_id, limit=REPEAT_PAGE)
    except ChatNotFound:
        return False
    newest = next((m.id for m in page.messages if not is_own(m)), None)
    return newest is not None and newest <= previous.newest_message_id


def _examine(task_id, api, rules, previous, dry_run, now, public_url) -> TaskResult:
    task = api.get_task(task_id)
    if task.status not in rules.trigger_statuses:
        return TaskResult(task_id, "not_closed", now(), extra={"status": task.status})
    scan = ReleaseScan(rules)
    try:
        chat = read_chat(api, task_id, scan)
    except ChatNotFound:
        return TaskResult(task_id, "no_chat", now())
    releases, dropped = bounded(scan.releases)
    extra = {"notes": [*chat.notes, *dropped]} if chat.notes or dropped else {}
    basis = {"newest_message_id": scan.newest_id, "rules_sha": rules.sha256}
    if not releases:
        return TaskResult(task_id, "not_found", now(), extra=extra, **basis)
    more_url = f"{public_url}/api/tasks/{task_id}" if public_url else ""
    seen = ChatSeen(tuple(scan.own), chat.shows_everything)
    posted = Posted() if dry_run else post_once(
        task_id, releases, api=api, rules=rules, previous=previous, chat=seen, more_url=more_url)
    return TaskResult(task_id, "found", now(), releases=releases, comment_id=posted.comment_id,
                      comment_message_id=posted.message_id, extra=extra, **basis)


def bounded(releases: tuple[Release, ...]) -> tuple[tuple[Release, ...], list[str]]:
    """The releases fit to be recorded and posted, and a note for each kind of pair left out."""
    kept, too_long, per_message = [], 0, Counter()
    for release in releases:
        if len(release.component) > MAX_NAME_CHARS or len(release.version) > MAX_NAME_CHARS:
            too_long += 1
            continue
        per_message[release.message_id] += 1
        if per_message[release.message_id] <= MAX_RELEASES_PER_MESSAGE:
            kept.append(release)
    notes = []
    if too_long:
        notes.append(f"{too_long} release(s) dropped: a component or version over {MAX_NAME_CHARS} characters")
    crowded = sum(max(0, n - MAX_RELEASES_PER_MESSAGE) for n in per_message.values())
    if crowded:
        notes.append(f"{crowded} release(s) dropped: over {MAX_RELEASES_PER_MESSAGE} in one message")
    if len(kept) > MAX_RELEASES_PER_TASK:
        notes.append(f"{len(kept) - MAX_RELEASES_PER_TASK} release(s) dropped: over {MAX_RELEASES_PER_TASK} "
                     "in one task")
    return tuple(kept[:MAX_RELEASES_PER_TASK]), notes
