"""One retry layer: what the request layer retried is not retried again by RQ; Retry-After is honoured."""

from types import SimpleNamespace

from worker.jobs import _plan_retry
from worker.vibecode.errors import TransientError


def job(retries_left=4, intervals=(15, 60, 240, 900)):
    return SimpleNamespace(retries_left=retries_left, retry_intervals=list(intervals))


def transient(retried=False, retry_after=None):
    error = TransientError("busy", status=429, code="RATE_LIMITED", retry_after=retry_after)
    error.retried = retried
    return error


def test_failure_already_retried_by_urllib3_is_not_retried_by_rq():
    current = job()
    _plan_retry(current, transient(retried=True))
    assert current.retries_left == 0


def test_retry_after_longer_than_the_next_interval_stretches_it():
    current = job(retries_left=3)
    _plan_retry(current, transient(retry_after=100.2))
    assert current.retry_intervals == [15, 101, 240, 900]


def test_retry_after_shorter_than_the_interval_changes_nothing():
    current = job()
    _plan_retry(current, transient(retry_after=2))
    assert current.retry_intervals == [15, 60, 240, 900] and current.retries_left == 4
