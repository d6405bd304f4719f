"""GET /healthz (is the system working?) and GET /metrics (what has it done?), for operators and monitors."""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.registry import FailedJobRegistry
from sqlalchemy.exc import SQLAlchemyError

from infra.metrics import Metrics
from infra.redis_keys import RULES_STATUS as RULES_STATUS_KEY
from releasebot import prometheus
from releasebot.prometheus import Metric
from store import failure

bp = Blueprint("health", __name__)

NO_WORKER = ("no worker is alive: events are queued but nobody processes them; "
             "start one (heroku ps:scale worker=1, or the Procfile's worker line)")


def _queue() -> Queue:
    return current_app.extensions["releasebot.queue"]


@bp.get("/healthz")
def healthz():
    """200 ok; 503 degraded (no live worker, or a refused rules file pending); 503 unavailable without Redis."""
    try:
        report = system_report(_queue())
    except RedisError as error:
        return jsonify({"status": "unavailable", "redis": f"not answering: {error}; check REDIS_URL"}), 503
    return jsonify(report), 200 if report["status"] == "ok" else 503


@bp.get("/metrics")
def metrics():
    """Prometheus text: events by answer, jobs by outcome, portal answers by status, budget waits, gauges.
    Behind READ_TOKEN when it is set (web/access.py guards it with the pages)."""
    queue = _queue()
    counters = Metrics(queue.connection).read()
    report = system_report(queue)
    return Response(prometheus.render(_metrics(counters, report)), content_type=prometheus.CONTENT_TYPE)


def system_report(queue: Queue) -> dict:
    """Redis, the rules in force, live workers, queue depth, failed jobs and the last sweep, with problems."""
    connection = queue.connection
    connection.ping()
    raw_rules = connection.get(RULES_STATUS_KEY)
    database, last_sweep = _database()
    report = {
        "redis": "ok",
        "database": database,
        "rules": json.loads(raw_rules) if raw_rules else None,
        "workers": sorted(worker.name for worker in Worker.all(queue=queue)),
        "queue": {"name": queue.name, "waiting": queue.count, "running": queue.started_job_registry.count,
                  "scheduled": queue.scheduled_job_registry.count},
        "failedJobs": FailedJobRegistry(queue=queue).count,
        "lastSweep": last_sweep.isoformat() if last_sweep else None,
    }
    problems = find_problems(report)
    return {"status": "degraded" if problems else "ok", "problems": problems, **report}


def _database() -> tuple[str, datetime | None]:
    """Whether the record's database answers, and the last sweep it holds."""
    try:
        return "ok", current_app.extensions["releasebot.store"].sweep_watermark()
    except SQLAlchemyError as error:
        return f"not answering: {failure(error)}; check DATABASE_URL", None


def find_problems(report: dict) -> list[str]:
    """What stops the bot from working, each with what to do."""
    problems = [] if report["workers"] else [NO_WORKER]
    if report.get("database", "ok") != "ok":
        problems.append(f"the database is {report['database']}: results cannot be stored or shown")
    rules = report["rules"] or {}
    if rules.get("pendingError"):
        kept = f"the rules loaded at {rules['loadedAt']} stay in force" if rules.get("sha256") else "no rules in force"
        problems.append(f"the rules file {rules.get('file')} was refused ({kept}): fix or revert it; "
                        f"`releasebot rules check` shows every problem: {rules['pendingError']}")
    return problems


def _metrics(counters: dict, report: dict) -> list[Metric]:
    sweep = report["lastSweep"]
    return [
        Metric("releasebot_events_total", "counter", "Bitrix24 events received, by the webhook's answer.",
               label="answer", by_label=counters["events"]),
        Metric("releasebot_jobs_total", "counter", "Task jobs ended, by outcome.",
               label="outcome", by_label=counters["jobs"]),
        Metric("releasebot_portal_requests_total", "counter",
               "VibeCode API calls by the final HTTP status (after retries); no_answer when none came.",
               label="status", by_label=counters["portal"]),
        Metric("releasebot_budget_wait_seconds_total", "counter",
               "Seconds requests waited for the shared portal request budget.",
               value=counters["budget_wait_seconds"]),
        Metric("releasebot_workers", "gauge", "Live RQ workers on the queue.", value=len(report["workers"])),
        Metric("releasebot_queue_jobs", "gauge", "Jobs waiting in the queue.", value=report["queue"]["waiting"]),
        Metric("releasebot_failed_jobs", "gauge", "Jobs in RQ's failed job registry.", value=report["failedJobs"]),
        Metric("releasebot_rules_pending_error", "gauge", "1 while an edited rules file is refused.",
               value=int(bool((report["rules"] or {}).get("pendingError")))),
        Metric("releasebot_last_sweep_timestamp_seconds", "gauge", "When the last sweep ran (Unix time).",
               value=_timestamp(sweep)),
    ]


def _timestamp(iso: str | None) -> float:
    return datetime.fromisoformat(iso).timestamp() if iso else 0

