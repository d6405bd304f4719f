"""Changes to a task's fields: a PATCH body checked as the API checks it, applied as the portal applies it."""

from __future__ import annotations

from datetime import datetime

from sim.error_answers import invalid_params
from sim.portal import SimTask
from sim.scenario import STATUSES, ScenarioError, parse_int, parse_time

CLOSED = 5
PATCH_HINT = "send camelCase task fields, e.g. {\"tags\": [\"im\"]}; tags replace the whole list"


def _text(value, name: str):
    if not isinstance(value, str):
        raise invalid_params(f"{name} must be a string")
    return value


def _title(value, name: str):
    if not _text(value, name).strip():
        raise invalid_params("title must not be empty")
    return value


def _status(value, name: str):
    status = _integer(value, name)
    if status not in STATUSES:
        raise invalid_params(f"status must be 1..7, got {value!r}")
    return status


def _integer(value, name: str):
    try:
        return parse_int(value, name)
    except ScenarioError as exc:
        raise invalid_params(str(exc)) from None


def _tags(value, name: str):
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise invalid_params("tags must be a list of strings", hint=PATCH_HINT)
    return list(value)


def _date(value, name: str):
    if value is not None:
        try:
            parse_time(value, name, None)
        except ScenarioError as exc:
            raise invalid_params(str(exc)) from None
    return value


CHECKS = {
    "title": _title,
    "description": _text,
    "status": _status,
    "groupId": _integer,
    "responsibleId": _integer,
    "priority": _integer,
    "deadline": _date,
    "tags": _tags,
}


def check_patch(body: dict, allow_empty: bool = False) -> dict:
    """The body's changes, each checked; unknown fields are a 400 INVALID_PARAMS naming them."""
    if not body and not allow_empty:
        raise invalid_params("nothing to change: the body has no fields", hint=PATCH_HINT)
    unknown = sorted(name for name in body if name not in CHECKS and not name.startswith("UF_"))
    if unknown:
        known = ", ".join(sorted(CHECKS))
        raise invalid_params(f"unknown task field {unknown[0]!r}", hint=f"known: {known}, UF_*")
    return {name: CHECKS[name](value, name) if name in CHECKS else value for name, value in body.items()}


def apply_patch(task: SimTask, changes: dict, now: datetime) -> None:
    """Apply checked changes: closing sets closedDate, reopening clears it."""
    for name, value in changes.items():
        if name == "status":
            _set_status(task, value, now)
        elif name in ("title", "tags"):
            setattr(task, name, value)
        elif name == "groupId":
            task.group_id = value
        else:
            task.extra[name] = value
    task.changed_date = now


def _set_status(task: SimTask, status: int, now: datetime) -> None:
    if status == CLOSED and (task.status != CLOSED or task.closed_date is None):
        task.closed_date = now
    elif status != CLOSED:
        task.closed_date = None
    task.status = status
