"""The job's core: one task in, one result out. Collaborators are passed in, never imported."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from releasebot.candidates import misses
from releasebot.comment import fingerprint, render_comment
from releasebot.extract import ReleaseScan, is_own
from releasebot.links import Links
from releasebot.model import (
    LAST_FAILURE,
    MAX_NAME_CHARS,
    Message,
    Release,
    Task,
    TaskInfo,
    TaskResult,
    settled,
    without_failure,
)
from releasebot.normalize import plain_text
from releasebot.rules import Rules
from store import ResultStore
from worker.post_intents import PostIntents
from worker.posting import ChatSeen, Posted, comment_in_place, post_once
from worker.task_fields import Written, write_task_fields
from worker.vibecode.chat import RecordingScan, read_chat
from worker.vibecode.client import VibeClient
from worker.vibecode.errors import ChatNotFound, PermanentError

MAX_RELEASES_PER_MESSAGE = 20
MAX_RELEASES_PER_TASK = 100
MAX_MESSAGE_TEXT = 500  # of the announcing message kept with the result, for release pages
# The newest chat page read for a repeated event: the bot's comment, and the message before it, fit.
REPEAT_PAGE = 5
# Outcomes that only a new chat message (a status change writes one) can change.
REREAD_WHEN_CHANGED = frozenset({"found", "not_found"})


def utc_now() -> str:
    """The current time as ISO 8601 with offset."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclasses.dataclass(frozen=True)
class JobContext:
    """What one run of the job works with besides the task id: the portal, the rules, where results go.

    Without a `store` the result is returned, not recorded. `dry_run` writes nothing (portal or store); `quiet`
    (backfill --index-only) records the result and the index but writes nothing to the task.
    """

    api: VibeClient
    rules: Rules
    store: ResultStore | None = None
    links: Links = dataclasses.field(default_factory=Links)
    dry_run: bool = False
    quiet: bool = False
    now: Callable[[], str] = utc_now
    bot_id: int | None = None  # the key's portal user, whose words alone are the bot's (None: ask GET /me)
    intents: PostIntents | None = None  # comment POSTs noted before they are sent (None: not noted)


def handle_task(task_id: int, job: JobContext) -> TaskResult:
    """Read the task and its chat, post the releases found once, write them into the task, record the result."""
    previous = job.store.get(task_id) if job.store is not None else None
    try:
        if job.bot_id is None:
            job = dataclasses.replace(job, bot_id=job.api.user_id())
        if _nothing_new(job.api, task_id, job.rules, previous, job.bot_id):
            return _read_again(previous, job)
    except PermanentError as error:
        result = TaskResult(task_id, "failed", job.now(), error=error.to_info())
    else:
        result = _run(task_id, job, previous)
    # A failure (a 401/403 flap) never replaces a final result: it is recorded beside it.
    result = settled(previous, result)
    if job.store is not None and not job.dry_run:
        job.store.save(result)
    return result


def _read_again(previous: TaskResult, job: JobContext) -> TaskResult:
    """The unchanged result of a task read again; a failure recorded beside it is over now."""
    if LAST_FAILURE not in previous.extra:
        return previous
    result = without_failure(previous)
    if job.store is not None and not job.dry_run:
        job.store.save(result)
    return result


def _nothing_new(api: VibeClient, task_id: int, rules: Rules, previous: TaskResult | None, bot_id: int) -> bool:
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
    newest = next((m.id for m in page.messages if not is_own(m, bot_id)), None)
    return newest is not None and newest <= previous.newest_message_id


def _run(task_id: int, job: JobContext, previous: TaskResult | None) -> TaskResult:
    """The result; a permanent API error is a `failed` one (with the task's fields when it was read)."""
    try:
        # The task is the one asked for, whatever id the answer carries: every later call uses that id.
        task = dataclasses.replace(job.api.get_task(task_id), id=task_id)
    except PermanentError as error:
        return TaskResult(task_id, "failed", job.now(), error=error.to_info())
    info = TaskInfo.of(task, job.links.task_url(task_id))
    try:
        return _examine(task, info, job, previous)
    except PermanentError as error:
        return TaskResult(task_id, "failed", job.now(), error=error.to_info(), task=info)


