"""The RQ jobs: thin shells that build the collaborators from the environment and call the core."""

from __future__ import annotations

import functools
import logging
import math
import os
import re
from datetime import UTC, datetime

from redis import Redis
from rq import get_current_job

from infra.connection import redis_from_url
from infra.metrics import Metrics
from infra.queueing import enqueuer_for
from releasebot.errors import ReleasebotError
from releasebot.links import Links
from releasebot.model import LAST_FAILURE
from releasebot.settings import Settings
from store import ResultStore, open_engine
from worker.identity import bot_user_id
from worker.post_intents import PostIntents
from worker.process import JobContext, handle_task
from worker.rules_cache import RulesCache
from worker.sweep import is_final, queue_missed
from worker.vibecode import api_client
from worker.vibecode.errors import MAX_RETRY_AFTER, PermanentError, TransientError

log = logging.getLogger(__name__)
MAX_CODE = 64  # an error code longer than this is not one of the API's
COMMENT = "comment"  # the source of a job queued by ONTASKCOMMENTADD (web/webhook.py)
COMMENT_SKIPPED = "comment_skipped"


@functools.cache
def settings() -> Settings:
    """The worker's settings, read once per process."""
    return Settings.from_env(os.environ).require("VIBE_API_KEY")


@functools.cache
def rules_cache() -> RulesCache:
    """The worker's rules, reloaded when the file changes."""
    return RulesCache(settings().rules_file)


@functools.cache
def store() -> ResultStore:
    """The record, in this process (a job's work horse is a fresh fork: its connections are its own). The
    worker checked the schema when it started (worker.heroku)."""
    return ResultStore(open_engine(settings().database_url))


def _connection(job) -> Redis:
    return job.connection if job else redis_from_url(settings().redis_url)


def process_task(task_id: int, source: str = "event", quiet: bool = False) -> dict:
    """Process one task (queued by infra.queueing.enqueue_task) and return its result JSON; `quiet`
    (backfill --index-only) records the result and the index but writes nothing to the task."""
    job = get_current_job()
    connection = _connection(job)
    metrics, record = Metrics(connection), store()
    if source == COMMENT and not is_final(record.get(task_id)):
        return _skip_comment(metrics, task_id)
    rules = rules_cache().current()
    try:
        with api_client(settings(), connection) as api:
            links = Links.configured(settings(), record.portal())
            job_context = JobContext(api, rules, record, links, quiet=quiet, bot_id=_bot_id(connection, api),
                                     intents=PostIntents(connection))
            result = handle_task(task_id, job_context)
    except TransientError as error:
        _plan_retry(job, error)
        _report_transient(metrics, task_id, source, error, job)
        raise HandedBack(task_id, error) from None
    _report(metrics, result, source)
    return result.to_json()


def _bot_id(connection: Redis, api) -> int | None:
    """The key's user, known or asked once; None when the portal refuses to say (the job records why)."""
    try:
        return bot_user_id(connection, settings().vibe_api_key, api)
    except PermanentError:
        return None


class HandedBack(ReleasebotError):
    """A transient failure handed back to RQ to retry, told without the portal's own words: RQ keeps this text
    with the job and rq-dashboard shows it unescaped (the worker log has the whole answer)."""

    def __init__(self, task_id: int, error: TransientError):
        code = re.sub(r"[^A-Za-z0-9_.-]", "", error.code or "")[:MAX_CODE] or "transient error"
        status = f" (HTTP {error.status})" if error.status else ""
        super().__init__(f"task {task_id}: {code}{status}, handed back to RQ; the worker log has the portal's answer")
def _skip_comment(metrics: Metrics, task_id: int) -> dict:
    """A comment on a task without a final result cannot change one (the task's closing will be read, or the
    sweep finds it): the job ends without a portal request."""
    metrics.count_job(COMMENT_SKIPPED)
    log.info("task %s (comment): no final result to change, nothing read", task_id,
             extra=_task_fields(task_id, COMMENT, COMMENT_SKIPPED))
    return {"taskId": task_id, "skipped": "a comment on a task without a final result changes nothing"}


def _report(metrics: Metrics, result, source: str) -> None:
    """One log line per task (a failed one as a warning, with what to do) and its count for /metrics."""
    failure = result.extra.get(LAST_FAILURE)
    metrics.count_job("failed" if failure else result.outcome)
    level = logging.WARNING if result.outcome == "failed" or failure else logging.INFO
    line = " ".join(filter(None, [result.outcome, _summary(result)]))
    if failure:  # a failure after a final result, which was kept
        line = f"failed, the {result.outcome} result kept: {failure.get('code')}: {failure.get('action')}"
    log.log(level, "task %s (%s): %s", result.task_id, source, line,
            extra=_task_fields(result.task_id, source, result.outcome) | _outcome_fields(result))


def _report_transient(metrics: Metrics, task_id: int, source: str, error: TransientError, job) -> None:
    """A transient failure handed back to RQ: logged with what RQ does next, and counted."""
    metrics.count_job("transient_error")
    log.warning("task %s (%s): %s, handed back to RQ (%s)", task_id, source, error.code or "transient error",
                _retry_note(job), extra=_task_fields(task_id, source, "transient_error")
                | {"error": error.code, "action": error.action})


def sweep() -> dict:
    """The periodic sweep (RQ cron): queue closed tasks whose event was missed."""
    connection = _connection(get_current_job())
    rules = rules_cache().current()
    enqueuer = enqueuer_for(connection, "sweep", process_task)
    with api_client(settings(), connection) as api:
        counts = queue_missed(api, enqueuer, store(), rules.trigger_statuses, datetime.now(UTC))
    log.log(logging.WARNING if counts["full"] else logging.INFO,
            "sweep: %s closed tasks found, %s queued, %s already done, %s already queued%s", counts["found"],
            counts["queued"], counts["done"], counts["already_queued"],
            f"; stopped, {counts['full']}: the next sweep looks again" if counts["full"] else "",
            extra={f"sweep_{name}": count for name, count in counts.items()})
    return counts


def _plan_retry(job, error: TransientError) -> None:
    """One retry layer: a failure urllib3 already retried ends the job (the sweep comes back to the task);
    others are retried by RQ no sooner than the portal's Retry-After."""
    if job is None or not job.retries_left:
        return
    if error.retried:
        job.retries_left = 0
        return
    if not error.retry_after or not job.retry_intervals:
        return
    intervals = list(job.retry_intervals)
    # RQ picks the interval at this index for the next retry (Job.get_retry_interval).
    index = min(max(len(intervals) - job.retries_left, 0), len(intervals) - 1)
    wait = min(error.retry_after, MAX_RETRY_AFTER)  # the client caps it too; never trust one layer alone
    intervals[index] = max(intervals[index], math.ceil(wait))
    job.retry_intervals = intervals


def _task_fields(task_id: int, source: str, outcome: str) -> dict:
    return {"task": task_id, "source": source, "outcome": outcome}


def _outcome_fields(result) -> dict:
    """releases, or the error code and what to do about it."""
    if result.error:
        return {"error": result.error.code, "action": result.error.action}
    return {"releases": _releases_text(result)} if result.releases else {}


def _retry_note(job) -> str:
    if job is None or not job.retries_left:
        return "no retry left: the sweep comes back to the task"
    return f"{job.retries_left} retries left"


def _summary(result) -> str:
    if result.error:
        return f"{result.error.code}: {result.error.action}"
    return _releases_text(result)


def _releases_text(result) -> str:
    return ", ".join(f"{r.component} {r.version}" for r in result.releases)
