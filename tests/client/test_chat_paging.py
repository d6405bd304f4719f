"""Chat paging: newest first, no page fetched that the result does not depend on, and never forever."""

from __future__ import annotations

import pytest

from releasebot.model import Message
from tests.client.vibe_fakes import FakeScan, load
from worker.vibecode.chat import read_chat
from worker.vibecode.client import ChatPage
from worker.vibecode.errors import ChatNotFound, ProtocolError


def chat(count: int, *, system_every: int = 0) -> list[Message]:
    """A chat of `count` messages, newest first, with ids that are not consecutive."""
    messages = []
    for n in range(count, 0, -1):
        system = bool(system_every) and n % system_every == 0
        author = 0 if system else 20294
        messages.append(Message(n * 3, author, f"message {n}", "2026-06-10T14:51:00+02:00", system))
    return messages


class FakeChatClient:
    """Serves a chat the way the API does (200 a page; a legacy portal 50) and records each request."""

    def __init__(self, messages: list[Message], *, page_cap: int = 200, legacy: bool = False):
        self.messages = messages
        self.page_cap = page_cap
        self.legacy = legacy
        self.requests: list[tuple[int, int | None]] = []

    def chat_page(self, task_id: int, *, limit: int, last_id: int | None = None) -> ChatPage:
        self.requests.append((limit, last_id))
        older = [m for m in self.messages if last_id is None or m.id < last_id]
        page = older[:min(limit, self.page_cap)]
        has_next = len(page) == self.page_cap if self.legacy else len(older) > len(page)
        return ChatPage(tuple(page), has_next)


class StuckChatClient(FakeChatClient):
    """A broken server that ignores the cursor and serves the newest page again."""

    def chat_page(self, task_id, *, limit, last_id=None):
        return super().chat_page(task_id, limit=limit, last_id=None)


class MissingChatClient:
    def chat_page(self, task_id, *, limit, last_id=None):
        raise ChatNotFound("The task has no chat", status=404, code="TASK_CHAT_NOT_FOUND")


def read(client, max_messages: int) -> FakeScan:
    scan = FakeScan(max_messages)
    read_chat(client, 53, scan)
    return scan


def test_a_chat_of_200_messages_costs_one_request():
    api = FakeChatClient(chat(200))

    scan = read(api, 200)

    assert api.requests == [(200, None)]
    assert len(scan.fed) == 200


def test_a_short_chat_costs_one_request():
    api = FakeChatClient(chat(7))

    assert len(read(api, 200).fed) == 7
    assert api.requests == [(200, None)]


def test_450_messages_with_max_450_cost_three_requests_of_200_200_50():
    api = FakeChatClient(chat(450))

    scan = read(api, 450)

    assert [limit for limit, _ in api.requests] == [200, 200, 50]
    assert len(scan.fed) == 450


def test_each_next_page_starts_below_the_smallest_id_of_the_page_before():
    api = FakeChatClient(chat(450))

    scan = read(api, 450)

    assert [last_id for _, last_id in api.requests] == [None, scan.fed[199].id, scan.fed[399].id]


def test_reading_stops_at_max_messages():
    api = FakeChatClient(chat(1000))

    scan = read(api, 200)

    assert api.requests == [(200, None)]
    assert scan.fed[0].id == 3000


def test_system_messages_do_not_count_so_later_pages_ask_for_what_is_still_missing():
    api = FakeChatClient(chat(230, system_every=23))  # 9 system messages among the newest 200

    scan = read(api, 200)

    assert [limit for limit, _ in api.requests] == [200, 9, 1]
    assert len(scan.fed) == 200


def test_a_legacy_portal_capped_at_50_keeps_paging_while_pages_come_back_full():
    api = FakeChatClient(chat(120), page_cap=50, legacy=True)

    scan = read(api, 200)

    assert [limit for limit, _ in api.requests] == [200, 150, 100]
    assert len(scan.fed) == 120


def test_a_legacy_chat_of_exactly_100_ends_on_an_empty_page():
    api = FakeChatClient(chat(100), page_cap=50, legacy=True)

    scan = read(api, 200)

    assert len(api.requests) == 3
    assert len(scan.fed) == 100


def test_a_scan_that_wants_nothing_costs_no_request():
    api = FakeChatClient(chat(10))

    read(api, 0)

    assert api.requests == []


def test_a_server_repeating_its_cursor_is_a_protocol_error_not_a_loop():
    api = StuckChatClient(chat(450))

    with pytest.raises(ProtocolError, match="repeats its cursor"):
        read(api, 450)

    assert len(api.requests) == 2


def test_a_missing_chat_propagates():
    with pytest.raises(ChatNotFound):
        read(MissingChatClient(), 200)


def test_paging_through_the_client_sends_limit_and_last_id(client, fake):
    first = load("chat_53_page")
    last = {"success": True, "data": {"messages": [], "hasNextPage": False}}
    fake.route("GET", "/tasks/53/chat/messages",
               lambda sent: (200, last if "lastId" in sent.query else first, {}))

    scan = read(client, 200)

    assert [s.query for s in fake.sent] == [{"limit": "200"}, {"limit": "198", "lastId": "9101"}]
    assert [m.id for m in scan.fed] == [9123, 9101]


def test_a_chat_read_down_to_its_first_message_shows_every_comment_of_the_bot():
    assert read_chat(FakeChatClient(chat(200)), 53, FakeScan(200)).shows_everything


def test_a_chat_longer_than_the_window_cannot_show_every_comment():
    assert not read_chat(FakeChatClient(chat(201)), 53, FakeScan(200)).shows_everything


def test_a_last_page_the_window_could_not_take_whole_cannot_show_every_comment():
    api = FakeChatClient(chat(230, system_every=23))
    assert not read_chat(api, 53, FakeScan(190)).shows_everything


def test_a_legacy_portal_is_known_by_a_page_shorter_than_asked_that_claims_more():
    read = read_chat(FakeChatClient(chat(120), page_cap=50, legacy=True), 53, FakeScan(200))
    assert read.legacy and read.reached_start and not read.shows_everything
