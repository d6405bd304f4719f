"""The sweep and backfill leave final results alone, unless the task changed after its result."""

from releasebot.model import Task, TaskResult
from store import ResultStore, open_database
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
