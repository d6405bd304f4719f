"""The worker writes one line per task: id, source, outcome, and the releases or the error and what to do."""

import logging

import fakeredis

from infra.metrics import Metrics
from releasebot.model import ApiErrorInfo, Release, TaskResult
from worker.jobs import _report


def report(result: TaskResult, caplog) -> logging.LogRecord:
    with caplog.at_level(logging.INFO, logger="worker.jobs"):
        _report(Metrics(fakeredis.FakeRedis()), result, "event")
    return caplog.records[-1]


def test_a_found_task_is_one_info_line_naming_its_releases(caplog):
    release = Release("im", "24.500.0", "deployed-in", 9123, 20294, "2026-06-10T14:51:00+02:00")
    line = report(TaskResult(53, "found", "2026-06-10T12:00:00+00:00", releases=(release,)), caplog)
    assert line.levelno == logging.INFO and line.getMessage() == "task 53 (event): found im 24.500.0"
    assert (line.task, line.source, line.outcome, line.releases) == (53, "event", "found", "im 24.500.0")


def test_a_failed_task_is_a_warning_with_the_error_code_and_what_to_do(caplog):
    error = ApiErrorInfo("ACCESS_ERROR", "Access denied", 422, "add that user as a watcher")
    line = report(TaskResult(58, "failed", "2026-06-10T12:00:00+00:00", error=error), caplog)
    assert line.levelno == logging.WARNING and line.error == "ACCESS_ERROR"
    assert line.getMessage() == "task 58 (event): failed ACCESS_ERROR: add that user as a watcher"


def test_each_job_outcome_is_counted_for_metrics():
    metrics = Metrics(fakeredis.FakeRedis())
    _report(metrics, TaskResult(56, "not_found", "2026-06-10T12:00:00+00:00"), "sweep")
    assert metrics.read()["jobs"] == {"not_found": 1}