def _examine(task: Task, info: TaskInfo, job: JobContext, previous: TaskResult | None) -> TaskResult:
    task_id = task.id
    if task.status not in job.rules.trigger_statuses:
        return TaskResult(task_id, "not_closed", job.now(), task=info, extra={"status": task.status})
    scan = ReleaseScan(job.rules, job.bot_id, task_id)
    recording = RecordingScan(scan)
    try:
        chat = read_chat(job.api, task_id, recording)
    except ChatNotFound:
        return _without_release(task, "no_chat", info, job, {}, previous)
    releases, dropped = bounded(scan.releases)
    extra = {"notes": [*chat.notes, *dropped]} if chat.notes or dropped else {}
    basis = {"newest_message_id": scan.newest_id, "rules_sha": job.rules.sha256}
    if not releases:
        missed = misses(job.rules, scan, recording.messages)  # what a person may fix in one edit: /attention
        extra = extra | ({"candidates": [candidate.to_json() for candidate in missed]} if missed else {})
        return _without_release(task, "not_found", info, job, extra, previous, basis)
    found = TaskResult(task_id, "found", job.now(), releases=with_message_texts(releases, recording.messages),
                       task=info, extra=extra, **basis)
    return _answer(task, found, job, previous, ChatSeen(tuple(scan.own), chat.shows_everything))


def _answer(task: Task, result: TaskResult, job: JobContext, previous: TaskResult | None,
            seen: ChatSeen) -> TaskResult:
    """Post the comment and write the task's fields, unless this result is to be recorded quietly; a dry run
    says what it would post instead (`wouldPost`, only when a real run would post)."""
    if job.quiet or _still_quiet(previous, result.releases):
        return dataclasses.replace(result, quiet=True)
    more_url = f"{job.links.public_url}/api/tasks/{task.id}" if job.links.public_url else ""
    if job.dry_run:
        return _would_post(task.id, result, job, previous, seen, more_url)
    posted: Posted = post_once(task.id, result.releases, api=job.api, rules=job.rules, previous=previous,
                               chat=seen, more_url=more_url, release_url=job.links.release_url,
                               bot_id=job.bot_id, intents=job.intents)
    written = write_task_fields(task, result.releases, api=job.api, rules=job.rules,
                                owned_before=_owned(previous))
    # Stamped after the bot's own writes, which change the task: the sweep looks for changes after this.
    return dataclasses.replace(result, comment_id=posted.comment_id, comment_message_id=posted.message_id,
                               tags_added=written.plan.owned, processed_at=job.now(),
                               task=_as_left(result.task, written, posted.new))


def _would_post(task_id: int, result: TaskResult, job: JobContext, previous: TaskResult | None,
                seen: ChatSeen, more_url: str) -> TaskResult:
    """The dry run's result: the comment already in place, or the text a real run would post."""
    existing = comment_in_place(task_id, result.releases, api=job.api, previous=previous, chat=seen,
                                bot_id=job.bot_id, intents=job.intents)
    if existing is not None:
        return dataclasses.replace(result, comment_id=existing.comment_id, comment_message_id=existing.message_id)
    text = render_comment(job.rules.comment_template, result.releases, task_id, more_url, job.links.release_url)
    return dataclasses.replace(result, extra={**result.extra, "wouldPost": text})


def _without_release(task: Task, outcome: str, info: TaskInfo, job: JobContext, extra: dict,
                     previous: TaskResult | None, basis: dict | None = None) -> TaskResult:
    """A result naming no release; tags the bot added for an earlier result come off."""
    result = TaskResult(task.id, outcome, job.now(), task=info, extra=extra, **(basis or {}))
    owned = _owned(previous)
    if job.dry_run or job.quiet or not owned:
        return result
    written = write_task_fields(task, (), api=job.api, rules=job.rules, owned_before=owned)
    return dataclasses.replace(result, processed_at=job.now(), task=_as_left(info, written, False))


def _as_left(info: TaskInfo, written: Written, commented: bool) -> TaskInfo:
    """The task as the bot left it: its tags now, and its changedDate after the bot's own writes (the PATCH
    answer's; unknown after a comment alone, and then the sweep compares with processedAt instead)."""
    unknown = written.patched or commented
    changed = written.changed_date if written.patched else None if unknown else info.changed_date
    return dataclasses.replace(info, tags=written.plan.tags, changed_date=changed)


def _still_quiet(previous: TaskResult | None, releases: tuple[Release, ...]) -> bool:
    """A result recorded quietly stays quiet until it changes: adopting the bot on history posts nothing."""
    return bool(previous and previous.quiet and previous.releases
                and fingerprint(previous.releases) == fingerprint(releases))


def _owned(previous: TaskResult | None) -> tuple[str, ...]:
    return previous.tags_added if previous is not None else ()


def with_message_texts(releases: Iterable[Release], messages: Iterable[Message]) -> tuple[Release, ...]:
    """Each release with the text of its announcing message, as a reader sees it."""
    texts = {m.id: m.text for m in messages}
    return tuple(dataclasses.replace(r, message_text=plain_text(texts.get(r.message_id, "")).strip()
                                     [:MAX_MESSAGE_TEXT]) for r in releases)


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
