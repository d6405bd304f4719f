"""Writing the result into the task itself: the release tags and the optional custom field, in one PATCH."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from releasebot.model import Release, Task
from releasebot.rules import Rules
from releasebot.tagging import TagPlan, field_text, plan_tags, release_tags


def task_changes(task: Task, releases: Iterable[Release], rules: Rules, owned_before: Iterable[str]):
    """The PATCH body that brings the task in line with the result ({} when it already is), and the tags."""
    releases = tuple(releases)
    plan = plan_tags(task.tags, owned_before, release_tags(rules.tags_template, releases))
    changes: dict = {"tags": list(plan.tags)} if plan.changed else {}
    if rules.field_name:
        text, now = field_text(releases), task.custom_field(rules.field_name) or ""
        if text != now:
            changes[rules.field_name] = text
    return changes, plan


@dataclass(frozen=True)
class Written:
    """What writing the task's fields did: the tags, and whether a PATCH was sent and what changedDate it
    answered (None when the answer did not say)."""

    plan: TagPlan
    patched: bool = False
    changed_date: str | None = None


def write_task_fields(task: Task, releases: Iterable[Release], *, api, rules: Rules,
                      owned_before: Iterable[str] = ()) -> Written:
    """Update the task's tags and field when they differ from the result: a request only on a change.

    Tags are written as a whole list, so they are read again just before: a tag a person added while the
    job ran stays (one GET more, only when the tags change)."""
    releases = tuple(releases)
    changes, plan = task_changes(task, releases, rules, owned_before)
    if "tags" in changes:
        fresh = dataclasses.replace(api.get_task(task.id), id=task.id)
        changes, plan = task_changes(fresh, releases, rules, owned_before)
    if not changes:
        return Written(plan)
    return Written(plan, True, api.update_task(task.id, changes))
