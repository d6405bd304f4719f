"""Reading a task chat newest first, one cursor page at a time, for as long as the scan wants more."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from releasebot.model import Message
from worker.vibecode.client import ChatPage
from worker.vibecode.errors import ProtocolError

MAX_PAGE = 200  # the API's cap on `limit`


class ChatScan(Protocol):
    """What read_chat feeds: releasebot.extract.ReleaseScan, or a test's fake."""

    wants_more: bool
    remaining: int

    def feed(self, messages: Sequence[Message]) -> None: ...


def read_chat(client, task_id: int, scan: ChatScan) -> None:
    """Feed `scan` the task's chat, newest page first, fetching no page the result does not depend on."""
    last_id = None
    while scan.wants_more:
        page = client.chat_page(task_id, limit=min(MAX_PAGE, max(1, scan.remaining)), last_id=last_id)
        if not page.messages:
            return
        _check_cursor_moved(task_id, page, last_id)
        scan.feed(page.messages)
        if not page.has_next_page:
            return
        last_id = min(m.id for m in page.messages)


def _check_cursor_moved(task_id: int, page: ChatPage, last_id: int | None) -> None:
    """Raise ProtocolError if a page is not wholly older than the cursor, which would page forever."""
    newest = max(m.id for m in page.messages)
    if last_id is not None and newest >= last_id:
        raise ProtocolError(
            f"task {task_id}: the chat page asked for with lastId={last_id} holds message {newest}, "
            "which is not older: the server repeats its cursor", code="CURSOR_NOT_MOVING")


class RecordingScan:
    """A scan that also keeps every message it was fed, for `releasebot rules test --task`."""

    def __init__(self, scan: ChatScan):
        self.scan = scan
        self.messages: list[Message] = []

    @property
    def wants_more(self) -> bool:
        return self.scan.wants_more

    @property
    def remaining(self) -> int:
        return self.scan.remaining

    def feed(self, messages: Sequence[Message]) -> None:
        self.messages.extend(messages)
        self.scan.feed(messages)
