import fakeredis
import pytest

from worker.budget import Budget, SharedLimiter


def limiter(connection, burst=5, rate=2.0):
    waits = []
    return SharedLimiter(connection, Budget(burst, rate), sleep=waits.append), waits


def test_a_burst_goes_through_without_waiting():
    take, waits = limiter(fakeredis.FakeRedis())
    assert [take() for _ in range(5)] == [0] * 5 and waits == []


def test_past_the_burst_each_request_waits_one_interval_more():
    take, _ = limiter(fakeredis.FakeRedis())
    for _ in range(5):
        take()
    waits = [take() for _ in range(3)]
    assert waits == pytest.approx([0.5, 1.0, 1.5], abs=0.05)


def test_two_workers_share_one_budget():
    connection = fakeredis.FakeRedis()
    first, _ = limiter(connection)
    second, _ = limiter(connection)
    for _ in range(3):
        first()
        second()
    assert second() > 0


def test_only_waits_over_a_second_are_logged(caplog):
    import logging

    take, _ = limiter(fakeredis.FakeRedis(), burst=1, rate=1.0)
    with caplog.at_level(logging.INFO, logger="worker.budget"):
        take(), take(), take()
    waits = [r.budget_wait for r in caplog.records]
    assert waits == pytest.approx([2.0], abs=0.05) and "VIBE_RATE_LIMIT 1/1" in caplog.records[0].getMessage()
