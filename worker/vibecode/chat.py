"""Reading a task chat newest first, one cursor page at a time, for as long as the scan wants more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from releasebot.model import Message
from worker.vibecode.client import ChatPage
from worker.vibecode.errors import ProtocolError

MAX_PAGE = 200  # the API's cap on `limit`
# Pages read for one task at most. System messages do not count toward the scan's window, so a chat of
# nothing but system messages would otherwise be paged to its start (20,000 messages: 100 requests).
MAX_PAGES = 20


class ChatScan(Protocol):
    """What read_chat feeds: releasebot.extract.ReleaseScan, or a test's fake."""

    wants_more: bool
    remaining: int

    def feed(self, messages: Sequence[Message]) -> None: ...


@dataclass
class ChatRead:
    """What paging learnt about the chat besides its messages."""

    notes: list[str] = field(default_factory=list)  # for the result: unreadable messages, a page bound hit
    reached_start: bool = False  # the scan was fed every message down to the chat's first
    legacy: bool = False  # a page came back shorter than asked yet claimed more: an old portal's 50 a page

    @property
    def shows_everything(self) -> bool:
        """True when the bot's comment, were it on the task, must have been among the messages read."""
        return self.reached_start and not self.legacy


def read_chat(client, task_id: int, scan: ChatScan, max_pages: int = MAX_PAGES) -> ChatRead:
    """Feed `scan` the task's chat, newest page first, fetching no page the result does not depend on."""
    read, last_id = ChatRead(), None
    for _ in range(max_pages):
        if not scan.wants_more:
            return read
        limit = min(MAX_PAGE, max(1, scan.remaining))
        page = client.chat_page(task_id, limit=limit, last_id=last_id)
        read.notes.extend(page.skipped)
        if not page.messages:
            read.reached_start = True
            return read
        _check_cursor_moved(task_id, page, last_id)
        read.legacy |= len(page.messages) + len(page.skipped) < limit and page.has_next_page
        # Each message takes at most one place in the window, so with room for all of them none is skipped.
        whole_page = scan.remaining >= len(page.messages)
        scan.feed(page.messages)
        if not page.has_next_page:
            read.reached_start = whole_page
            return read
        last_id = min(m.id for m in page.messages)
    if scan.wants_more:
        read.notes.append(f"the scan stopped after {max_pages} pages of chat (at message {last_id}): "
                          "older messages were not read")
    return read


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
