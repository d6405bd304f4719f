"""The sweep and backfill leave final results alone, unless the task changed after its result."""

import dataclasses

from releasebot.model import Task, TaskResult
from store import ResultStore, open_database
from tests.unit.job_runs import run
from worker.sweep import has_final_result

PROCESSED = "2026-06-10T12:00:00+00:00"


def store_with(outcome: str) -> ResultStore:
    store = ResultStore(open_database("sqlite://"))
    store.save(TaskResult(53, outcome, PROCESSED))
    return store


def test_a_final_result_of_an_unchanged_task_is_left_alone():
    done = has_final_result(store_with("found"))
    assert done(Task(53, 5, changed_date="2026-06-10T13:59:00+02:00"))
    assert done(Task(53, 5))


def test_a_task_changed_after_its_result_is_read_again():
    assert not has_final_result(store_with("found"))(Task(53, 5, changed_date="2026-06-10T14:00:01+02:00"))


def test_unfinished_or_missing_results_are_read_again():
    assert not has_final_result(store_with("failed"))(Task(53, 5))
    assert not has_final_result(ResultStore(open_database("sqlite://")))(Task(53, 5))


# The portal's clock runs ahead of the worker's here (tests/fakes.py): the bot's own comment and tag writes move
# the task's changedDate past the result's processedAt, as the simulator's do.
def test_the_bots_own_comment_and_tags_never_make_a_task_look_changed(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], changed_date="2026-06-10T14:00:00+00:00")
    run(api, rules, store)
    assert api.count("post_comment") == 1 and api.count("update_task") == 1
    assert has_final_result(store)(api.tasks[53])  # the task as the search finds it, after the bot's writes


def test_a_message_after_the_bots_own_writes_still_makes_the_task_changed(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], changed_date="2026-06-10T14:00:00+00:00")
    run(api, rules, store)
    later = dataclasses.replace(api.tasks[53], changed_date="2026-06-11T09:00:00+00:00")
    assert not has_final_result(store)(later)


def test_a_task_recorded_without_writes_is_compared_with_its_changed_date_as_read(api, rules, store):
    api.add_task(53, chat=["no release here"], changed_date="2026-06-10T16:00:00+00:00")
    run(api, rules, store)  # not_found: the bot writes nothing; processedAt (14:51) is before changedDate
    assert has_final_result(store)(api.tasks[53])
