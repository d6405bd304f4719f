"""How the portal's objects look on the wire: camelCase JSON, or Bitrix-style UPPER_CASE, string numbers."""

from __future__ import annotations

import re
from datetime import datetime

from sim.portal import ChatMessage, PortalOptions, SimTask, TaskComment

CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, to the second: 2026-06-10T14:51:00+02:00."""
    return moment.isoformat(timespec="seconds") if moment else None


def task_fields(task: SimTask) -> dict:
    """The task's fields in the gateway's camelCase."""
    return {
        "id": task.id,
        "title": task.title,
        "status": task.status,
        "groupId": task.group_id,
        "closedDate": iso(task.closed_date),
        "changedDate": iso(task.changed_date),
        "tags": list(task.tags),
        **task.extra,
    }


def task_json(task: SimTask, portal: PortalOptions, select: tuple[str, ...] | None = None) -> dict:
    """The task as GET /tasks/<id> and search answer it; `select` keeps those fields (and id)."""
    fields = task_fields(task)
    if select is not None:
        fields = {name: value for name, value in fields.items() if name == "id" or name in select}
    if portal.string_numbers or portal.upper_case_keys:
        fields = {name: _string_number(value) for name, value in fields.items()}
    if portal.upper_case_keys:
        fields = {upper_case(name): value for name, value in fields.items()}
    return fields


def upper_case(name: str) -> str:
    """closedDate -> CLOSED_DATE; UF_ names stay as they are."""
    return CAMEL_HUMP.sub("_", name).upper()


def _string_number(value):
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def message_json(message: ChatMessage) -> dict:
    """One chat message as the chat endpoint answers it."""
    return {
        "id": message.id,
        "authorId": message.author_id,
        "text": message.text,
        "createdAt": iso(message.created_at),
        "isSystem": message.is_system,
    }


def comment_json(comment: TaskComment) -> dict:
    """One comment as the comments endpoint answers it."""
    return {"id": comment.id, "authorId": comment.author_id, "text": comment.text,
            "createdAt": iso(comment.created_at)}
