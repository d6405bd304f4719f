"""Running the job's core in unit tests: a fixed clock, the fake portal, the shipped rules (see conftest.py)."""

from worker.process import JobContext, handle_task

NOW = "2026-06-10T14:51:03+00:00"


def run(api, rules, store, task_id=53, **kw):
    """handle_task for one task with the clock at NOW, as the bot's user 1 (FakeVibe's comments' author)."""
    kw.setdefault("bot_id", 1)
    return handle_task(task_id, JobContext(api, rules, store, now=lambda: NOW, **kw))
