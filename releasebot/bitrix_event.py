"""Bitrix24 task events as they arrive on the wire: token check and parsing, no I/O."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from releasebot.errors import ReleasebotError

TOKEN_FIELD = "auth[application_token]"
DOMAIN_FIELD = "auth[domain]"  # the portal's host name, for task links when PORTAL_URL is unset
# Where each handled event carries the task id, in the order to try.
TASK_ID_FIELDS = {
    "ONTASKADD": ("data[FIELDS_AFTER][ID]",),
    "ONTASKUPDATE": ("data[FIELDS_AFTER][ID]", "data[FIELDS_BEFORE][ID]"),
    "ONTASKCOMMENTADD": ("data[FIELDS_AFTER][TASK_ID]",),
    "ONTASKDELETE": ("data[FIELDS_BEFORE][ID]",),
}
# Events after which the task may now be closed with its final word in the chat.
QUEUED_EVENTS = frozenset({"ONTASKADD", "ONTASKUPDATE", "ONTASKCOMMENTADD"})
MAX_TASK_ID = 2**63 - 1
# Longer digit strings are refused before int() reads them: past 4,300 digits Python's int() raises, and
# reading a long one costs time quadratic in its length.
MAX_TASK_ID_DIGITS = len(str(MAX_TASK_ID))
MAX_EVENT_NAME = 64  # Bitrix24's names are short (ONTASKUPDATE); the answer never echoes a longer one


class MalformedEvent(ReleasebotError):
    """The body is not a Bitrix24 task event we can act on; the message says what is wrong."""


@dataclass(frozen=True)
class TaskEvent:
    """A parsed task event: which event, which task."""

    name: str
    task_id: int

    @property
    def should_queue(self) -> bool:
        """Whether this event can mean a task was closed (deletes and unknown events cannot)."""
        return self.name in QUEUED_EVENTS


def token_is_valid(form: Mapping[str, str], expected: Iterable[str]) -> bool:
    """Compare auth[application_token] with every accepted token in constant time."""
    given = (form.get(TOKEN_FIELD) or "").encode()
    matches = [hmac.compare_digest(given, token.encode()) for token in expected]
    return bool(given) and any(matches)


def parse_event(form: Mapping[str, str]) -> TaskEvent:
    """Read the event name and task id from a flat, bracket-keyed form (as Flask's request.form has it)."""
    name = (form.get("event") or "").strip().upper()
    if not name:
        raise MalformedEvent("no 'event' field: this is not a Bitrix24 event")
    if len(name) > MAX_EVENT_NAME:
        raise MalformedEvent(f"the 'event' field is {len(name)} characters long: "
                             f"a Bitrix24 event name (e.g. ONTASKUPDATE) has at most {MAX_EVENT_NAME}")
    fields = TASK_ID_FIELDS.get(name)
    if fields is None:
        return TaskEvent(name=name, task_id=0)
    return TaskEvent(name=name, task_id=_task_id(form, name, fields))


def _task_id(form: Mapping[str, str], name: str, fields: tuple[str, ...]) -> int:
    """The first of `fields` present in the form, as a positive integer."""
    raw = next((form[f] for f in fields if form.get(f) not in (None, "", "undefined")), None)
    if raw is None:
        raise MalformedEvent(f"{name} without a task id: expected {' or '.join(fields)}")
    text = raw.strip()
    if (not text.isascii() or not text.isdigit() or len(text) > MAX_TASK_ID_DIGITS
            or not 0 < int(text) <= MAX_TASK_ID):
        raise MalformedEvent(f"task id must be a positive integer, got {text[:40]!r}")
    return int(text)
