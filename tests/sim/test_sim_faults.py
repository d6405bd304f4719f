"""Faults: the leaky bucket, random failures with a seed, slow answers, scripted failures, set at run time."""

import time

import pytest
import requests

from releasebot.errors import ConfigError
from sim.faults import FaultInjector, LeakyBucket


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def statuses(client, count, path="/tasks/53", key="vibe_api_full"):
    return [client.get(path, key=key).status_code for _ in range(count)]


def test_bucket_over_its_burst_answers_429_with_retry_after(start_sim):
    _, client = start_sim(rate_limit="3/0.5")
    assert statuses(client, 3) == [200, 200, 200]
    answer = client.get("/tasks/53")
    assert client.error(answer) == (429, "RATE_LIMITED")
    assert answer.headers["Retry-After"] == "2" and answer.json()["error"]["retryAfter"] == 2


def test_bucket_is_shared_by_every_key(start_sim):
    _, client = start_sim(rate_limit="2/0.1")
    statuses(client, 2, key="vibe_api_full")
    assert client.get("/tasks/53", key="vibe_api_admin").status_code == 429


def test_bucket_lets_calls_through_again_at_its_rate():
    clock = FakeClock()
    bucket = LeakyBucket(burst=2, rate=2, clock=clock)
    assert [bucket.admit(), bucket.admit(), bucket.admit()] == [0, 0, 0.5]
    clock.now += 0.5
    assert [bucket.admit(), bucket.admit()] == [0, 0.5]


def test_calls_without_a_valid_key_do_not_reach_the_bucket(start_sim):
    _, client = start_sim(rate_limit="1/0.1")
    client.get("/tasks/53", key=None)
    assert client.get("/tasks/53").status_code == 200


def test_random_failures_repeat_with_the_same_seed(start_sim):
    _, first = start_sim(fail_rate=0.5, seed=7)
    _, second = start_sim(fail_rate=0.5, seed=7)
    run = statuses(first, 30)
    assert run == statuses(second, 30)
    assert 200 in run and set(run) - {200} <= {502, 503, 504, 429, 422} and len(set(run)) > 2


@pytest.mark.parametrize(("status", "code", "in_message"), [
    (502, "BITRIX_UNAVAILABLE", ""),
    (503, "BITRIX_UNAVAILABLE", ""),
    (504, "BITRIX_UNAVAILABLE", ""),
    (429, "RATE_LIMITED", ""),
    (422, "BITRIX_ERROR", "OPERATION_TIME_LIMIT"),
])
def test_each_random_failure_answers_as_the_portal_does(start_sim, status, code, in_message):
    _, client = start_sim(fail_rate=1, fail_statuses=[status], seed=1)
    answer = client.get("/tasks/53")
    assert client.error(answer) == (status, code)
    assert in_message in answer.json()["error"]["message"]


def test_fail_next_fails_that_many_calls_to_that_route_only(sim, api):
    sim.set_faults(fail_next=[{"route": "/chat/messages", "count": 2, "status": 503}])
    assert statuses(api, 1, "/tasks/53") == [200]
    assert statuses(api, 3, "/tasks/53/chat/messages") == [503, 503, 200]


def test_fail_next_can_name_the_bitrix_code_of_a_422(sim, api):
    sim.set_faults(fail_next=[{"route": "/tasks/53", "status": 422, "bitrix_code": "QUERY_LIMIT_EXCEEDED"}])
    assert api.get("/tasks/53").json()["error"]["message"].startswith("QUERY_LIMIT_EXCEEDED")


def test_slow_answers_wait_before_answering(start_sim):
    _, client = start_sim(slow_rate=1, slow_seconds=0.3)
    started = time.monotonic()
    assert client.get("/tasks/53").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_faults_set_at_run_time_can_be_cleared(sim, api):
    sim.set_faults(fail_rate=1.0, fail_statuses=[504])
    assert statuses(api, 2) == [504, 504]
    sim.clear_faults()
    assert statuses(api, 2) == [200, 200]


def test_faults_come_from_the_scenario_too(start_sim):
    _, client = start_sim({"faults": {"fail_next": [{"route": "/me", "status": 502}]}})
    assert statuses(client, 2, "/me", key="vibe_api_demo") == [502, 200]


@pytest.mark.parametrize("options", [{"fail_rate": 2}, {"rate_limit": "fast"}, {"fail_statuses": [500]},
                                     {"fail_next": [{"status": 503}]}, {"explode": True}])
def test_bad_fault_options_are_refused_with_the_option_named(options):
    with pytest.raises(ConfigError, match="faults"):
        FaultInjector(options)


def test_control_api_refuses_bad_faults_with_400(sim):
    answer = requests.post(sim.control_url + "/faults", json={"fail_rate": "often"}, timeout=10)
    assert answer.status_code == 400 and "fail_rate" in answer.json()["error"]["message"]


def test_an_applied_fault_carries_the_call_out_then_answers_with_the_failure(sim, api):
    sim.set_faults(fail_next=[{"route": "/comments", "method": "POST", "status": 502, "applied": True}])
    answer = api.call("POST", "/tasks/53/comments", json={"text": "hello"})
    assert answer.status_code == 502
    assert sim.comments(53)[-1]["text"] == "hello"
