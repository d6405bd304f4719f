"""A small hand-written VibeCode client for unit tests: an in-memory portal that records every call."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from releasebot.model import Comment, Message, Task
from worker.vibecode.client import ChatPage, CommentPage
from worker.vibecode.errors import ChatNotFound, NotFound


@dataclass
class FakeVibe:
    """Tasks, chats (oldest first) and comments; `calls` lists (method, task_id, details) in order."""

    tasks: dict[int, Task] = field(default_factory=dict)
    chats: dict[int, list[Message]] = field(default_factory=dict)
    comments: dict[int, list[Comment]] = field(default_factory=dict)
    calls: list[tuple] = field(default_factory=list)
    fail_with: dict[str, Exception] = field(default_factory=dict)

    def add_task(self, task_id: int, status: int = 5, chat: list[str] | None = None, **fields) -> None:
        """A task whose chat holds `chat` (oldest first); None means the task has no chat."""
        self.tasks[task_id] = Task(id=task_id, status=status, **fields)
        if chat is not None:
            self.chats[task_id] = [self._message(text) for text in chat]

    def _message(self, text: str, system: bool = False) -> Message:
        next_id = 1000 + sum(len(c) for c in self.chats.values()) + sum(len(c) for c in self.comments.values())
        return Message(next_id, 0 if system else 7, text, f"2026-06-10T14:{next_id % 60:02d}:00+02:00", system)

    def _call(self, name: str, task_id: int, **details) -> None:
        self.calls.append((name, task_id, details))
        if name in self.fail_with:
            raise self.fail_with[name]

    def get_task(self, task_id: int) -> Task:
        self._call("get_task", task_id)
        if task_id not in self.tasks:
            raise NotFound("Task not found", status=404, code="ENTITY_NOT_FOUND")
        return self.tasks[task_id]

    def chat_page(self, task_id: int, *, limit: int, last_id: int | None = None) -> ChatPage:
        self._call("chat_page", task_id, limit=limit, last_id=last_id)
        if task_id not in self.chats:
            raise ChatNotFound("Task chat not found", status=404, code="TASK_CHAT_NOT_FOUND")
        older = [m for m in reversed(self.chats[task_id]) if last_id is None or m.id < last_id]
        limit = min(limit, 200)
        return ChatPage(messages=tuple(older[:limit]), has_next_page=len(older) > limit)

    def list_comments(self, task_id: int, *, limit: int = 50, offset: int = 0) -> CommentPage:
        self._call("list_comments", task_id, limit=limit, offset=offset)
        comments = self.comments.get(task_id, [])
        return CommentPage(comments=tuple(comments[offset:offset + limit]), has_more=len(comments) > offset + limit)

    def post_comment(self, task_id: int, text: str) -> int:
        self._call("post_comment", task_id, text=text)
        comment = Comment(id=700 + len(self.calls), author_id=1, text=text)
        self.comments.setdefault(task_id, []).append(comment)
        self.chats.setdefault(task_id, []).append(Message(comment.id + 100000, 1, text, "2026-06-10T15:00:00+00:00"))
        if task_id in self.tasks:
            self._touch(task_id)
        return comment.id

    def user_id(self) -> int:
        self._call("user_id", 0)
        return 1  # the author of the comments it posts

    def update_task(self, task_id: int, fields: dict) -> str | None:
        self._call("update_task", task_id, fields=fields)
        task = self.tasks[task_id]
        custom = dict(task.custom_fields) | {k: v for k, v in fields.items() if k.startswith("UF_")}
        self.tasks[task_id] = dataclasses.replace(task, tags=tuple(fields.get("tags", task.tags)),
                                                  custom_fields=tuple(custom.items()))
        return self._touch(task_id)

    def _touch(self, task_id: int) -> str:
        """A write moves the task's changedDate, on the portal's clock: here always ahead of the job's."""
        changed = f"2026-06-10T23:{len(self.calls) % 60:02d}:00+00:00"
        self.tasks[task_id] = dataclasses.replace(self.tasks[task_id], changed_date=changed)
        return changed

    def count(self, name: str) -> int:
        """How many times a method was called."""
        return sum(1 for call in self.calls if call[0] == name)
